import { renderTemplate } from '../../render/render-template.js';
import { camelCase } from '../../spec/naming.js';
import type { JoinTarget, MigrationStep } from '../target.js';
import { readDrizzleConfig } from './drizzle-config.js';
import { hasMigrationNamed, migrationFiles, runDrizzleKit } from './drizzle-kit.js';
import { planDrizzleJoin, type DrizzleJoinPlan } from './plan-join.js';

export const drizzleTarget: JoinTarget<DrizzleJoinPlan> = {
  orm: 'Drizzle',
  planJoin: planDrizzleJoin,

  migrationStep(project, plan, changed): MigrationStep {
    const name = plan.join.migrationName;
    return {
      description: `drizzle-kit generate --name ${name}`,
      needed: changed || !hasMigrationNamed(project, plan.config, name),
      async run() {
        const before = new Set(migrationFiles(project, plan.config));
        await runDrizzleKit(project, plan.config, ['generate', '--name', name]);
        return migrationFiles(project, plan.config).filter((file) => !before.has(file));
      },
    };
  },

  usage(plan) {
    const { join, sides } = plan;
    return renderTemplate('drizzle/usage.txt.ejs', {
      join: plan.join,
      dialect: plan.dialect,
      source: { table: sides.source.table.variable, key: camelCase(join.source.attribute.name), relationship: camelCase(join.source.relationship) },
      target: { table: sides.target.table.variable, key: camelCase(join.target.attribute.name), relationship: camelCase(join.target.relationship), ids: `${camelCase(join.target.relationship)}Ids` },
      collection: join.collection,
    });
  },

  async migrate(project) {
    const config = readDrizzleConfig(project);
    const { stdout, stderr } = await runDrizzleKit(project, config, ['migrate']);
    return `${stdout}${stderr}`.trim();
  },
};
