/**
 * `joinery gen resource`: flags → spec → project scan → plan into a change set → format →
 * dry-run | check | write, then the ORM's migration step. Never exits; returns what happened.
 */
import { ChangeSet, type FileChange } from '../change-set/change-set.js';
import { formatChanges } from '../change-set/format-changes.js';
import { renderDiff } from '../change-set/render-diff.js';
import { restore, writeChanges } from '../change-set/write-changes.js';
import { ExitCode, JoineryError, type ExitCodeValue } from '../errors.js';
import { toJoinModel } from '../join/join-model.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import type { ResourceSpec } from '../spec/types.js';
import { selectTarget } from '../targets/select-target.js';

export interface GenResourceOptions {
  cwd: string;
  spec: ResourceSpec;
  mode: 'write' | 'dry-run' | 'check';
  migration: boolean;
  migrationName: string | undefined;
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
  const join = toJoinModel(options.spec);
  if (options.migrationName) join.migrationName = options.migrationName;

  const changeSet = new ChangeSet(project.root);
  const plan = await target.planJoin(project, join, changeSet, {
    ignoreIfExists: options.spec.ignoreIfExists,
    migration: options.migration,
  });
  for (const warning of plan.warnings) output.warn(warning);
  await formatChanges(changeSet);
  const changes = changeSet.listChanges();
  const migration = options.migration
    ? target.migrationStep(project, plan, changes.length > 0)
    : undefined;
  const label = `${join.domain}.${join.resource}`;

  if (options.mode !== 'write') {
    for (const change of changes) output.info(renderDiff(change, changeSet.relative(change.file)));
    const pending = changes.length > 0 || migration?.needed === true;
    if (migration?.needed) output.info(`Migration: would run ${migration.description}`);
    if (!pending) output.info(`${label} is current: nothing to change.`);
    else if (options.mode === 'dry-run') output.info(summary(changes, changeSet, 'Would'));
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
  await writeChanges(changes);
  let migrationFiles: string[] = [];
  if (migration?.needed) {
    output.progress(`Running ${migration.description} ...`);
    try {
      migrationFiles = await migration.run();
    } catch (error) {
      // The schema edits and the migration land together or not at all.
      await restore(changes);
      throw error;
    }
  }
  output.info(summary(changes, changeSet, ''));
  for (const file of migrationFiles) output.info(`  migration ${changeSet.relative(file)}`);
  if (!options.migration) output.info('Migration skipped (--no-migration).');
  output.info('');
  output.info(target.usage(plan));
  return { exitCode: ExitCode.success, changes, migrationFiles };
}

function summary(changes: FileChange[], changeSet: ChangeSet, prefix: 'Would' | ''): string {
  const verb = (kind: FileChange['kind']) =>
    prefix ? `would ${kind}` : kind === 'create' ? 'created' : 'updated';
  return changes
    .map((change) => `  ${verb(change.kind)} ${changeSet.relative(change.file)}`)
    .join('\n');
}

export { JoineryError };
