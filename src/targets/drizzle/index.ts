import { invalidInput } from '../../errors.js';
import { DRIZZLE_NAMES } from './generated-names.js';
import { withActions, type OrmTarget } from '../target.js';
import { readDrizzleConfig } from './drizzle-config.js';
import { runDrizzleKit } from './drizzle-kit.js';
import { migrationStep } from './migration.js';
import { pendingDrizzleMigration } from './pending-migration.js';
import { planDrizzleJoin } from './plan-join.js';
import { planDrizzleResource } from './plan-resource.js';
import { drizzleSqlNaming } from './scan.js';
import { joinUsage, resourceUsage } from './usage.js';

export const drizzleTarget: OrmTarget = {
  name: 'drizzle',
  label: 'Drizzle',
  // Helpers for drizzle-orm 0.45 (1.x projects get a warning); drizzle-kit writes the migrations.
  capabilities: { helpers: true, migration: 'tool', formatter: 'prettier' },
  generatedNames: DRIZZLE_NAMES,
  sqlNaming: drizzleSqlNaming,

  async planJoin(project, join, changes, options) {
    if (join.schema) {
      throw invalidInput(
        `--table ${join.schema}.${join.table}: a schema-qualified join table is supported for TypeORM only.`,
        `Pass --table ${join.table}; a Drizzle table in a schema is declared with pgSchema('${join.schema}').table(...) by hand.`,
      );
    }
    const plan = await planDrizzleJoin(project, join, changes, options);
    return withActions(plan, {
      usage: () => joinUsage(plan),
      migrationStep: (changed) => migrationStep(project, plan, changed),
    });
  },

  async planResource(project, resource, changes, options) {
    const plan = await planDrizzleResource(project, resource, changes, options);
    return withActions(plan, {
      usage: () => resourceUsage(plan),
      migrationStep: (changed) => migrationStep(project, plan, changed),
    });
  },

  async pendingMigrations(project, _tables, unmigratedTables) {
    return pendingDrizzleMigration(project, readDrizzleConfig(project), unmigratedTables);
  },

  async migrate(project) {
    const config = readDrizzleConfig(project);
    const { stdout, stderr } = await runDrizzleKit(project, config, ['migrate']);
    return `${stdout}${stderr}`.trim();
  },
};
