/**
 * `joinery gen resource`: flags → spec → (merged with joinery.json) → project scan → plan into a
 * change set → format → dry-run | check | write, then the ORM's migration step. A command with
 * `-r many_to_many:…` generates the resource, then each join, in turn. Never exits; returns what
 * happened.
 */
import type { FileChange } from '../change-set/change-set.js';
import { acquireLock } from '../change-set/lock.js';
import { renderDiff } from '../change-set/render-diff.js';
import { ExitCode, invalidInput, JoineryError, type ExitCodeValue } from '../errors.js';
import { entryKey } from '../manifest/manifest.js';
import type { Output } from '../output.js';
import { loadProject, type Project } from '../project/project.js';
import { expandRelationships } from '../resource/expand-relationships.js';
import type { ResourceSpec } from '../flags/types.js';
import { selectTarget } from '../targets/registry.js';
import type { OrmTarget } from '../targets/target.js';
import { applyPlan, summary, type Confirm } from './apply-plan.js';
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
  // Writes hold the project lock from the first read to the last write.
  const release = options.mode === 'write' ? await acquireLock(root) : undefined;
  try {
    const result: GenResourceResult = {
      exitCode: ExitCode.success,
      changes: [],
      migrationFiles: [],
    };
    for (const [index, spec] of specs.entries()) {
      // Each resource is planned against the files as the previous one left them.
      const project = loadProject(root);
      const target = await selectTarget(project, options.orm);
      const one = await genOne(project, target, { ...options, spec }, output);
      result.changes.push(...one.changes);
      result.migrationFiles.push(...one.migrationFiles);
      if (one.exitCode !== ExitCode.success) result.exitCode = one.exitCode;
      const later = specs.slice(index + 1);
      if (options.mode !== 'write' && one.created && later.length > 0) {
        // A join or has_many of a resource that does not exist yet cannot be planned before it is written.
        output.info(
          `Then: ${later.map(entryKey).join(', ')}, planned once ${entryKey(spec)} exists (run without --${options.mode}).`,
        );
        break;
      }
    }
    return result;
  } finally {
    await release?.();
  }
}

interface OneResult extends GenResourceResult {
  /** The run creates the resource (rather than finding it). */
  created: boolean;
}

async function genOne(
  project: Project,
  target: OrmTarget,
  options: GenResourceOptions,
  output: Output,
): Promise<OneResult> {
  const planned = await planResource(project, target, options);
  const { label, changes, changeSet, migration, plan } = planned;
  const created = !plan.existed;
  const nothing = { exitCode: ExitCode.success, changes: [], migrationFiles: [], created };
  for (const warning of plan.warnings) output.warn(warning);
  if (planned.skipped) {
    output.info(`${label} exists; nothing done (--ignore-if-exists).`);
    return nothing;
  }

  if (options.mode !== 'write') {
    for (const change of changes) output.info(renderDiff(change, changeSet.relative(change.file)));
    const pending = changes.length > 0 || migration?.needed === true;
    if (migration?.needed) output.info(`Migration: would run ${migration.description}`);
    if (!pending) output.info(`${label} is current: nothing to change.`);
    else if (options.mode === 'dry-run') output.info(summary(changes, changeSet, true));
    return {
      ...nothing,
      exitCode: options.mode === 'check' && pending ? ExitCode.drift : ExitCode.success,
      changes,
    };
  }

  if (changes.length === 0 && !migration?.needed) {
    output.info(`${label} is current: nothing to change.`);
    return { ...nothing, changes };
  }
  const applied = await applyPlan(planned, output, options.confirm);
  if (!applied.written) return nothing;
  output.info(summary(changes, changeSet, false));
  for (const file of applied.migrationFiles) {
    output.info(`  migration ${changeSet.relative(file)}`);
  }
  if (!options.migration) output.info('Migration skipped (--no-migration).');
  output.info('');
  output.info(plan.usage());
  return { ...nothing, changes, migrationFiles: applied.migrationFiles };
}

export { JoineryError };
