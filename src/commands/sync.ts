/**
 * `joinery sync`: applies every entry of joinery.json, in key order, as `gen resource` would with
 * the recorded flags: after a merge brought in another branch's entries, or after an entry was
 * edited by hand. Entries that are current change nothing.
 */
import { recoverInterruptedCommit, recoveryNote } from '../change-set/commit-journal.js';
import { acquireLock } from '../change-set/lock.js';
import { ExitCode, projectProblem, type ExitCodeValue } from '../errors.js';
import {
  missingMigrationFiles,
  plannedFiles,
  settleMissingMigrations,
  verifyMigrations,
} from '../manifest/verify-migrations.js';
import { differenceLine, type Difference } from './differences.js';
import { MANIFEST_FILE } from '../manifest/manifest.js';
import { readManifestFile } from './read-manifest-file.js';
import { recordedOrm, unmigratedTables } from '../manifest/manifest-file.js';
import { specFromEntry } from '../manifest/spec-from-entry.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import { selectTarget } from '../targets/registry.js';
import { summary, Transaction, type Confirm, type StagedPart } from './transaction.js';
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
    const recovery = recoverInterruptedCommit(root);
    if (recovery) output.warn(recoveryNote(recovery));
    const manifest = readManifestFile(root);
    const entries = [...manifest.entries].sort(([a], [b]) => a.localeCompare(b));
    const target = await selectTarget(loadProject(root), options.orm ?? recordedOrm(manifest));
    // Every entry is planned (each against what the earlier ones produced) before one commit.
    const staged = entries.length > 1 || target.capabilities.migration === 'tool';
    const transaction = await Transaction.open(root, staged);
    try {
      const parts: StagedPart[] = [];
      // What sync must not override is collected over every entry, so one run lists it all.
      const refused: Difference[] = [];
      for (const [key, entry] of entries) {
        const planned = await planResource(transaction.project(), target, {
          spec: specFromEntry(entry),
          migration: !entry.skipMigration,
          migrationName: undefined,
          restoreMigrations: missingMigrationFiles(root, entry),
        });
        // A recorded migration that is gone comes back only as it was (see settleMissingMigrations).
        refused.push(
          ...settleMissingMigrations(
            verifyMigrations(root, entry),
            entry,
            plannedFiles(planned),
          ).filter((difference) => difference.repair === 'manual'),
        );
        for (const warning of planned.plan.warnings) output.warn(`${key}: ${warning}`);
        for (const conflict of planned.plan.conflicts ?? []) {
          refused.push({ ...conflict, repair: 'manual' });
        }
        if (refused.length > 0) continue;
        if (planned.changes.length === 0 && !planned.migration?.needed) continue;
        parts.push(await transaction.add(planned, output));
      }
      if (refused.length > 0) throw refusal(refused);
      const changes = transaction.changes();
      const updated = parts.map((part) => part.planned.label);
      const total = manifest.entries.size;
      const resources = `resource${total === 1 ? '' : 's'}`;
      if (changes.length === 0) {
        // Never "current" while check fails: the ORM's tool may still see a schema change.
        const pending = await target.pendingMigrations?.(
          loadProject(root),
          [...manifest.entries.values()].map((entry) => entry.table),
          unmigratedTables(manifest),
        );
        if (typeof pending === 'string') {
          throw projectProblem(
            `joinery sync: every entry of ${MANIFEST_FILE} is applied, but the migrations are behind the schema by changes no entry made:\n${pending}`,
            `Generate that migration with ${target.name === 'drizzle' ? 'npx drizzle-kit generate --name <name>' : "TypeORM's migration:generate"}, or undo the edit (of the schema, or of a migration whose checksum was re-recorded); nothing was written.`,
          );
        }
        output.info(`joinery sync: all ${total} ${resources} in ${MANIFEST_FILE} current.`);
        return { exitCode: ExitCode.success, updated: [] };
      }
      if (!(await transaction.commit(changes, output, options.confirm))) {
        return { exitCode: ExitCode.success, updated: [] };
      }
      for (const { planned, migrationFiles } of parts) {
        output.info(`${planned.label}:\n${summary(planned.changes, planned.changeSet, false)}`);
        for (const file of migrationFiles) output.info(`  migration ${file}`);
      }
      output.info(
        `joinery sync: updated ${updated.length} of ${total} ${resources} (${updated.join(', ')}).`,
      );
      return { exitCode: ExitCode.success, updated };
    } catch (error) {
      throw transaction.translate(error);
    } finally {
      await transaction.dispose();
    }
  } finally {
    await release();
  }
}

/** Exit 3 with every difference sync will not override, each with what to do instead. */
function refusal(refused: Difference[]): Error {
  const count = `${refused.length} difference${refused.length === 1 ? '' : 's'}`;
  return projectProblem(
    `joinery sync cannot repair ${count} without overriding a deliberate change or an applied migration:\n${refused
      .map((difference) => `  ${differenceLine(difference)}`)
      .join('\n')}`,
    'Do what each line says, then run joinery sync again; nothing was written.',
  );
}
