/**
 * The project's SQL naming (issues 16 and 17): camelCase columns and singular table names, read
 * from the tables the new code sits beside, for both targets. fixtures/drizzle-pg-camel declares
 * its columns without SQL names and no `casing` (so `createdAt` is the column), behind an
 * `acme_` table creator; fixtures/typeorm-03-camel relies on TypeORM's default naming (`@Entity()`
 * on `User` is table `user`, `@Column() displayName` is column `displayName`). Proven as their
 * users would: tsc, the ORM's migrator on a real database, the ORM's own schema diff, the usage
 * round trip, a second run and `joinery check`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runDrizzleKit, runJoinery, typecheck } from '../support/cli.js';
import { migrateDrizzleProject } from '../support/databases.js';
import {
  cleanup,
  copyFixture,
  copyTypeorm03Fixture,
  diffTrees,
  snapshotTree,
} from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';
import { hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import { roundTrip } from '../support/typeorm-generate.js';
import { runBuiltTypeormUsage, type TypeormDatabase } from '../support/typeorm-usage.js';
import { runDrizzleUsage } from '../support/usage.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

const UNCHANGED = { added: [], removed: [], changed: [] };

/** Runs `args`, type-checks, then proves a second run and `joinery check` change nothing. */
async function generate(dir: string, args: string[], entries = 1): Promise<string> {
  const run = await runJoinery(dir, [...args, '-y']);
  expect(run.stderr).not.toMatch(/error|warning/i);
  expect(run.exitCode).toBe(0);
  const checked = await typecheck(dir);
  expect(checked.stdout + checked.stderr).toBe('');
  expect(checked.exitCode).toBe(0);
  const before = await snapshotTree(dir);
  const again = await runJoinery(dir, args);
  expect(again.stdout).toContain('is current: nothing to change');
  expect(again.exitCode).toBe(0);
  const check = await runJoinery(dir, ['check']);
  expect(check.stdout).toContain(
    `joinery check: ${entries} ${entries === 1 ? 'resource' : 'resources'} in joinery.json current.`,
  );
  expect(check.exitCode).toBe(0);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  return run.stdout;
}

