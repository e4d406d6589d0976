import { existsSync, lstatSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runDrizzleKit, typecheck } from './cli.js';
import { hasPostgres, migrateDrizzleProject, type DatabaseKind } from './databases.js';
import {
  cleanup,
  copyFixture,
  diffTrees,
  fixtureNames,
  fixturesDir,
  snapshotTree,
  type FixtureName,
} from './fixture.js';
import { writeHandwrittenJoin, type RightTable } from './handwritten.js';
import { runDrizzleUsage } from './usage.js';

// tsc over drizzle's types, PGlite's start-up and tsx all take seconds each.
const SLOW = 180_000;

const copies: string[] = [];
async function copy(name: FixtureName): Promise<string> {
  const dir = await copyFixture(name);
  copies.push(dir);
  return dir;
}
afterAll(() => cleanup(...copies));

const embedded: Record<FixtureName, DatabaseKind> = {
  'drizzle-pg-domains': 'pglite',
  'drizzle-pg-single': 'pglite',
  'drizzle-sqlite': 'sqlite',
};

const prefix = (fixture: FixtureName) => (fixture === 'drizzle-pg-single' ? 'app_' : '');

describe('committed fixtures', () => {
  it.each(fixtureNames)('%s has no node_modules and an initial drizzle-kit migration', (name) => {
    const dir = join(fixturesDir, name);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    expect(existsSync(join(dir, 'drizzle', 'meta', '_journal.json'))).toBe(true);
    expect(existsSync(join(dir, 'drizzle', '0000_init.sql'))).toBe(true);
  });
});

describe('copyFixture / snapshotTree', () => {
  it('copies a fixture into a temp folder with node_modules linked to the repo', async () => {
    const dir = await copy('drizzle-sqlite');
    expect(dir).toMatch(/joinery-drizzle-sqlite-/);
    expect(lstatSync(join(dir, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'node_modules', 'drizzle-orm', 'package.json'))).toBe(true);
  });

  it('snapshots every file but node_modules and detects changed, added and removed files', async () => {
    const dir = await copy('drizzle-pg-domains');
    const before = await snapshotTree(dir);
    expect(before.has('src/accounts/user.ts')).toBe(true);
    expect(before.has('drizzle/meta/_journal.json')).toBe(true);
    expect([...before.keys()].some((p) => p.startsWith('node_modules'))).toBe(false);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });

    await appendFile(join(dir, 'src/works/event.ts'), '\n');
    await writeFile(join(dir, 'src/works/extra.ts'), 'export {}\n');
    await rm(join(dir, 'src/works/topic.ts'));
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: ['src/works/extra.ts'],
      removed: ['src/works/topic.ts'],
      changed: ['src/works/event.ts'],
    });
  });
});

describe.each(fixtureNames)('fixture %s', (name) => {
  it(
    'type-checks, is formatted with its own Prettier config and has an up-to-date migration',
    async () => {
      const dir = await copy(name);
      const checked = await typecheck(dir);
      expect(checked.stdout + checked.stderr).toBe('');
      expect(checked.exitCode).toBe(0);

      const prettier = await import('prettier');
      for (const [path, content] of await snapshotTree(dir)) {
        if (!/\.(ts|json)$/.test(path) || path.startsWith('drizzle/')) continue;
        const file = join(dir, path);
        const options = await prettier.resolveConfig(file);
        expect(options, path).not.toBeNull();
        expect(await prettier.check(content, { ...options, filepath: file }), path).toBe(true);
      }

      const before = await snapshotTree(dir);
      const generated = await runDrizzleKit(dir, ['generate', '--name', 'nothing_to_do']);
      expect(generated.exitCode, generated.stderr).toBe(0);
      expect(generated.stdout).toMatch(/No schema changes/);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    },
    SLOW,
  );

  it(
    'applies its initial migration with drizzle migrator on an embedded database',
    async () => {
      const db = await migrateDrizzleProject(join(fixturesDir, name), embedded[name]);
      try {
        expect(await db.appliedMigrations()).toBe(1);
        const p = prefix(name);
        expect(await db.tables()).toEqual(
          expect.arrayContaining([`${p}users`, `${p}events`, `${p}tasks`, `${p}topics`]),
        );
        const users = await db.inspectTable(`${p}users`);
        expect(users.primaryKey).toEqual(['id']);
      } finally {
        await db.close();
      }
    },
    SLOW,
  );
});

