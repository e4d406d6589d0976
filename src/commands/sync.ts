/**
 * `joinery sync`: applies every entry of joinery.json, in key order, as `gen resource` would with
 * the recorded flags: after a merge brought in another branch's entries, or after an entry was
 * edited by hand. Entries that are current change nothing.
 */
import { acquireLock } from '../change-set/lock.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { MANIFEST_FILE } from '../manifest/manifest.js';
import { readManifestFile } from './read-manifest-file.js';
import { specFromEntry } from '../manifest/spec-from-entry.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import { selectTarget } from '../targets/registry.js';
import { applyPlan, summary, type Confirm } from './apply-plan.js';
import { planResource } from './plan-resource.js';

export interface SyncOptions {
  cwd: string;
  /** --orm: the target, when the project uses more than one ORM. */
  orm?: string | undefined;
  confirm?: Confirm | undefined;
}

export interface SyncResult {
  exitCode: ExitCodeValue;
  /** Keys of the entries that changed files. */
  updated: string[];
}

export async function sync(options: SyncOptions, output: Output): Promise<SyncResult> {
  const root = loadProject(options.cwd).root;
  const release = await acquireLock(root);
  try {
    const manifest = readManifestFile(root);
    const updated: string[] = [];
    for (const [key, entry] of [...manifest.entries].sort(([a], [b]) => a.localeCompare(b))) {
      // A fresh project per entry: the previous entry may have changed the files it reads.
      const project = loadProject(root);
      const target = await selectTarget(project, options.orm);
      const planned = await planResource(project, target, {
        spec: specFromEntry(entry),
        migration: !entry.skipMigration,
        migrationName: undefined,
      });
      for (const warning of planned.plan.warnings) output.warn(`${key}: ${warning}`);
      if (planned.changes.length === 0 && !planned.migration?.needed) continue;
      const applied = await applyPlan(planned, output, options.confirm);
      if (!applied.written) continue;
      updated.push(key);
      output.info(`${key}:\n${summary(planned.changes, planned.changeSet, false)}`);
      for (const file of applied.migrationFiles) {
        output.info(`  migration ${planned.changeSet.relative(file)}`);
      }
    }
    const total = manifest.entries.size;
    output.info(
      updated.length === 0
        ? `joinery sync: all ${total} resource${total === 1 ? '' : 's'} in ${MANIFEST_FILE} current.`
        : `joinery sync: updated ${updated.length} of ${total} resource${total === 1 ? '' : 's'} (${updated.join(', ')}).`,
    );
    return { exitCode: ExitCode.success, updated };
  } finally {
    await release();
  }
}
