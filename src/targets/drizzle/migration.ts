/**
 * The migration belongs to drizzle-kit: the plan only names it (`create_…`, or what a create or
 * converge step asked for), and `drizzle-kit generate` runs in the staged copy, where its files
 * join the transaction (src/commands/transaction.ts).
 */
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

/**
 * drizzle-kit generate, run in the project the plan was made against (the staged copy), where
 * its migration and journal join the transaction.
 */
export function migrationStep(
  project: Project,
  plan: DrizzleJoinPlan | DrizzleResourcePlan,
  changed: boolean,
): MigrationStep {
  const name = plan.migrationName;
  // Fail before writing anything when drizzle-kit is missing.
  const bin = drizzleKitBin(project);
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
    outputs: path.resolve(project.root, plan.config.out),
    async run() {
      const before = new Set(migrationFiles(project, plan.config));
      await runDrizzleKit(project, plan.config, ['generate', '--name', name], bin);
      return migrationFiles(project, plan.config).filter(
        (file) => !before.has(file) && /\.(sql|json)$/.test(file),
      );
    },
  };
}