describe('drizzle-pg-camel: camelCase columns without SQL names, singular tables behind a creator', () => {
  it('names the join acme_user_event with userId/eventId, as bare properties; drizzle-kit has nothing left; the usage runs', async () => {
    const dir = await copyFixture('drizzle-pg-camel');
    copies.push(dir);
    const stdout = await generate(dir, REFERENCE_ARGS);
    expect(stdout).toContain('migration drizzle/0001_create_user_event_join_table.sql');

    const schema = await readFile(join(dir, 'src/db/schema.ts'), 'utf8');
    expect(schema).toContain('export const userEvents = createTable(\n  "user_event",');
    // Like the neighbours: no explicit SQL name, so the column is the property.
    expect(schema).toMatch(/userId: uuid\(\)\s*\.notNull\(\)/);
    expect(schema).toMatch(/eventId: uuid\(\)\s*\.notNull\(\)/);
    expect(schema).not.toMatch(/user_id|event_id/);
    const sql = await readFile(join(dir, 'drizzle/0001_create_user_event_join_table.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "acme_user_event"');
    expect(sql).toContain('PRIMARY KEY("userId","eventId")');

    // drizzle-kit's own diff of schema and migrations: nothing left to generate.
    const kit = await runDrizzleKit(dir, ['generate']);
    expect(kit.stdout).toContain('No schema changes, nothing to migrate');

    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const info = await db.inspectTable('acme_user_event');
      expect(info.primaryKey).toEqual(['userId', 'eventId']);
      expect(info.foreignKeys.map((fk) => [fk.columns.join(), fk.onDelete]).sort()).toEqual([
        ['eventId', 'cascade'],
        ['userId', 'cascade'],
      ]);
    } finally {
      await db.close();
    }

    const usage = await runDrizzleUsage(dir, {
      dialect: 'pglite',
      join: 'userEvents',
      left: 'users',
      right: 'events',
      leftKey: 'userId',
      rightKey: 'eventId',
      leftRelation: 'user',
      rightRelation: 'event',
      clientModule: 'src/db/client.ts',
    });
    expect(usage).toMatchObject({
      joinTable: 'acme_user_event',
      leftWithRights: ['Alpha', 'Beta'],
      rightWithLefts: ['Ada Lovelace', 'Grace Hopper'],
      duplicateRejected: true,
      foreignKeyEnforced: true,
      linksAfterRemove: 1,
      linksAfterLeftDelete: 0,
      rowsAfterLeftDelete: 1,
      rowsAfterRightDelete: 0,
    });
  });

  it('a plain resource and --timestamps follow the project too: table venue, ownerId, venueName, createdAt', async () => {
    const dir = await copyFixture('drizzle-pg-camel');
    copies.push(dir);
    await generate(dir, [
      ...['gen', 'resource', 'Works', 'Venue', '--uuid-primary-key', 'id', '--timestamps'],
      ...['-a', 'venue_name:string', '-r', 'belongs_to:owner:User'],
    ]);
    const kit = await runDrizzleKit(dir, ['generate']);
    expect(kit.stdout).toContain('No schema changes, nothing to migrate');
    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const info = await db.inspectTable('acme_venue');
      expect(info.columns.map((column) => column.name)).toEqual([
        'id',
        'venueName',
        'ownerId',
        'createdAt',
        'updatedAt',
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('typeorm-03-camel: @Entity() default names, camelCase columns, no naming strategy (TypeORM 0.3)', () => {
  /** dist/src/joinery-usage/usage.js for src/joinery-usage/usage.ts (rootDir `.`, outDir dist). */
  const compiled = (dir: string) => (source: string) =>
    join(dir, 'dist', source.slice(dir.length + 1)).replace(/\.ts$/, '.js');

  const usage = (database: TypeormDatabase) => ({
    database,
    optionsImport: `import { AppDataSource } from '../../ormconfig.js'`,
    optionsExpression: 'AppDataSource.options',
    left: {
      className: 'User',
      module: 'src/user/user.entity.ts',
      values: [
        { name: 'Ada', email: 'ada@example.com' },
        { name: 'Grace', email: 'grace@example.com' },
      ] as [Record<string, unknown>, Record<string, unknown>],
    },
    right: {
      className: 'Event',
      module: 'src/event/event.entity.ts',
      values: [{ title: 'Alpha' }, { title: 'Beta' }] as [
        Record<string, unknown>,
        Record<string, unknown>,
      ],
    },
    joinEntity: {
      className: 'UserEvent',
      module: 'src/user/user-event.entity.ts',
      table: 'user_event',
    },
    leftKey: 'userId',
    rightKey: 'eventId',
    leftRelation: 'user',
    rightRelation: 'event',
    collection: 'userEvents',
  });

  for (const [database, available] of [
    ['sqlite', true],
    ['postgres', hasPostgres],
  ] as const) {
    // PostgreSQL runs where its server is configured (CI sets DATABASE_URL).
    it.runIf(available)(
      `${database}: the join is user_event with userId/eventId under TypeORM's default naming; TypeORM 0.3 migrates, diffs clean, and the usage runs`,
      async () => {
        const dir = await copyTypeorm03Fixture('typeorm-03-camel');
        copies.push(dir);
        await retargetDataSource(dir, 'ormconfig.ts', database);
        await generate(dir, REFERENCE_ARGS);

        const entity = await readFile(join(dir, 'src/user/user-event.entity.ts'), 'utf8');
        // The project's entities leave their names to TypeORM: so does the join.
        expect(entity).toContain('@Entity()\nexport class UserEvent {');
        expect(entity).toContain("@PrimaryColumn('uuid')\n  userId!: string;");
        expect(entity).toContain("@JoinColumn({ name: 'userId' })");
        expect(entity).not.toMatch(/user_id|event_id/);
        const created = (await readdir(join(dir, 'src/migrations'))).filter(
          (file) => !file.includes('init'),
        );
        expect(created).toEqual([expect.stringMatching(/^\d{13}-CreateUserEventJoinTable\.ts$/)]);
        const migration = await readFile(join(dir, 'src/migrations', created[0]!), 'utf8');
        expect(migration).toContain("name: 'user_event'");
        expect(migration).toContain("columnNames: ['userId']");

        const result = await runBuiltTypeormUsage(dir, usage(database), compiled(dir));
        expect(result.entities).toEqual(['Event', 'User', 'UserEvent']);
        expect(result.migrations).toEqual([
          'Init1700000000000',
          expect.stringMatching(/^CreateUserEventJoinTable\d{13}$/),
        ]);
        // TypeORM's own schema diff: the entities and the migrations agree.
        expect(result.pending).toEqual([]);
        expect(result).toMatchObject(roundTrip(['Alpha', 'Beta'], ['Ada', 'Grace']));
      },
    );
  }

  it("sqlite: a plain resource with --timestamps takes the table venue and the project timestamps (createdAt); check (with TypeORM's schema diff on SQLite) is clean", async () => {
    const dir = await copyTypeorm03Fixture('typeorm-03-camel');
    copies.push(dir);
    await retargetDataSource(dir, 'ormconfig.ts', 'sqlite');
    await generate(dir, [
      ...['gen', 'resource', 'Works', 'Venue', '--uuid-primary-key', 'id', '--timestamps'],
      ...['-a', 'venue_name:string', '-r', 'belongs_to:owner:User'],
    ]);
    const entity = await readFile(join(dir, 'src/works/venue.entity.ts'), 'utf8');
    expect(entity).toContain('@Entity()\nexport class Venue {');
    expect(entity).toContain('venueName');
    expect(entity).toContain('ownerId');
    expect(entity).toContain('@CreateDateColumn(');
    expect(entity).toContain('createdAt!: Date;');
    expect(entity).not.toMatch(/venue_name|owner_id|inserted_at|created_at/);
  });
});
