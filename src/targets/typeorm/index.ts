/** The TypeORM target: what it can do, and its planners wired to their usage and migration step. */
import { TYPEORM_NAMES } from './generated-names.js';
import { withActions, type OrmTarget } from '../target.js';
import { migrateTypeorm, sourceMigrationStep } from './migration.js';
import { pendingTypeormMigration } from './pending-migration.js';
import { planTypeormJoin } from './plan-join.js';
import { planTypeormResource } from './plan-resource.js';
import { typeormSqlNaming } from './scan.js';
import { joinUsage, resourceUsage } from './usage.js';

export const typeormTarget: OrmTarget = {
  name: 'typeorm',
  label: 'TypeORM',
  // The migration class is source, planned into the change set with the entities.
  capabilities: { helpers: true, migration: 'source', formatter: 'prettier' },
  generatedNames: TYPEORM_NAMES,

  sqlNaming(project, near) {
    // The names the planners scan for: the resource under each table it may have, and the
    // destinations, which must resolve (see scanTypeormProject).
    const destinations = near.destinations.map((ref) => ref.resource);
    return typeormSqlNaming(project, near, {
      names: [...near.self.flatMap((self) => [self.resource, self.table]), ...destinations],
      required: destinations,
    });
  },

  async planJoin(project, join, changes, options) {
    const plan = await planTypeormJoin(project, join, changes, options);
    return withActions(plan, {
      usage: () => joinUsage(plan),
      migrationStep: () => sourceMigrationStep(plan.join.migrationName),
    });
  },

  async planResource(project, resource, changes, options) {
    const plan = await planTypeormResource(project, resource, changes, options);
    return withActions(plan, {
      usage: () => resourceUsage(plan),
      migrationStep: () => sourceMigrationStep(plan.migrationName),
    });
  },

  pendingMigrations: pendingTypeormMigration,

  migrate: migrateTypeorm,
};
