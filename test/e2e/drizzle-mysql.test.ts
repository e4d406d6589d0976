/**
 * Drizzle on MySQL and MariaDB through the built CLI, on temp copies of the two MySQL fixtures:
 * the join and a plain resource with MySQL's types, tsc against the real drizzle-orm, the
 * migrations applied by `joinery migrate` and by drizzle's own mysql2 migrator on the MYSQL_URL
 * server, drizzle-kit finding nothing left to generate, the printed usage and the --helpers run
 * for real, a second run empty, check clean, and bad input refused with nothing changed.
 *
 * These cases need the server and never skip: without MYSQL_URL they fail saying so.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runDrizzleKit, runJoinery, typecheck } from '../support/cli.js';
import { diffTrees, fixtureCopies, snapshotTree } from '../support/fixture.js';
import { runHelpersUsage, type DrizzleHelpersOptions } from '../support/helpers-usage.js';
import {
  createMysqlDatabase,
  migrateMysqlProject,
  mysqlUrl,
  runMysqlUsage,
  type MigratedMysql,
} from '../support/mysql.js';

const copy = fixtureCopies();
const withoutProgress = (stderr: string) =>
  stderr.replace(/^(Running drizzle-kit|Checking) .*$/gm, '').trim();
const UNCHANGED = { added: [], removed: [], changed: [] };

async function generate(dir: string, args: string[]): Promise<string> {
  const run = await runJoinery(dir, args);
  expect(withoutProgress(run.stderr)).toBe('');
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

/** tsc against the real drizzle-orm: no output, exit 0. */
async function expectTypechecks(dir: string): Promise<void> {
  const checked = await typecheck(dir);
  expect(checked.stdout + checked.stderr).toBe('');
  expect(checked.exitCode).toBe(0);
}

/** drizzle-kit's own diff of schema against snapshots finds nothing to generate. */
async function expectNoSchemaDiff(dir: string): Promise<void> {
  const before = await snapshotTree(dir);
  const run = await runDrizzleKit(dir, ['generate', '--name', 'leftover']);
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toContain('No schema changes, nothing to migrate');
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
}

/** A second run changes nothing and says so; `joinery check` is clean. */
async function expectIdempotent(dir: string, args: string[]): Promise<void> {
  const before = await snapshotTree(dir);
  const again = await runJoinery(dir, args);
  expect(again.exitCode, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/is current: nothing to change\.$/);
  const check = await runJoinery(dir, ['check']);
  expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toMatch(/^joinery check: \d resources? in joinery\.json current\.$/);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
}

const EVENTS: DrizzleHelpersOptions['rightValues'] = [
  { title: 'Alpha' },
  { title: 'Beta' },
  { title: 'Gamma' },
];

// Needs no server: refused before anything runs.
describe('Drizzle dialects joinery does not generate for', () => {
  it('dialect "singlestore" exits 2 naming the config and the dialects it does, changing nothing', async () => {
    const dir = await copy('drizzle-mysql-planetscale');
    const config = path.join(dir, 'drizzle.config.ts');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('dialect: "mysql"', 'dialect: "singlestore"'),
    );
    const before = await snapshotTree(dir);
    const run = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`Drizzle dialect "singlestore" is not supported yet (${config}).`);
    expect(run.stderr).toContain(
      'joinery generates Drizzle joins for postgresql, sqlite and mysql',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  });
});

