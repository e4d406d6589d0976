/**
 * Issue 15: a resource joined to itself (users following users), on a fixture of every kind, the
 * way a user finds out: the project type-checks, the ORM's own migrator applies the migration,
 * the usage query joinery prints runs verbatim (a follows b and c: a's first direction is [b, c],
 * b's second is [a], a's second is empty), deleting a removes its links, the helpers work both
 * ways, a second run changes nothing and `joinery check` is clean. Bad input exits 2 and changes
 * nothing. One generated project per fixture.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entriesInTree } from '../support/manifest.js';
import { runJoinery, typecheck, type RunResult } from '../support/cli.js';
import {
  cleanup,
  copyDrizzleV1Fixture,
  diffTrees,
  fixtureCopies,
  snapshotTree,
} from '../support/fixture.js';
import { drizzlePgliteScript, runProjectScript, specifier } from '../support/project-script.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import { runMainOn, withTypeormDatabase, type TypeormDatabase } from '../support/typeorm-usage.js';

const copy = fixtureCopies();
const v1Copies: string[] = [];
afterAll(() => cleanup(...v1Copies));

const FOLLOW = [
  'gen',
  'resource',
  'Accounts',
  'Follow',
  '-r',
  'belongs_to:follower:Accounts.User:primary_key',
  '-r',
  'belongs_to:followee:Accounts.User:primary_key',
];

interface Scenario {
  /** a's first direction, b's second, a's second (names), and the links left once a is deleted. */
  aFirst: string[];
  bSecond: string[];
  aSecond: string[];
  linksAfterDelete: number;
  /** TypeORM's own schema diff after its migrations. */
  pending?: string[];
  helpers?: Record<string, string[]>;
}

/** The usage's "Load a user with …" block as joinery printed it, to run verbatim. */
function loadBlock(stdout: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.trim().startsWith('// Load '));
  expect(start).toBeGreaterThan(-1);
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start + 1, end).join('\n');
}

/** The users of one direction once the usage block ran: 1.x loads them, 0.45 maps its links. */
function loaded(direction: string, v1: boolean): string {
  return v1 ? `(user?.${direction} ?? [])` : `(${direction} ?? [])`;
}

async function expectCurrent(dir: string, again: string[]): Promise<void> {
  const second = await runJoinery(dir, [...again, '--check']);
  expect(second.stderr).not.toContain('error');
  expect(second.exitCode).toBe(0);
  expect(second.stdout).toContain('is current');
  const check = await runJoinery(dir, ['check']);
  expect(check.stdout).toContain('current');
  expect(check.exitCode).toBe(0);
}

function expectWritten(result: RunResult): void {
  expect(result.stderr).not.toMatch(/error|warning/i);
  expect(result.exitCode).toBe(0);
}

