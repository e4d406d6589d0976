/**
 * `joinery gen resource`: flags → spec → (merged with joinery.json) → project scan → plan into a
 * change set → format → dry-run | check | write, then the ORM's migration step. Never exits;
 * returns what happened.
 */
import type { FileChange } from '../change-set/change-set.js';
import { acquireLock } from '../change-set/lock.js';
import { renderDiff } from '../change-set/render-diff.js';
import { ExitCode, JoineryError, type ExitCodeValue } from '../errors.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import type { ResourceSpec } from '../spec/types.js';
import { selectTarget } from '../targets/select-target.js';
import { applyPlan, summary, type Confirm } from './apply-plan.js';
import { planResource } from './plan-resource.js';

export interface GenResourceOptions {
  cwd: string;
  spec: ResourceSpec;
  mode: 'write' | 'dry-run' | 'check';
  migration: boolean;
  migrationName: string | undefined;
  /** Asks before writing; absent when stdin is no terminal or under --yes. */
  confirm?: Confirm | undefined;
}

export interface GenResourceResult {
  exitCode: ExitCodeValue;
  changes: FileChange[];
  migrationFiles: string[];
}

export async function genResource(
  options: GenResourceOptions,
  output: Output,
): Promise<GenResourceResult> {
  const project = loadProject(options.cwd);
  const target = await selectTarget(project);
  // Writes hold the project lock from the first read to the last write.
  const release = options.mode === 'write' ? await acquireLock(project.root) : undefined;
  try {
    const planned = await planResource(project, target, options);
    const { label, changes, changeSet, migration, plan } = planned;
    for (const warning of plan.warnings) output.warn(warning);
    if (planned.skipped) {
      output.info(`${label} exists; nothing done (--ignore-if-exists).`);
      return { exitCode: ExitCode.success, changes: [], migrationFiles: [] };
    }

    if (options.mode !== 'write') {
      for (const change of changes)
        output.info(renderDiff(change, changeSet.relative(change.file)));
      const pending = changes.length > 0 || migration?.needed === true;
      if (migration?.needed) output.info(`Migration: would run ${migration.description}`);
      if (!pending) output.info(`${label} is current: nothing to change.`);
      else if (options.mode === 'dry-run') output.info(summary(changes, changeSet, true));
      return {
        exitCode: options.mode === 'check' && pending ? ExitCode.drift : ExitCode.success,
        changes,
        migrationFiles: [],
      };
    }

    if (changes.length === 0 && !migration?.needed) {
      output.info(`${label} is current: nothing to change.`);
      return { exitCode: ExitCode.success, changes, migrationFiles: [] };
    }
    const applied = await applyPlan(planned, output, options.confirm);
    if (!applied.written) return { exitCode: ExitCode.success, changes: [], migrationFiles: [] };
    output.info(summary(changes, changeSet, false));
    for (const file of applied.migrationFiles) {
      output.info(`  migration ${changeSet.relative(file)}`);
    }
    if (!options.migration) output.info('Migration skipped (--no-migration).');
    output.info('');
    output.info(target.usage(plan));
    return { exitCode: ExitCode.success, changes, migrationFiles: applied.migrationFiles };
  } finally {
    await release?.();
  }
}

export { JoineryError };
