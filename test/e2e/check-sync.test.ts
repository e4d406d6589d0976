/**
 * joinery.json, `joinery check` and `joinery sync` through the built CLI on fixture copies: every
 * gen is recorded; check replays the entries as a dry run and exits 1 with the diff on drift (a
 * removed relationship, a removed index, a missing migration, a schema change drizzle-kit would
 * migrate), 0 with one line when current, and writes nothing; sync puts it right.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** Runs `joinery check` and asserts it wrote nothing. */
async function check(dir: string, ...args: string[]) {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, ['check', ...args]);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return result;
}

async function edit(file: string, change: (text: string) => string): Promise<string> {
  const before = await readFile(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
  return before;
}

describe('Drizzle: check and sync', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
    const result = await runJoinery(dir, REFERENCE_ARGS);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('created joinery.json');
  });
  afterAll(() => cleanup(dir));

  it('records the normalized spec, the files and the migration in joinery/<key>.json', async () => {
    expect(JSON.parse(await readFile(path.join(dir, 'joinery.json'), 'utf8'))).toEqual({
      entries: 'joinery/',
      version: 2,
    });
    const text = await readFile(path.join(dir, 'joinery/Accounts.UserEvent.json'), 'utf8');
    expect({ 'Accounts.UserEvent': JSON.parse(text) }).toEqual({
      'Accounts.UserEvent': {
        domain: 'Accounts',
        resource: 'UserEvent',
        table: 'user_events',
        primaryKey: ['user_id', 'event_id'],
        attributes: ['user_id:uuid', 'event_id:uuid'],
        relationships: [],
        timestamps: false,
        files: [
          'src/accounts/user-event.ts',
          'src/accounts/user.ts',
          'src/db/schema.ts',
          'src/works/event.ts',
        ],
        migrations: [
          {
            name: 'create_user_events_join_table',
            files: [
              'drizzle/0001_create_user_events_join_table.sql',
              'drizzle/meta/0001_snapshot.json',
            ],
            // Checksums of the files as drizzle-kit wrote them, so check finds a later edit.
            sha256: {
              'drizzle/0001_create_user_events_join_table.sql': expect.stringMatching(SHA256),
              'drizzle/meta/0001_snapshot.json': expect.stringMatching(SHA256),
            },
          },
        ],
      },
    });
    expect(text.endsWith('  ]\n}\n')).toBe(true);
  });

  it('a relationship removed from one side: exit 1 with the diff, --json says the same; sync restores it', async () => {
    const event = path.join(dir, 'src/works/event.ts');
    await edit(event, (text) => text.replace(/\n\s*userEvents: many\(userEvents\),?/, ''));
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Accounts.UserEvent is not current:');
    expect(result.stdout).toContain('+++ b/src/works/event.ts');
    expect(result.stdout).toContain('+  userEvents: many(userEvents),');
    expect(result.stdout).toMatch(
      /not current \(Accounts\.UserEvent\)\. Run `joinery sync` to update\.$/,
    );

    const json = await check(dir, '--json');
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      current: false,
      problems: [],
      entries: [{ key: 'Accounts.UserEvent', current: false, migration: null, problems: [] }],
    });
    expect(report.entries[0].changes.map((change: { file: string }) => change.file)).toEqual([
      'src/works/event.ts',
    ]);

    const sync = await runJoinery(dir, ['sync']);
    expect(sync.exitCode).toBe(0);
    expect(sync.stdout).toContain('updated src/works/event.ts');
    expect((await check(dir)).exitCode).toBe(0);
  });

  it('an index removed from the join table: the diff, and the migration drizzle-kit would write', async () => {
    const join = path.join(dir, 'src/accounts/user-event.ts');
    const before = await edit(join, (text) =>
      text.replace(/\n\s*index\('user_events_event_id_idx'\)\.on\(t\.eventId\),?/, ''),
    );
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("+    index('user_events_event_id_idx').on(t.eventId),");
    expect(result.stdout).toContain('drizzle-kit generate would write a new migration:');
    expect(result.stdout).toContain('DROP INDEX "user_events_event_id_idx"');
    await writeFile(join, before);
  });

  it('a recorded migration deleted: exit 1 naming it', async () => {
    const sql = path.join(dir, 'drizzle/0001_create_user_events_join_table.sql');
    const before = await readFile(sql, 'utf8');
    await rm(sql);
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'drizzle/0001_create_user_events_join_table.sql: expected migration create_user_events_join_table, found no file',
    );
    await writeFile(sql, before);
  });

  it('a schema edit without its migration: exit 1 with the SQL drizzle-kit would generate', async () => {
    const topic = path.join(dir, 'src/works/topic.ts');
    const before = await edit(topic, (text) =>
      text.replace("name: text('name')", "name: text('name'),\n  color: text('color')"),
    );
    const result = await check(dir, '--json');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.entries[0].current).toBe(true);
    expect(report.problems).toEqual([
      expect.stringMatching(
        /would write a new migration:\n[\s\S]*ALTER TABLE "topics" ADD COLUMN "color" text/,
      ),
    ]);
    expect(report.summary).toMatch(/the migrations are behind the schema/);
    await writeFile(topic, before);
    expect((await check(dir)).exitCode).toBe(0);
  });

  it('an entry merged in from another branch: check shows what is missing; sync generates it', async () => {
    const manifest = path.join(dir, 'joinery/Accounts.UserTask.json');
    const recorded = {
      domain: 'Accounts',
      resource: 'UserTask',
      table: 'user_tasks',
      primaryKey: ['user_id', 'task_id'],
      attributes: ['role:string'],
      relationships: [],
      timestamps: false,
      files: [],
      migrations: [],
    };
    await writeFile(manifest, `${JSON.stringify(recorded, null, 2)}\n`);
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('+++ b/src/accounts/user-task.ts');
    expect(result.stdout).toContain(
      'would run drizzle-kit generate --name create_user_tasks_join_table',
    );

    const sync = await runJoinery(dir, ['sync']);
    expect(sync.stderr.replace(/^Running drizzle-kit.*$/gm, '').trim()).toBe('');
    expect(sync.exitCode).toBe(0);
    expect(sync.stdout).toMatch(
      /created src\/accounts\/user-task\.ts[\s\S]*migration drizzle\/0002_create_user_tasks_join_table\.sql/,
    );
    expect(sync.stdout).toMatch(/joinery sync: updated 1 of 2 resources \(Accounts\.UserTask\)\.$/);
    const after = JSON.parse(await readFile(manifest, 'utf8'));
    expect(after.migrations).toEqual([
      {
        name: 'create_user_tasks_join_table',
        files: ['drizzle/0002_create_user_tasks_join_table.sql', 'drizzle/meta/0002_snapshot.json'],
        sha256: {
          'drizzle/0002_create_user_tasks_join_table.sql': expect.stringMatching(SHA256),
          'drizzle/meta/0002_snapshot.json': expect.stringMatching(SHA256),
        },
      },
    ]);
    expect((await check(dir)).stdout).toBe('joinery check: 2 resources in joinery.json current.');
    // A second sync changes nothing.
    const before = await snapshotTree(dir);
    expect((await runJoinery(dir, ['sync'])).stdout).toBe(
      'joinery sync: all 2 resources in joinery.json current.',
    );
    expect(diffTrees(before, await snapshotTree(dir)).changed).toEqual([]);
  });

  it('a malformed entry file: exit 2 naming the file, line and column, for check, sync and gen', async () => {
    const manifest = path.join(dir, 'joinery/Accounts.UserEvent.json');
    const good = await readFile(manifest, 'utf8');
    await writeFile(manifest, good.replace('"table": "user_events",', '"table": "user_events",,'));
    for (const args of [['check'], ['sync'], REFERENCE_ARGS]) {
      const before = await snapshotTree(dir);
      const result = await runJoinery(dir, args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(
        /^error: joinery\/Accounts\.UserEvent\.json:4:26: not valid JSON: unexpected ","/,
      );
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    }
    await writeFile(manifest, good);
  });

  it('gen --check agrees', async () => {
    expect((await runJoinery(dir, [...REFERENCE_ARGS, '--check'])).exitCode).toBe(0);
  });
});

