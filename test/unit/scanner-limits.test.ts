/**
 * The scanner reads only what can hold the user's resources: files over MAX_SOURCE_BYTES, binary
 * files, node_modules, dist and declaration files are skipped by both targets. Each skipped file
 * here would stop the run if it were parsed (it does not parse), so a plan that succeeds proves
 * it was never read as source.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { loadProject, MAX_SOURCE_BYTES } from '../../src/project/project.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { planDrizzleJoin } from '../../src/targets/drizzle/plan-join.js';
import { planTypeormJoin } from '../../src/targets/typeorm/plan-join.js';
import { cleanup, copyFixture } from '../support/fixture.js';
import { genFlags } from '../support/gen-flags.js';

const dirs: string[] = [];
afterEach(async () => cleanup(...dirs.splice(0)));

const join = () =>
  toJoinModel(
    buildResourceSpec(genFlags(['Accounts', 'UserEvent'], { primaryKey: ['user_id,event_id'] })),
  );

/** Files that look like schema to a text search and do not parse. */
async function addTraps(dir: string, marker: string): Promise<void> {
  const broken = `${marker}\nexport const broken = pgTable('user_events', {{{ user\n`;
  const traps: Record<string, string> = {
    'src/generated/huge.ts': `${broken}// ${'x'.repeat(MAX_SOURCE_BYTES)}\n`,
    'src/blob.ts': `${broken}\u0000\u0001\u0002`,
    'src/node_modules/some-lib/index.ts': broken,
    'src/dist/schema.js': broken,
    'src/build/schema.js': broken,
    'src/types.d.ts': broken,
  };
  for (const [file, text] of Object.entries(traps)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
}

describe('the scanner skips huge, binary and generated files', () => {
  it('Drizzle', async () => {
    const dir = await copyFixture('drizzle-pg-domains');
    dirs.push(dir);
    const config = path.join(dir, 'drizzle.config.ts');
    // Scan the whole src folder, so the traps are candidates.
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace("'./src/db/schema.ts'", "'./src'"),
    );
    await addTraps(dir, "import { pgTable } from 'drizzle-orm/pg-core'");
    const project = loadProject(dir);
    const changes = new ChangeSet(dir);
    const plan = await planDrizzleJoin(project, join(), changes, {
      ignoreIfExists: false,
      migration: true,
    });
    expect(plan.existed).toBe(false);
    expect(changes.listChanges().map((change) => changes.relative(change.file))).not.toContain(
      'src/generated/huge.ts',
    );
  });

  it('control: the same trap in an ordinary source file stops the run (exit 3, file and line)', async () => {
    const dir = await copyFixture('typeorm-pg');
    dirs.push(dir);
    // Inside the DataSource's entities glob: the scoped scan reads exactly those files.
    await writeFile(
      path.join(dir, 'src/entities/Visible.ts'),
      "import { Entity } from 'typeorm'\n@Entity('user_events') class UserEvent {{{ user\n",
    );
    await expect(
      planTypeormJoin(loadProject(dir), join(), new ChangeSet(dir), {
        ignoreIfExists: false,
        migration: true,
      }),
    ).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/Visible\.ts:2:\d+: does not parse/),
    });
  });

  it('TypeORM', async () => {
    const dir = await copyFixture('typeorm-pg');
    dirs.push(dir);
    await addTraps(
      dir,
      "import { Entity } from 'typeorm'\n@Entity('user_events') class UserEvent {",
    );
    const project = loadProject(dir);
    const changes = new ChangeSet(dir);
    const plan = await planTypeormJoin(project, join(), changes, {
      ignoreIfExists: false,
      migration: true,
    });
    expect(plan.existed).toBe(false);
    expect(plan.joinFile).toBe(path.join(dir, 'src/entities/UserEvent.ts'));
  });
});
