/**
 * The migration belongs to drizzle-kit: the plan only names it (`create_…`, or what a create or
 * converge step asked for), and `drizzle-kit generate` runs once the change set is written,
 * undone (its files and journal) when a later step fails.
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '../../project/project.js';
import type { MigrationStep, PlanOptions } from '../target.js';
import { drizzleKitBin, hasMigrationNamed, migrationFiles, runDrizzleKit } from './drizzle-kit.js';
import type { DrizzleJoinPlan, DrizzleResourcePlan, SchemaChange } from './plan-types.js';

/** A grown or replaced table's migration takes the name its change calls for (or --migration-name). */
export function nameMigration(
  plan: DrizzleJoinPlan | DrizzleResourcePlan,
  change: SchemaChange,
  options: PlanOptions,
): void {
  if (change.migrationName) plan.migrationName = options.migrationName ?? change.migrationName;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * drizzle-kit generate, run once the change set is written; undone (its files and journal) when
 * a later step fails.
 */
export function migrationStep(
  project: Project,
  plan: DrizzleJoinPlan | DrizzleResourcePlan,
  changed: boolean,
): MigrationStep {
  const name = plan.migrationName;
  // Fail before writing anything when drizzle-kit is missing.
  const bin = drizzleKitBin(project);
  let journalBefore: string | undefined;
  let created = (): string[] => [];
  return {
    description: `drizzle-kit generate --name ${name}`,
    // A migration of that name exists: the table is as it was created; relations need none.
    // A grown or replaced table gets a new name, so it runs whenever the schema changed.
    // A plain resource that gained only relations (or nothing) needs none.
    needed:
      plan.kind === 'join'
        ? !hasMigrationNamed(project, plan.config, name) ||
          (changed && name !== plan.join.migrationName)
        : plan.altersSchema &&
          changed &&
          (name !== plan.resource.migrationName || !hasMigrationNamed(project, plan.config, name)),
    async run() {
      const before = new Set(migrationFiles(project, plan.config));
      // drizzle-kit also rewrites its journal: keep it, so the run can be undone whole.
      const journal = path.resolve(project.root, plan.config.out, 'meta', '_journal.json');
      journalBefore = readOrUndefined(journal);
      created = () => migrationFiles(project, plan.config).filter((file) => !before.has(file));
      try {
        await runDrizzleKit(project, plan.config, ['generate', '--name', name], bin);
      } catch (error) {
        // Whatever drizzle-kit left half-written goes with the rest of the run.
        await this.undo!();
        throw error;
      }
      return created().filter((file) => /\.(sql|json)$/.test(file));
    },
    async undo() {
      await Promise.allSettled(created().map((file) => rm(file, { force: true, recursive: true })));
      const journal = path.resolve(project.root, plan.config.out, 'meta', '_journal.json');
      if (journalBefore !== undefined && readOrUndefined(journal) !== journalBefore) {
        await writeFile(journal, journalBefore, 'utf8');
      }
    },
  };
}