describe('check without a manifest', () => {
  it('exits 3 and says to run gen first', async () => {
    const dir = await copyFixture('drizzle-pg-single');
    try {
      const result = await runJoinery(dir, ['check']);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(
        /No joinery\.json in .*: joinery has recorded no resource here/,
      );
    } finally {
      await cleanup(dir);
    }
  });
});

describe('TypeORM: check and sync', () => {
  let dir: string;
  beforeAll(async () => {
    // typeorm-sqlite's naming: `@Entity()` tables and camelCase columns (user_event.eventId).
    dir = await copyFixture('typeorm-sqlite');
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
    ]);
    expect(result.exitCode).toBe(0);
  });
  afterAll(() => cleanup(dir));

  it('the entity and its migrations disagree: a column the migrations never create', async () => {
    const manifest = path.join(dir, 'joinery/Accounts.UserEvent.json');
    const good = await readFile(manifest, 'utf8');
    const migration = JSON.parse(good).migrations[0].files[0] as string;
    expect(migration).toMatch(/^src\/db\/migrations\/\d{13}-CreateUserEventJoinTable\.ts$/);
    const file = path.join(dir, migration);
    const before = await edit(file, (text) => text.replaceAll('eventId', 'evtId'));
    const result = await check(dir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /CreateUserEventJoinTable\.ts: expected migration create_user_event_join_table as generated \(sha256 [0-9a-f]{12}…\), found an edited file/,
    );
    await rm(file);
    expect((await check(dir)).stdout).toMatch(
      /CreateUserEventJoinTable\.ts: expected migration create_user_event_join_table, found no file/,
    );
    await writeFile(file, before);
    expect((await check(dir)).exitCode).toBe(0);
  });
});
