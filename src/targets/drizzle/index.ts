import { rm } from 'node:fs/promises';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, pluralizeLast } from '../../spec/naming.js';
import type { JoinTarget, MigrationStep } from '../target.js';
import { readDrizzleConfig } from './drizzle-config.js';
import { drizzleKitBin, hasMigrationNamed, migrationFiles, runDrizzleKit } from './drizzle-kit.js';
import { planDrizzleJoin, type DrizzleJoinPlan } from './plan-join.js';

export const drizzleTarget: JoinTarget<DrizzleJoinPlan> = {
  orm: 'Drizzle',
  planJoin: planDrizzleJoin,

  migrationStep(project, plan, changed): MigrationStep {
    const name = plan.join.migrationName;
    // Fail before writing anything when drizzle-kit is missing.
    const bin = drizzleKitBin(project);
    return {
      description: `drizzle-kit generate --name ${name}`,
      needed: changed || !hasMigrationNamed(project, plan.config, name),
      async run() {
        const before = new Set(migrationFiles(project, plan.config));
        const created = () =>
          migrationFiles(project, plan.config).filter((file) => !before.has(file));
        try {
          await runDrizzleKit(project, plan.config, ['generate', '--name', name], bin);
        } catch (error) {
          // Whatever drizzle-kit left half-written goes with the rest of the run.
          await Promise.allSettled(created().map((file) => rm(file, { force: true })));
          throw error;
        }
        return created();
      },
    };
  },

  usage(plan) {
    const { join, sides } = plan;
    const side = (key: typeof join.source) => ({
      key: camelCase(key.attribute.name),
      relationship: camelCase(key.relationship),
      plural: camelCase(pluralizeLast(key.relationship)),
      ids: `${camelCase(key.relationship)}Ids`,
    });
    return renderTemplate('drizzle/usage.txt.ejs', {
      relationsV1: plan.relationsV1,
      source: { ...side(join.source), table: sides.source.table.variable },
      target: { ...side(join.target), table: sides.target.table.variable },
      collection: join.collection,
    });
  },

  async migrate(project) {
    const config = readDrizzleConfig(project);
    const { stdout, stderr } = await runDrizzleKit(project, config, ['migrate']);
    return `${stdout}${stderr}`.trim();
  },
};