if (!process.env.MYSQL_URL) {
  describe('Drizzle on MySQL/MariaDB', () => {
    it('needs MYSQL_URL (a MariaDB or MySQL server)', () => {
      // Fails, never skips: CI sets MYSQL_URL, and a run without it has not tested MySQL.
      mysqlUrl();
    });
  });
} else {
  describe('drizzle-mysql-domains: folder-per-domain, serial and varchar(36) keys, foreign keys', () => {
    const reference = [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '--attributes',
      'user_id:integer:required',
      '--attributes',
      'event_id:uuid:required',
    ];
    const venue = [
      'gen',
      'resource',
      'Works',
      'Venue',
      '--uuid-v7-primary-key',
      'id',
      '-a',
      'name:string:required',
      '-a',
      'capacity:integer',
      '-a',
      'price:decimal',
      '-a',
      'accessible:boolean:required',
      '-a',
      'opens_at:utc_datetime_usec',
      '-a',
      'tags:string:array',
      '-a',
      'details:map',
      '--timestamps',
      '-r',
      'belongs_to:owner:Accounts.User:required',
      '--on-delete',
      'cascade',
    ];
    let dir: string;
    let stdout: string;
    let joined: MigratedMysql | undefined;

    beforeAll(async () => {
      dir = await copy('drizzle-mysql-domains');
      stdout = await generate(dir, [...reference, '--helpers']);
    });
    afterAll(() => joined?.close());

    it('creates the join with keys typed exactly as the keys they refer to', async () => {
      expect(stdout).toContain('created src/accounts/user-event.ts');
      expect(stdout).toContain('updated src/accounts/index.ts');
      // the works barrel is not made to re-export an accounts table
      expect(stdout).not.toContain('src/works/index.ts');
      expect(stdout).toMatch(/migration drizzle\/0001_create_user_events_join_table\.sql/);
      expect(stdout).toContain(
        '.onDuplicateKeyUpdate({ set: { userId: sql`${userEvents.userId}` } });',
      );
      expect(stdout).not.toContain('onConflictDoNothing');
      expect(stdout).toContain(
        "on MariaDB and PlanetScale, which have no lateral joins, mode: 'planetscale'",
      );
      expect(stdout).toContain(
        '.innerJoin(events, eq(events.id, userEvents.eventId))\n    .where(eq(userEvents.userId, userId))',
      );
      const join = await readFile(path.join(dir, 'src/accounts/user-event.ts'), 'utf8');
      expect(join).toContain("from 'drizzle-orm/mysql-core'");
      expect(join).toContain('export const userEvents = mysqlTable(');
      expect(join).toMatch(
        /userId: bigint\('user_id', \{ mode: 'number', unsigned: true \}\)\s*\.notNull\(\)\s*\.references\(\(\) => users\.id, \{ onDelete: 'cascade' \}\)/,
      );
      expect(join).toMatch(
        /eventId: varchar\('event_id', \{ length: 36 \}\)\s*\.notNull\(\)\s*\.references\(\(\) => events\.id, \{ onDelete: 'cascade' \}\)/,
      );
      const sql = await readFile(
        path.join(dir, 'drizzle/0001_create_user_events_join_table.sql'),
        'utf8',
      );
      expect(sql).toContain('`user_id` bigint unsigned NOT NULL');
      expect(sql).toContain('`event_id` varchar(36) NOT NULL');
      await expectTypechecks(dir);
      await expectNoSchemaDiff(dir);
    });

    it('joinery migrate applies it on the server; the table is what the issue asks for', async () => {
      const database = await createMysqlDatabase(mysqlUrl());
      try {
        const migrated = await runJoinery(dir, ['migrate'], { MYSQL_URL: database.url });
        expect(migrated.exitCode, migrated.stdout + migrated.stderr).toBe(0);
      } finally {
        await database.drop();
      }
      joined = await migrateMysqlProject(dir);
      const table = await joined.inspect('user_events');
      expect(table.columns).toEqual({
        user_id: { type: 'bigint(20) unsigned', notNull: true },
        event_id: { type: 'varchar(36)', notNull: true },
      });
      expect(table.primaryKey).toEqual(['user_id', 'event_id']);
      expect(table.foreignKeys).toEqual([
        'event_id -> events.id on delete CASCADE',
        'user_id -> users.id on delete CASCADE',
      ]);
      expect(table.indexes).toEqual(['user_events_event_id_idx(event_id)']);
    });

    it('the printed usage runs: load both ways, append twice, remove, cascade', async () => {
      const result = await runMysqlUsage(dir, {
        schemaModule: 'src/db/schema.ts',
        clientModule: 'src/db/client.ts',
        users: [
          { name: 'Ada', email: 'ada@example.com' },
          { name: 'Grace', email: 'grace@example.com' },
        ],
        events: [{ title: 'Launch' }, { title: 'Offsite' }],
      });
      expect(result).toEqual({
        joinTable: 'user_events',
        eventsOfUser: ['Launch', 'Offsite'],
        usersOfEvent: ['Ada', 'Grace'],
        linksAfterAppendAgain: 2,
        linksLoaded: 2,
        duplicateRejected: true,
        foreignKeyEnforced: true,
        linksAfterRemove: 1,
        linksAfterUserDelete: 0,
      });
    });

    it('--helpers run on the server: FOR UPDATE locks, appends kept, unknown ids refused', async () => {
      const helpers = await readFile(path.join(dir, 'src/accounts/user-event.helpers.ts'), 'utf8');
      expect(helpers).toContain("from 'drizzle-orm/mysql-core'");
      expect(helpers).toMatch(
        /= MySqlDatabase<\s*MySqlQueryResultHKT,\s*PreparedQueryHKTBase,\s*TSchema\s*>;/,
      );
      expect(helpers).toContain(".for('update')");
      expect(helpers).not.toContain('onConflictDoNothing');
      const result = await runHelpersUsage(dir, {
        orm: 'drizzle',
        database: 'mariadb',
        helpersModule: 'src/accounts/user-event.helpers.ts',
        forward: 'UserEvents',
        inverse: 'EventUsers',
        leftValues: [
          { name: 'Ada', email: 'ada@example.com' },
          { name: 'Grace', email: 'grace@example.com' },
        ],
        rightValues: EVENTS,
        left: 'users',
        right: 'events',
        join: 'userEvents',
        leftKey: 'userId',
        rightKey: 'eventId',
      });
      expect(result.afterAppend).toEqual(['l1-r1', 'l1-r2']);
      expect(result.afterAppendAgain).toEqual(['l1-r1', 'l1-r2']);
      expect(result.afterSet).toEqual(['l1-r2', 'l1-r3']);
      expect(result.afterRemove).toEqual(['l1-r3']);
      expect(result.inverseLoaded).toEqual(['l1', 'l2']);
      expect(result.concurrent).toEqual(['fulfilled', 'fulfilled']);
      expect(result.afterConcurrent).toEqual(['l1-r3', 'l2-r1', 'l2-r3']);
      expect(result.missingRightOnAppend).toEqual({ notFound: 'Event', ids: ['missing'] });
      expect(result.missingLeftOnLoad).toEqual({ notFound: 'User', ids: ['missing'] });
      expect(result.unchangedAfterMissing).toBe(true);
      expect(result.afterDelete).toEqual(['l2-r1', 'l2-r3']);
      expect(result.rightsAfterDelete).toBe(3);
    });

    it('a second run changes nothing and check is clean', async () => {
      await expectIdempotent(dir, reference);
    });

    it('refuses a key type that contradicts the referenced key, naming it, changing nothing', async () => {
      const before = await snapshotTree(dir);
      const run = await runJoinery(dir, [
        'gen',
        'resource',
        'Accounts',
        'UserTask',
        '--primary-key',
        'user_id,task_id',
        '-a',
        'task_id:uuid:required',
      ]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(
        "--attribute task_id:uuid contradicts the key it refers to: Task's primary key tasks.id (src/works/task.ts:5) is int.",
      );
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    });

    it('a plain resource gets MySQL types, a uuid v7 made in code, and migrates', async () => {
      const out = await generate(dir, venue);
      expect(out).toContain('created src/works/venue.ts');
      expect(out).toContain('.values({ name, accessible, ownerId }).$returningId();');
      const source = await readFile(path.join(dir, 'src/works/venue.ts'), 'utf8');
      expect(source).toMatch(
        /id: varchar\('id', \{ length: 36 \}\)\s*\.primaryKey\(\)\s*\.\$defaultFn\(\(\) => uuidv7\(\)\)/,
      );
      expect(source).toContain("price: decimal('price', { precision: 18, scale: 6 })");
      expect(source).toContain("opensAt: datetime('opens_at', { mode: 'date', fsp: 6 })");
      expect(source).toContain("tags: json('tags').$type<string[]>()");
      expect(source).toMatch(
        /ownerId: bigint\('owner_id', \{ mode: 'number', unsigned: true \}\)\s*\.notNull\(\)\s*\.references\(\(\) => users\.id, \{ onDelete: 'cascade' \}\)/,
      );
      await expectTypechecks(dir);
      await expectNoSchemaDiff(dir);
      const migrated = await migrateMysqlProject(dir);
      try {
        const table = await migrated.inspect('venues');
        expect(table.columns).toMatchObject({
          id: { type: 'varchar(36)', notNull: true },
          name: { type: 'varchar(255)', notNull: true },
          capacity: { type: 'int(11)', notNull: false },
          price: { type: 'decimal(18,6)' },
          accessible: { type: 'tinyint(1)', notNull: true },
          opens_at: { type: 'datetime(6)' },
          owner_id: { type: 'bigint(20) unsigned', notNull: true },
          // the project's own timestamp name (users.created_at), read by the conventions reader
          created_at: { type: 'datetime(3)', notNull: true },
        });
        expect(table.foreignKeys).toEqual(['owner_id -> users.id on delete CASCADE']);
        expect(table.indexes).toEqual(['venues_owner_id_idx(owner_id)']);
      } finally {
        await migrated.close();
      }
      await expectIdempotent(dir, venue);
    });
  });

  describe('drizzle-mysql-planetscale: no foreign keys anywhere, a table creator', () => {
    const reference = [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
    ];
    let dir: string;
    let stdout: string;

    beforeAll(async () => {
      dir = await copy('drizzle-mysql-planetscale');
      stdout = await generate(dir, [...reference, '--helpers']);
    });

    it('follows the project: no constraints, both keys indexed, and says so', async () => {
      expect(stdout).toContain('updated src/server/db/schema.ts');
      expect(stdout).toContain('No foreign keys here, as in the rest of this project');
      expect(stdout).toContain('await tx.delete(userEvents).where(eq(userEvents.userId, userId));');
      const schema = await readFile(path.join(dir, 'src/server/db/schema.ts'), 'utf8');
      const join = schema.slice(schema.indexOf('export const userEvents'));
      // The project's tables are singular (`createTable("user")`), its columns snake case.
      expect(join).toContain('createTable(\n  "user_event"');
      expect(join).toContain('userId: varchar("user_id", { length: 255 }).notNull(),');
      expect(join).toContain('eventId: bigint("event_id", { mode: "number" }).notNull(),');
      expect(schema).not.toContain('.references(');
      expect(join).toContain('index("user_event_user_id_idx").on(t.userId)');
      expect(join).toContain('index("user_event_event_id_idx").on(t.eventId)');
      await expectTypechecks(dir);
      await expectNoSchemaDiff(dir);
    });

    it('migrates with drizzle’s migrator: indexes, no foreign key', async () => {
      const migrated = await migrateMysqlProject(dir);
      try {
        const table = await migrated.inspect('shop_user_event');
        expect(table.primaryKey).toEqual(['user_id', 'event_id']);
        expect(table.foreignKeys).toEqual([]);
        expect(table.indexes).toEqual([
          'user_event_event_id_idx(event_id)',
          'user_event_user_id_idx(user_id)',
        ]);
      } finally {
        await migrated.close();
      }
    });

    it('the usage runs; deleting a user leaves its links, as the output says', async () => {
      const result = await runMysqlUsage(dir, {
        schemaModule: 'src/server/db/schema.ts',
        clientModule: 'src/server/db/index.ts',
        users: [
          { id: 'user-ada', name: 'Ada', email: 'ada@example.com' },
          { id: 'user-grace', name: 'Grace', email: 'grace@example.com' },
        ],
        events: [{ title: 'Launch' }, { title: 'Offsite' }],
      });
      expect(result).toEqual({
        joinTable: 'shop_user_event',
        eventsOfUser: ['Launch', 'Offsite'],
        usersOfEvent: ['Ada', 'Grace'],
        linksAfterAppendAgain: 2,
        linksLoaded: 2,
        duplicateRejected: true,
        foreignKeyEnforced: false,
        linksAfterRemove: 1,
        linksAfterUserDelete: 1,
      });
    });

    it('a second run changes nothing and check is clean', async () => {
      await expectIdempotent(dir, reference);
    });

    it('a belongs_to gets an index and no foreign key either', async () => {
      const args = ['gen', 'resource', 'Accounts', 'Event', '-r', 'belongs_to:host:Accounts.User'];
      const out = await generate(dir, args);
      expect(out).toContain('No foreign key on host_id, as in the rest of the project');
      const schema = await readFile(path.join(dir, 'src/server/db/schema.ts'), 'utf8');
      expect(schema).toContain('hostId: varchar("host_id", { length: 255 }),');
      expect(schema).toContain('index("event_host_id_idx").on(t.hostId)');
      expect(schema).not.toContain('.references(');
      await expectTypechecks(dir);
      await expectNoSchemaDiff(dir);
      await expectIdempotent(dir, args);
    });
  });
}
