/**
 * `joinery gen resource`: flags → spec → (merged with joinery.json) → project scan → plan into a
 * change set → format → dry-run | check | write, then the ORM's migration step. A command with
 * `-r many_to_many:…` generates the resource, then each join, in turn. Never exits; returns what
 * happened.
 */
import type { FileChange } from '../change-set/change-set.js';
import {
  assertNoInterruptedCommit,
  recoverInterruptedCommit,
  recoveryNote,
} from '../change-set/commit-journal.js';
import { acquireLock } from '../change-set/lock.js';
import { renderDiff } from '../change-set/render-diff.js';
import { ExitCode, invalidInput, JoineryError, type ExitCodeValue } from '../errors.js';
import { entryKey } from '../manifest/manifest.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import { expandRelationships } from '../resource/expand-relationships.js';
import type { ResourceSpec } from '../flags/types.js';
import { selectTarget } from '../targets/registry.js';
import { summary, Transaction, type Confirm, type StagedPart } from './transaction.js';
import { planResource } from './plan-resource.js';

export interface GenResourceOptions {
  cwd: string;
  /** --orm: the target, when the project uses more than one ORM. */
  orm?: string | undefined;
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
  const root = loadProject(options.cwd).root;
  const { resource, related } = expandRelationships(options.spec);
  const specs = [...(resource ? [resource] : []), ...related];
  if (options.migrationName !== undefined && specs.length > 1) {
    throw invalidInput(
      `--migration-name names one migration, but this command generates ${specs.length} resources (${specs.map(entryKey).join(', ')}).`,
      'Drop --migration-name, or generate the resources one at a time.',
    );
  }
  if (options.mode !== 'write') {
    assertNoInterruptedCommit(root);
    return preview(root, specs, options, output);
  }
  // Writes hold the project lock from the first read to the last write.
  const release = await acquireLock(root);
  try {
    const recovery = recoverInterruptedCommit(root);
    if (recovery) output.warn(recoveryNote(recovery));
    return await writeAll(root, specs, options, output);
  } finally {
    await release();
  }
}

/** --dry-run and --check: each resource's diff, planned against the project as it is. */
async function preview(
  root: string,
  specs: ResourceSpec[],
  options: GenResourceOptions,
  output: Output,
): Promise<GenResourceResult> {
  const result: GenResourceResult = { exitCode: ExitCode.success, changes: [], migrationFiles: [] };
  const project = loadProject(root);
  const target = await selectTarget(project, options.orm);
  for (const [index, spec] of specs.entries()) {
    const planned = await planResource(loadProject(root), target, { ...options, spec });
    const { label, changes, changeSet, migration, plan } = planned;
    for (const warning of plan.warnings) output.warn(warning);
    if (planned.skipped) {
      output.info(`${label} exists; nothing done (--ignore-if-exists).`);
      continue;
    }
    for (const change of changes) output.info(renderDiff(change, changeSet.relative(change.file)));
    const pending = changes.length > 0 || migration?.needed === true;
    if (migration?.needed) output.info(`Migration: would run ${migration.description}`);
    if (!pending) output.info(`${label} is current: nothing to change.`);
    else if (options.mode === 'dry-run') output.info(summary(changes, changeSet, true));
    result.changes.push(...changes);
    if (options.mode === 'check' && pending) result.exitCode = ExitCode.drift;
    const later = specs.slice(index + 1);
    if (!plan.existed && later.length > 0) {
      // A join or has_many of a resource that does not exist yet cannot be planned before it is written.
      output.info(
        `Then: ${later.map(entryKey).join(', ')}, planned once ${entryKey(spec)} exists (run without --${options.mode}).`,
      );
      break;
    }
  }
  return result;
}

/**
 * Write mode: every resource planned (each against what the earlier ones produced) and its
 * migration made before one commit writes them all; any failure writes nothing.
 */
async function writeAll(
  root: string,
  specs: ResourceSpec[],
  options: GenResourceOptions,
  output: Output,
): Promise<GenResourceResult> {
  const target = await selectTarget(loadProject(root), options.orm);
  const staged = specs.length > 1 || target.capabilities.migration === 'tool';
  const transaction = await Transaction.open(root, staged);
  try {
    const parts: StagedPart[] = [];
    for (const spec of specs) {
      const planned = await planResource(transaction.project(), target, { ...options, spec });
      const { label, changes, migration, plan } = planned;
      for (const warning of plan.warnings) output.warn(warning);
      if (planned.skipped) output.info(`${label} exists; nothing done (--ignore-if-exists).`);
      else if (changes.length === 0 && !migration?.needed) {
        output.info(`${label} is current: nothing to change.`);
      } else parts.push(await transaction.add(planned, output));
    }
    const changes = transaction.changes();
    const nothing = { exitCode: ExitCode.success, changes: [], migrationFiles: [] };
    if (changes.length === 0) return nothing;
    if (!(await transaction.commit(changes, output, options.confirm))) return nothing;
    for (const { planned, migrationFiles } of parts) {
      output.info(summary(planned.changes, planned.changeSet, false));
      for (const file of migrationFiles) output.info(`  migration ${file}`);
      if (!options.migration) output.info('Migration skipped (--no-migration).');
      output.info('');
      output.info(planned.plan.usage());
    }
    return {
      exitCode: ExitCode.success,
      changes,
      migrationFiles: parts.flatMap((part) => part.migrationFiles),
    };
  } catch (error) {
    throw transaction.translate(error);
  } finally {
    await transaction.dispose();
  }
}

export { JoineryError };
