import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, pluralizeLast } from '../../spec/naming.js';
import type { JoinTarget, MigrationStep } from '../target.js';
import { readDrizzleConfig } from './drizzle-config.js';
import { drizzleKitBin, hasMigrationNamed, migrationFiles, runDrizzleKit } from './drizzle-kit.js';
import { pendingDrizzleMigration } from './pending-migration.js';
import { planDrizzleJoin, type DrizzleJoinPlan } from './plan-join.js';

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export const drizzleTarget: JoinTarget<DrizzleJoinPlan> = {
  orm: 'Drizzle',
  planJoin: planDrizzleJoin,

  migrationStep(project, plan, changed): MigrationStep {
    const name = plan.migrationName;
    // Fail before writing anything when drizzle-kit is missing.
    const bin = drizzleKitBin(project);
    let journalBefore: string | undefined;
    let created = (): string[] => [];
    return {
      description: `drizzle-kit generate --name ${name}`,
      // A migration of that name exists: the table is as it was created; relations need none.
      // A grown or replaced table gets a new name, so it runs whenever the schema changed.
      needed:
        !hasMigrationNamed(project, plan.config, name) ||
        (changed && name !== plan.join.migrationName),
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
        await Promise.allSettled(
          created().map((file) => rm(file, { force: true, recursive: true })),
        );
        const journal = path.resolve(project.root, plan.config.out, 'meta', '_journal.json');
        if (journalBefore !== undefined && readOrUndefined(journal) !== journalBefore) {
          await writeFile(journal, journalBefore, 'utf8');
        }
      },
    };
  },

  async pendingMigrations(project) {
    return pendingDrizzleMigration(project, readDrizzleConfig(project));
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
      helpers: plan.helpers,
    });
  },

  async migrate(project) {
    const config = readDrizzleConfig(project);
    const { stdout, stderr } = await runDrizzleKit(project, config, ['migrate']);
    return `${stdout}${stderr}`.trim();
  },
};