/** The Drizzle scenario's body (inside a script that has `db`, `schema` and `report`). */
function drizzleBody(usage: string, directions: [string, string], v1: boolean, helpers: string) {
  const [first, second] = directions;
  return `import { eq } from 'drizzle-orm';
${helpers ? `import { ${helperImports(directions)} } from '${helpers}';` : ''}
const inserted = await db.insert(schema.users).values(['a', 'b', 'c'].map((name) => ({ name, email: name + '@example.com' }))).returning();
const [a, b, c] = inserted as [(typeof inserted)[number], (typeof inserted)[number], (typeof inserted)[number]];
await db.insert(schema.follows).values([{ followerId: a.id, followeeId: b.id }, { followerId: a.id, followeeId: c.id }]);
const names = (rows: readonly ({ name: string } | null | undefined)[]) => rows.flatMap((row) => (row ? [row.name] : [])).sort();
async function view(userId: typeof a.id) {
${usage}
  return { first: names(${loaded(first, v1)}), second: names(${loaded(second, v1)}) };
}
const [va, vb] = [await view(a.id), await view(b.id)];
${helpers ? helperSteps(directions) : 'const helpers = undefined;'}
await db.delete(schema.users).where(eq(schema.users.id, a.id));
const left = await db.select().from(schema.follows);
report({ aFirst: va.first, bSecond: vb.second, aSecond: va.second, linksAfterDelete: left.filter((link) => link.followerId === a.id || link.followeeId === a.id).length, helpers });
`;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function helperImports([first, second]: [string, string]): string {
  return ['load', 'append', 'remove', 'set']
    .flatMap((verb) => [`${verb}${pascal(first)}`, `${verb}${pascal(second)}`])
    .join(', ');
}

/** load both ways, remove one, append the other way, set: each checked by a load. */
function helperSteps([first, second]: [string, string]): string {
  const [F, S] = [pascal(first), pascal(second)];
  const ns = (rows: string) => `(${rows}).map((row) => row.name).sort()`;
  return `const helpers = {
  loadedFirst: ${ns(`await load${F}(db, a.id)`)},
  loadedSecond: ${ns(`await load${S}(db, b.id)`)},
  afterRemove: await (async () => { await remove${F}(db, a.id, [c.id]); return ${ns(`await load${F}(db, a.id)`)}; })(),
  afterAppend: await (async () => { await append${S}(db, c.id, [b.id]); return ${ns(`await load${F}(db, b.id)`)}; })(),
  afterSet: await (async () => { await set${S}(db, b.id, [c.id]); return ${ns(`await load${S}(db, b.id)`)}; })(),
};`;
}

const EXPECTED: Scenario = { aFirst: ['b', 'c'], bSecond: ['a'], aSecond: [], linksAfterDelete: 0 };
const EXPECTED_HELPERS = {
  loadedFirst: ['b', 'c'],
  loadedSecond: ['a'],
  afterRemove: ['b'],
  afterAppend: ['c'],
  afterSet: ['c'],
};

describe('Drizzle 0.45, Postgres (drizzle-pg-domains): --directions following,followers, --helpers', () => {
  it('writes the join in its own file with named relations both ways, helpers and usage that run', async () => {
    const dir = await copy('drizzle-pg-domains');
    const args = [...FOLLOW, '--directions', 'following,followers', '--helpers'];
    const result = await runJoinery(dir, [...args, '--yes']);
    expectWritten(result);
    expect(result.stdout).toContain('created src/accounts/follow.ts');
    expect(result.stdout).toContain('// Load a user with its following and its followers');
    expect(result.stdout).toContain('loadFollowing(db, userId)');
    const tree = await snapshotTree(dir);
    expect(tree.get('src/accounts/user.ts')).toContain(
      "following: many(follows, { relationName: 'follows_follower' })",
    );
    expect(tree.get('src/accounts/user.ts')).toContain(
      "followers: many(follows, { relationName: 'follows_followee' })",
    );
    expect(tree.get('src/accounts/follow.ts')).toContain("relationName: 'follows_followee'");
    expect(tree.get('src/accounts/follow.ts')).toContain("index('follows_followee_id_idx')");
    const recorded = entriesInTree(tree)['Accounts.Follow'];
    expect(recorded.manyToManyNames).toEqual({ follower: 'following', followee: 'followers' });
    expect(recorded.helpers).toBe(true);
    expect((await typecheck(dir)).exitCode).toBe(0);

    const helpers = specifier(
      join(dir, '.joinery-pglite'),
      join(dir, 'src/accounts/follow.helpers.ts'),
    );
    const outcome = await runProjectScript<Scenario>(
      dir,
      drizzlePgliteScript(
        dir,
        drizzleBody(loadBlock(result.stdout), ['following', 'followers'], false, helpers),
      ),
    );
    expect(outcome).toEqual({ ...EXPECTED, helpers: EXPECTED_HELPERS });
    await expectCurrent(dir, args);
  });
});

describe('Drizzle 0.45, Postgres, one schema file with a table creator (drizzle-pg-single): default names, --helpers', () => {
  it('appends the join through createTable beside users, integer keys, helpers both ways', async () => {
    const dir = await copy('drizzle-pg-single');
    const args = [...FOLLOW, '--helpers'];
    const result = await runJoinery(dir, [...args, '--yes']);
    expectWritten(result);
    expect(result.stdout).toContain('updated src/db/schema.ts');
    expect(result.stdout).toContain('loadFollowees(db, userId)');
    const schema = (await snapshotTree(dir)).get('src/db/schema.ts')!;
    expect(schema).toContain('export const follows = createTable(');
    expect(schema).toContain('followees: many(follows, { relationName: "follows_follower" })');
    expect((await typecheck(dir)).exitCode).toBe(0);

    const helpers = specifier(join(dir, '.joinery-pglite'), join(dir, 'src/db/follow.helpers.ts'));
    const outcome = await runProjectScript<Scenario>(
      dir,
      drizzlePgliteScript(
        dir,
        drizzleBody(loadBlock(result.stdout), ['followees', 'followers'], false, helpers),
      ),
    );
    expect(outcome).toEqual({ ...EXPECTED, helpers: EXPECTED_HELPERS });
    await expectCurrent(dir, args);
  });
});

describe('Drizzle 0.45, SQLite (drizzle-sqlite): Ash form -r many_to_many:following:Accounts.Follow:Accounts.User', () => {
  it('makes the same join through the separate relations file; the default inverse is followers', async () => {
    const dir = await copy('drizzle-sqlite');
    const args = [
      'gen',
      'resource',
      'Accounts',
      'User',
      '-r',
      'many_to_many:following:Accounts.Follow:Accounts.User',
      '--join-keys',
      'follower_id,followee_id',
    ];
    const result = await runJoinery(dir, [...args, '--yes']);
    expectWritten(result);
    const tree = await snapshotTree(dir);
    const relations = tree.get('src/db/relations.ts')!;
    expect(relations).toContain("following: many(follows, { relationName: 'follows_follower' })");
    expect(relations).toContain("followers: many(follows, { relationName: 'follows_followee' })");
    expect(tree.get('joinery/Accounts.Follow.json')).toContain(
      '"belongs_to:followee:Accounts.User:primary_key"',
    );
    expect((await typecheck(dir)).exitCode).toBe(0);

    const marker = 'JOINERY_SELF_SQLITE';
    const outcome = await runProjectScript<Scenario>(dir, {
      folder: '.joinery-self',
      file: 'usage.ts',
      marker,
      render: (scriptDir) => `import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '${specifier(scriptDir, join(dir, 'src/db/schema/index.ts'))}';
const client = new Database(':memory:');
const db = drizzle({ client, schema, casing: 'snake_case' });
migrate(db, { migrationsFolder: ${JSON.stringify(join(dir, 'drizzle'))} });
const report = (value: unknown) => console.log('${marker} ' + JSON.stringify(value));
${drizzleBody(loadBlock(result.stdout), ['following', 'followers'], false, '')}
client.close();
`,
    });
    expect(outcome).toEqual({ ...EXPECTED });
    await expectCurrent(dir, args);
  });
});

describe('Drizzle 1.x, Postgres (drizzle-v1-pg): default direction names, --helpers', () => {
  it('adds two through relations to defineRelations() that load both ways, and helpers both ways', async () => {
    const dir = await copyDrizzleV1Fixture();
    v1Copies.push(dir);
    // A join row with its own attribute also gets the plain pairs, aliased apart.
    const args = [...FOLLOW, '-a', 'note:string', '--helpers'];
    const result = await runJoinery(dir, [...args, '--yes']);
    expectWritten(result);
    expect(result.stdout).toContain('// Load a user with its followees and its followers');
    expect(result.stdout).toContain('created src/db/follow.helpers.ts');
    expect(result.stdout).toContain('loadFollowees(db, userId)');
    const tree = await snapshotTree(dir);
    // drizzle-orm 1.x's database class, generic over defineRelations()'s result.
    expect(tree.get('src/db/follow.helpers.ts')).toContain(
      'type Database<TRelations extends AnyRelations> = PgAsyncDatabase<PgQueryResultHKT, TRelations>;',
    );
    expect(entriesInTree(tree)['Accounts.Follow'].helpers).toBe(true);
    const relations = tree.get('src/db/relations.ts')!;
    expect(relations).toMatch(
      /followees: r\.many\.users\(\{\s*from: r\.users\.id\.through\(r\.follows\.followerId\),\s*to: r\.users\.id\.through\(r\.follows\.followeeId\),?\s*\}\)/,
    );
    expect(relations).toMatch(
      /followers: r\.many\.users\(\{\s*from: r\.users\.id\.through\(r\.follows\.followeeId\),/,
    );
    expect(relations).toMatch(
      /followsAsFollowee: r\.many\.follows\(\{\s*from: r\.users\.id,\s*to: r\.follows\.followeeId,\s*alias: 'follows_followee',?\s*\}\)/,
    );
    expect(relations).toMatch(
      /followee: r\.one\.users\(\{\s*from: r\.follows\.followeeId,\s*to: r\.users\.id,\s*alias: 'follows_followee',?\s*\}\)/,
    );
    expect((await typecheck(dir)).exitCode).toBe(0);

    const marker = 'JOINERY_SELF_V1';
    const outcome = await runProjectScript<Scenario>(dir, {
      folder: '.joinery-self',
      file: 'usage.ts',
      marker,
      render: (scriptDir) => `import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import * as schema from '${specifier(scriptDir, join(dir, 'src/db/schema.ts'))}';
import { relations } from '${specifier(scriptDir, join(dir, 'src/db/relations.ts'))}';
const client = new PGlite();
const db = drizzle({ client, relations });
await migrate(db, { migrationsFolder: ${JSON.stringify(join(dir, 'drizzle'))} });
const report = (value: unknown) => console.log('${marker} ' + JSON.stringify(value));
${drizzleBody(loadBlock(result.stdout), ['followees', 'followers'], true, specifier(scriptDir, join(dir, 'src/db/follow.helpers.ts'))).replace(", email: name + '@example.com'", '')}
await client.close();
`,
    });
    expect(outcome).toEqual({ ...EXPECTED, helpers: EXPECTED_HELPERS });
    await expectCurrent(dir, args);
  });
});

interface TypeormCase {
  fixture: string;
  database: TypeormDatabase;
  available: boolean;
  dataSource: { file: string; exportName: string };
  entities: string;
  args: string[];
  directions: [string, string];
  helpers: boolean;
}

const TYPEORM_CASES: TypeormCase[] = [
  {
    fixture: 'typeorm-pg',
    database: 'postgres',
    available: hasPostgres,
    dataSource: { file: 'src/data-source.ts', exportName: 'AppDataSource' },
    entities: 'src/entities',
    args: [...FOLLOW, '--directions', 'following,followers', '--helpers'],
    directions: ['following', 'followers'],
    helpers: true,
  },
  {
    fixture: 'typeorm-sqlite',
    database: 'sqlite',
    available: true,
    dataSource: { file: 'src/db/data-source.ts', exportName: 'dataSource' },
    entities: 'src/models',
    args: FOLLOW,
    directions: ['followees', 'followers'],
    helpers: false,
  },
  {
    fixture: 'typeorm-pg',
    database: 'mariadb',
    available: hasMysql,
    dataSource: { file: 'src/data-source.ts', exportName: 'AppDataSource' },
    entities: 'src/entities',
    args: [...FOLLOW, '--helpers'],
    directions: ['followees', 'followers'],
    helpers: true,
  },
];

function typeormScript(
  dir: string,
  scriptDir: string,
  c: TypeormCase,
  usage: string,
  url: string,
  files: { user: string; follow: string; helpers: string },
): string {
  const module = (file: string) => specifier(scriptDir, join(dir, file));
  const [first, second] = c.directions;
  const [F, S] = [pascal(first), pascal(second)];
  const ns = (rows: string) => `(${rows}).map((row) => row.name).sort()`;
  const helpers = c.helpers
    ? `const helpers = {
    loadedFirst: ${ns(`await load${F}(dataSource, a.id)`)},
    loadedSecond: ${ns(`await load${S}(dataSource, b.id)`)},
    afterRemove: await (async () => { await remove${F}(dataSource, a.id, [c.id]); return ${ns(`await load${F}(dataSource, a.id)`)}; })(),
    afterAppend: await (async () => { await append${S}(dataSource, c.id, [b.id]); return ${ns(`await load${F}(dataSource, b.id)`)}; })(),
    afterSet: await (async () => { await set${S}(dataSource, b.id, [c.id]); return ${ns(`await load${S}(dataSource, b.id)`)}; })(),
  }`
    : 'const helpers = undefined';
  return `import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
import { ${c.dataSource.exportName} } from '${module(c.dataSource.file)}'
import { User } from '${module(files.user)}'
import { Follow } from '${module(files.follow)}'
${c.helpers ? `import { ${helperImports(c.directions)} } from '${module(files.helpers)}'` : ''}

async function main(dataSource: DataSource) {
  await dataSource.runMigrations({ transaction: 'each' })
  const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)
  const repository = dataSource.getRepository(User)
  const [a, b, c] = await repository.save(['a', 'b', 'c'].map((name) => repository.create({ name, email: name + '@example.com' })))
  if (!a || !b || !c) throw new Error('save returned no rows')
  await dataSource.getRepository(Follow).insert([{ followerId: a.id, followeeId: b.id }, { followerId: a.id, followeeId: c.id }])
  const names = (rows: readonly ({ name: string } | null | undefined)[]) => rows.flatMap((row) => (row ? [row.name] : [])).sort()
  async function view(userId: User['id']) {
${usage}
    return { first: names(${first} ?? []), second: names(${second} ?? []) }
  }
  const [va, vb] = [await view(a.id), await view(b.id)]
  ${helpers}
  await repository.delete(a.id)
  const linksAfterDelete = await dataSource.getRepository(Follow).countBy([{ followerId: a.id }, { followeeId: a.id }])
  return { aFirst: va.first, bSecond: vb.second, aSecond: va.second, linksAfterDelete, pending, helpers }
}

${runMainOn(c.database, `${c.dataSource.exportName}.options`, url, 'JOINERY_SELF_TYPEORM')}`;
}

describe.each(TYPEORM_CASES)('TypeORM $fixture on $database', (c) => {
  it.runIf(c.available)(
    'two @ManyToOne to User with distinct inverses, two @OneToMany; migrates, loads both ways, cascades',
    async () => {
      const dir = await copy(c.fixture);
      if (c.database === 'mariadb') await retargetDataSource(dir, c.dataSource.file, 'mariadb');
      const result = await runJoinery(dir, [...c.args, '--yes']);
      expectWritten(result);
      const [first, second] = c.directions;
      expect(result.stdout).toContain(`// Load a user with its ${first} and its ${second}`);
      const tree = await snapshotTree(dir);
      const followFile = [...tree.keys()].find((file) =>
        new RegExp(`^${c.entities}/follow\\.ts$`, 'i').test(file),
      )!;
      const userFile = [...tree.keys()].find((file) =>
        new RegExp(`^${c.entities}/user\\.ts$`, 'i').test(file),
      )!;
      expect(followFile).toBeDefined();
      const user = tree.get(userFile)!.replace(/\s+/g, ' ');
      expect(user).toMatch(
        new RegExp(
          `@OneToMany\\(\\(\\) => Follow, \\(follow\\) => follow\\.follower\\) ${first}!: Follow\\[\\]`,
        ),
      );
      expect(user).toMatch(
        new RegExp(
          `@OneToMany\\(\\(\\) => Follow, \\(follow\\) => follow\\.followee\\) ${second}!: Follow\\[\\]`,
        ),
      );
      expect(tree.get(followFile)!.replace(/\s+/g, ' ')).toContain(`(user) => user.${second}`);
      expect((await typecheck(dir)).exitCode).toBe(0);

      const helpersFile = followFile.replace(/\.ts$/, '.helpers.ts');
      const outcome = await withTypeormDatabase(c.database, (url) =>
        runProjectScript<Scenario>(dir, {
          folder: '.joinery-self',
          file: 'usage.ts',
          marker: 'JOINERY_SELF_TYPEORM',
          render: (scriptDir) =>
            typeormScript(dir, scriptDir, c, loadBlock(result.stdout), url, {
              user: userFile,
              follow: followFile,
              helpers: helpersFile,
            }),
        }),
      );
      expect(outcome).toEqual({
        ...EXPECTED,
        pending: [],
        ...(c.helpers ? { helpers: EXPECTED_HELPERS } : {}),
      });
      await expectCurrent(dir, c.args);
    },
  );
});

describe('bad input exits 2 and changes nothing', () => {
  it.each([
    [
      'drizzle-pg-domains',
      ['--directions', 'sessions,followers'],
      /collide with the relation usersRelations\.sessions/,
    ],
    ['drizzle-pg-domains', ['--directions', 'fans,fans'], /both directions would be called "fans"/],
    ['typeorm-pg', ['--directions', 'posts,followers'], /collide with the property User\.posts/],
    [
      'typeorm-sqlite',
      ['--directions', 'followees,email'],
      /collide with the property User\.email/,
    ],
  ])('%s %j', async (fixture, extra, message) => {
    const dir = await copy(fixture);
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [...FOLLOW, ...extra, '--yes']);
    expect(result.stderr).toMatch(message);
    expect(result.exitCode).toBe(2);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it.each([
    [
      ['gen', 'resource', 'Accounts', 'Follow', '--primary-key', 'user_id,user_id'],
      /names "user_id" twice/,
    ],
    [
      ['gen', 'resource', 'Accounts', 'User', '-r', 'many_to_many:following:Accounts.User'],
      /needs its two keys named; both would be user_id[\s\S]*--join-keys follower_id,followee_id/,
    ],
    [
      [
        'gen',
        'resource',
        'Accounts',
        'User',
        '--join-keys',
        'follower_id,followee_id',
        '-r',
        'many_to_many:events:Works.Event',
      ],
      /--join-keys names the keys of a self many_to_many/,
    ],
  ])('drizzle-pg-domains %j', async (args, message) => {
    const dir = await copy('drizzle-pg-domains');
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [...args, '--yes']);
    expect(result.stderr).toMatch(message);
    expect(result.exitCode).toBe(2);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