// Needs the PostgreSQL server; CI sets DATABASE_URL, so it runs there.
describe.skipIf(!hasPostgres())('Postgres server (DATABASE_URL)', () => {
  it(
    'applies a fixture migration on a temporary database and drops it afterwards',
    async () => {
      const db = await migrateDrizzleProject(join(fixturesDir, 'drizzle-pg-single'), 'postgres');
      let name = '';
      try {
        expect(await db.appliedMigrations()).toBe(1);
        expect(await db.tables()).toContain('app_topics');
        const [row] = await db.query<{ name: string }>('SELECT current_database() AS name');
        name = row?.name ?? '';
        expect(name).toMatch(/^joinery_test_/);
      } finally {
        await db.close();
      }
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      try {
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        expect(left.rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    },
    SLOW,
  );
});

// The usage script, validated against join tables written by hand in the shape joinery generates.
type Case = [FixtureName, RightTable, DatabaseKind];
const handwrittenCases: Case[] = [
  ['drizzle-pg-domains', 'events', 'pglite'],
  ['drizzle-pg-single', 'topics', 'pglite'],
  ['drizzle-sqlite', 'tasks', 'sqlite'],
  ...(hasPostgres() ? [['drizzle-pg-single', 'events', 'postgres'] satisfies Case] : []),
];

describe('runDrizzleUsage on hand-written join tables', () => {
  it.each(handwrittenCases)(
    '%s: User⟷%s on %s',
    async (fixture, right, dialect) => {
      const dir = await copy(fixture);
      const options = await writeHandwrittenJoin(dir, fixture, right);
      const name = `create_user_${right}_join_table`;
      const generated = await runDrizzleKit(dir, ['generate', '--name', name]);
      expect(generated.exitCode, generated.stdout + generated.stderr).toBe(0);
      expect(existsSync(join(dir, 'drizzle', `0001_${name}.sql`))).toBe(true);
      const sql = await readFile(join(dir, 'drizzle', `0001_${name}.sql`), 'utf8');
      expect(sql.toLowerCase()).toContain('on delete cascade');

      const db = await migrateDrizzleProject(dir, dialect);
      try {
        const table = await db.inspectTable(`${prefix(fixture)}user_${right}`);
        const key = `${right.slice(0, -1)}_id`;
        expect(table.primaryKey).toEqual(['user_id', key]);
        expect(table.foreignKeys.map((f) => f.onDelete)).toEqual(['cascade', 'cascade']);
        expect(table.indexes.some((i) => !i.primary && i.columns.join() === key)).toBe(true);
      } finally {
        await db.close();
      }

      // Type-checks the script together with the project, then runs it with tsx.
      const result = await runDrizzleUsage(dir, { dialect, ...options });
      expect(result).toEqual({
        joinTable: `${prefix(fixture)}user_${right}`,
        leftWithRights: ['Alpha', 'Beta'],
        rightWithLefts: ['Ada Lovelace', 'Grace Hopper'],
        duplicateRejected: true,
        foreignKeyEnforced: true,
        sqliteForeignKeysPragma: dialect === 'sqlite' ? 1 : null,
        linksAfterRemove: 1,
        linksAfterLeftDelete: 0,
        rowsAfterLeftDelete: 1,
        rowsAfterRightDelete: 0,
      });
      expect(existsSync(join(dir, '.joinery-usage'))).toBe(false);
    },
    SLOW,
  );

  it(
    'fails loudly when the relations it needs are missing',
    async () => {
      const dir = await copy('drizzle-sqlite');
      const options = await writeHandwrittenJoin(dir, 'drizzle-sqlite', 'events');
      await runDrizzleKit(dir, ['generate', '--name', 'create_user_events_join_table']);
      const relations = join(dir, 'src/db/relations.ts');
      await writeFile(
        relations,
        (await readFile(relations, 'utf8')).replace('    userEvents: many(userEvents),\n', ''),
      );
      await expect(runDrizzleUsage(dir, { dialect: 'sqlite', ...options })).rejects.toThrow(
        /does not type-check/,
      );
    },
    SLOW,
  );
});
