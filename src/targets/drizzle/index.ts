import path from 'node:path';
import { renderTemplate } from '../../render/render-template.js';
import { onDeleteSentence } from '../../rules/usage-wording.js';
import { articleFor, camelCase, pluralizeLast } from '../../rules/naming.js';
import type { Project } from '../../project/project.js';
import { withActions, type MigrationStep, type OrmTarget } from '../target.js';
import { readDrizzleConfig } from './drizzle-config.js';
import { drizzleKitBin, hasMigrationNamed, migrationFiles, runDrizzleKit } from './drizzle-kit.js';
import { pendingDrizzleMigration } from './pending-migration.js';
import { planDrizzleJoin, type DrizzleJoinPlan } from './plan-join.js';
import { planDrizzleResource, type DrizzleResourcePlan } from './plan-resource.js';

export const drizzleTarget: OrmTarget = {
  name: 'drizzle',
  label: 'Drizzle',
  // Helpers for drizzle-orm 0.45 (1.x projects get a warning); drizzle-kit writes the migrations.
  capabilities: { helpers: true, migration: 'tool', formatter: 'prettier' },

  async planJoin(project, join, changes, options) {
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

  async pendingMigrations(project) {
    return pendingDrizzleMigration(project, readDrizzleConfig(project));
  },

  async migrate(project) {
    const config = readDrizzleConfig(project);
    const { stdout, stderr } = await runDrizzleKit(project, config, ['migrate']);
    return `${stdout}${stderr}`.trim();
  },
};

/**
 * drizzle-kit generate, run in the project the plan was made against (the staged copy), where
 * its migration and journal join the transaction.
 */
function migrationStep(
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

function joinUsage(plan: DrizzleJoinPlan): string {
  const { join, sides } = plan;
  const side = (key: typeof join.source) => ({
    key: camelCase(key.attribute.name),
    relationship: camelCase(key.relationship),
    plural: camelCase(pluralizeLast(key.relationship)),
    // What the other side calls this side's rows through the join (1.x `through` relations).
    manyToMany: key.manyToMany,
    ids: `${camelCase(key.relationship)}Ids`,
  });
  return renderTemplate('drizzle/usage.txt.ejs', {
    relationsV1: plan.relationsV1,
    source: { ...side(join.source), table: sides.source.table.variable },
    target: { ...side(join.target), table: sides.target.table.variable },
    collection: join.collection,
    helpers: plan.helpers,
  });
}

function resourceUsage(plan: DrizzleResourcePlan): string {
  const { resource } = plan;
  const row = camelCase(resource.resource);
  const key = plan.keyProperty ?? 'id';
  return renderTemplate('drizzle/resource-usage.txt.ejs', {
    article: articleFor(resource.resource),
    row,
    table: plan.variable,
    key,
    values:
      plan.requiredFields.length > 0
        ? `{ ${plan.requiredFields.join(', ')} }`
        : plan.existed
          ? '{ /* its columns */ }'
          : '{}',
    belongsTo: plan.belongsTo.map((link) => ({
      ...link,
      name: camelCase(link.relationship.destination.resource),
      article: articleFor(link.relationship.destination.resource),
    })),
    onDelete: plan.belongsTo.map((link) =>
      onDeleteSentence(
        link.relationship.destination.resource,
        link.relationship.onDelete,
        resource.collection,
        link.relationship.attribute,
      ),
    ),
    uuidv7Source: plan.uuidv7Source,
    altersSchema: plan.altersSchema,
    relationsV1: plan.relationsV1,
  });
}
