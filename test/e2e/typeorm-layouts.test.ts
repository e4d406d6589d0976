/**
 * TypeORM 0.3 layouts the other fixtures do not have. fixtures/typeorm-03-schema: every table in
 * the PostgreSQL schema `app` (`@Entity({ schema, name })` and `@Entity(name, { schema })`, or the
 * DataSource's `schema`), a package.json `migration:run` that is `typeorm-ts-node-commonjs -d
 * src/data-source.ts`, plain `@Column()` typed by decorator metadata. fixtures/typeorm-03-n8n-sqlite:
 * the `@n8n/typeorm` fork on SQLite (node-sqlite3), migrated by a ts-node script. Proven as the
 * projects' users would: tsc, a second run, check, TypeORM's own migrator and schema diff and the
 * usage round trip on PGlite (TypeORM's postgres driver over it) and on the PostgreSQL server when
 * DATABASE_URL is set, `joinery migrate` through each project's script, tables and foreign keys
 * read back from the database's catalog.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { runJoinery } from '../support/cli.js';
import { createPostgresDatabase } from '../support/databases.js';
import {
  cleanup,
  copyFixture,
  copyTypeorm03Fixture,
  diffTrees,
  snapshotTree,
} from '../support/fixture.js';
import { hasPostgres } from '../support/typeorm-fixture.js';
import { generateCurrent, roundTrip, UNCHANGED } from '../support/typeorm-generate.js';
import {
  runBuiltTypeormUsage,
  type TypeormDatabase,
  type TypeormUsageOptions,
  type TypeormUsageResult,
} from '../support/typeorm-usage.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function copy(name: string): Promise<string> {
  const dir = await copyTypeorm03Fixture(name);
  copies.push(dir);
  return dir;
}

const USER_TEAM = ['gen', 'resource', 'Accounts', 'UserTeam', '--primary-key', 'user_id,team_id'];

async function edit(dir: string, file: string, change: (text: string) => string): Promise<void> {
  const path = join(dir, file);
  const before = await readFile(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit: nothing changed in ${file}`);
  await writeFile(path, after);
}

const generate = generateCurrent;

async function migrationFile(dir: string, stem: RegExp): Promise<string> {
  const files = (await readdir(join(dir, 'src/migrations'))).filter((file) => stem.test(file));
  expect(files).toHaveLength(1);
  return readFile(join(dir, 'src/migrations', files[0]!), 'utf8');
}

const schemaUsage = (database: TypeormDatabase, setup?: string[]): TypeormUsageOptions => ({
  database,
  optionsImport: `import { AppDataSource } from '../data-source.js'`,
  optionsExpression: 'AppDataSource.options',
  left: {
    className: 'User',
    module: 'src/users/user.entity.ts',
    values: [
      { name: 'ada', email: 'ada@example.com' },
      { name: 'grace', email: 'grace@example.com' },
    ],
  },
  right: {
    className: 'Team',
    module: 'src/teams/team.entity.ts',
    values: [{ name: 'Alpha' }, { name: 'Beta' }],
  },
  joinEntity: {
    className: 'UserTeam',
    module: 'src/users/user-team.entity.ts',
    table: 'app.user_teams',
  },
  leftKey: 'userId',
  rightKey: 'teamId',
  leftRelation: 'user',
  rightRelation: 'team',
  collection: 'userTeams',
  ...(setup ? { setup } : {}),
});

/** dist/joinery-usage/usage.js for src/joinery-usage/usage.ts (rootDir src, outDir dist). */
const compiledFromSrc = (dir: string) => (source: string) =>
  join(dir, 'dist', source.slice(join(dir, 'src').length + 1)).replace(/\.ts$/, '.js');

function expectRoundTrip(result: TypeormUsageResult, entities: string[], migrations: RegExp[]) {
  expect(result.entities).toEqual(entities);
  expect(result.migrations).toEqual(migrations.map((name) => expect.stringMatching(name)));
  // TypeORM's own schema diff: the entities and the migrations agree, schema included.
  expect(result.pending).toEqual([]);
  expect(result).toMatchObject(roundTrip(['Alpha', 'Beta'], ['ada', 'grace']));
}

/** Where each table and foreign key of the migrated database lives, read from the catalog. */
async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ path: string }>(
      `SELECT table_schema || '.' || table_name AS path FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const keys = await client.query<{ definition: string }>(
      `SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' ORDER BY 1`,
    );
    return {
      tables: tables.rows.map((row) => row.path),
      foreignKeys: keys.rows.map((row) => row.definition),
    };
  } finally {
    await client.end();
  }
}

/**
 * `joinery migrate` on a fresh database of the PostgreSQL server (after the `setup` SQL), then
 * `inspect` with its URL, what migrate printed, and the catalog; the database is dropped after.
 */
async function migrateFresh(
  dir: string,
  setup: string[],
  inspect: (
    url: string,
    stdout: string,
    found: Awaited<ReturnType<typeof catalog>>,
  ) => Promise<void>,
): Promise<void> {
  const database = await createPostgresDatabase();
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    for (const sql of setup) await client.query(sql);
    await client.end();
    const run = await runJoinery(dir, ['migrate'], { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    await inspect(database.url, run.stdout, await catalog(database.url));
  } finally {
    await database.drop();
  }
}

const JOIN_KEYS = [
  'app.user_teams FOREIGN KEY (team_id) REFERENCES app.teams(id) ON DELETE CASCADE',
  'app.user_teams FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE',
];

describe('typeorm-03-schema (TypeORM 0.3 on PostgreSQL, every table in schema app)', () => {
  it('creates the join entity and its migration in the schema of the entities it joins', async () => {
    const dir = await copy('typeorm-03-schema');
    const stdout = await generate(dir, USER_TEAM);
    expect(stdout).toContain('created src/users/user-team.entity.ts');
    expect(stdout).toContain(
      'Apply the migration: npx joinery migrate   (runs npm run migration:run)',
    );
    const entity = await readFile(join(dir, 'src/users/user-team.entity.ts'), 'utf8');
    expect(entity).toContain(`@Entity('user_teams', { schema: 'app' })`);
    const migration = await migrationFile(dir, /^\d{13}-CreateUserTeamsJoinTable\.ts$/);
    expect(migration).toContain(`name: 'app.user_teams',`);
    expect(migration).toContain(`referencedTableName: 'app.users',`);
    expect(migration).toContain(`referencedTableName: 'app.teams',`);
    expect(migration).toContain(`await queryRunner.dropTable('app.user_teams');`);
    // The DataSource lists entities and migrations by class: both are registered there.
    const dataSource = await readFile(join(dir, 'src/data-source.ts'), 'utf8');
    expect(dataSource).toContain('entities: [User, Team, UserTeam],');
    expect(dataSource).toMatch(/CreateUserTeamsJoinTable\d{13},\n\s*\],/);
    // TypeORM 0.3's postgres driver on PGlite: migrated, diffed clean, the usage round trip.
    expectRoundTrip(
      await runBuiltTypeormUsage(dir, schemaUsage('pglite'), compiledFromSrc(dir)),
      ['Team', 'User', 'UserTeam'],
      [/^CreateAppSchema1700000000000$/, /^CreateUserTeamsJoinTable\d{13}$/],
    );
  });

  it('refuses a join of entities in two schemas (exit 2, nothing changed) until --table names the schema', async () => {
    const dir = await copy('typeorm-03-schema');
    await edit(dir, 'src/teams/team.entity.ts', (text) =>
      text.replace(`{ schema: 'app' }`, `{ schema: 'billing' }`),
    );
    await edit(dir, 'src/migrations/1700000000000-CreateAppSchema.ts', (text) =>
      text
        .replace(
          `await queryRunner.createSchema('app', true);`,
          `await queryRunner.createSchema('app', true);\n    await queryRunner.createSchema('billing', true);`,
        )
        .replaceAll(`'app.teams'`, `'billing.teams'`),
    );
    const before = await snapshotTree(dir);
    const refused = await runJoinery(dir, USER_TEAM);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      "src/users/user.entity.ts:4 User ('users') lives in schema app and src/teams/team.entity.ts:3 Team ('teams') in schema billing; joinery cannot tell which schema the join table user_teams belongs in.",
    );
    expect(refused.stderr).toContain(
      'Name it: --table app.user_teams or --table billing.user_teams.',
    );
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);

    await generate(dir, [...USER_TEAM, '--table', 'app.user_teams']);
    const entity = await readFile(join(dir, 'src/users/user-team.entity.ts'), 'utf8');
    expect(entity).toContain(`@Entity('user_teams', { schema: 'app' })`);
    const migration = await migrationFile(dir, /^\d{13}-CreateUserTeamsJoinTable\.ts$/);
    expect(migration).toContain(`name: 'app.user_teams',`);
    expect(migration).toContain(`referencedTableName: 'app.users',`);
    expect(migration).toContain(`referencedTableName: 'billing.teams',`);
    // The table name recorded is the flag's, so check and sync replay it.
    const recorded = await readFile(join(dir, 'joinery/Accounts.UserTeam.json'), 'utf8');
    expect(recorded).toContain('"table": "app.user_teams"');

    if (!hasPostgres) return;
    await migrateFresh(dir, [], async (_url, _stdout, found) => {
      expect(found.tables).toEqual([
        'app.user_teams',
        'app.users',
        'billing.teams',
        'public.migrations',
      ]);
      expect(found.foreignKeys).toEqual([
        'app.user_teams FOREIGN KEY (team_id) REFERENCES billing.teams(id) ON DELETE CASCADE',
        'app.user_teams FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE',
      ]);
    });
  });

  // The PostgreSQL server runs where it is configured (CI sets DATABASE_URL).
  it.runIf(hasPostgres)(
    "postgres: joinery migrate runs the project's typeorm-ts-node-commonjs script; the tables land in app, TypeORM 0.3 diffs clean, the usage runs",
    async () => {
      const dir = await copy('typeorm-03-schema');
      await generate(dir, USER_TEAM);
      await migrateFresh(dir, [], async (url, stdout, found) => {
        // The project's script ran (ts-node, so plain @Column() kept its metadata).
        expect(stdout).toContain('typeorm-ts-node-commonjs migration:run -d src/data-source.ts');
        expect(stdout).toMatch(
          /Migration CreateUserTeamsJoinTable\d{13} has been executed successfully/,
        );
        expect(found.tables).toEqual([
          'app.teams',
          'app.user_teams',
          'app.users',
          'public.migrations',
        ]);
        expect(found.foreignKeys).toEqual(JOIN_KEYS);
        // Applied by that script: a second migrate has nothing left to run.
        const again = await runJoinery(dir, ['migrate'], { DATABASE_URL: url });
        expect(again.exitCode).toBe(0);
        expect(again.stdout).toContain('No migrations are pending');
      });
      expectRoundTrip(
        await runBuiltTypeormUsage(dir, schemaUsage('postgres'), compiledFromSrc(dir)),
        ['Team', 'User', 'UserTeam'],
        [/^CreateAppSchema1700000000000$/, /^CreateUserTeamsJoinTable\d{13}$/],
      );
    },
  );

  it("with the DataSource's schema option and none on the entities, the join follows the DataSource (PGlite; the server when configured)", async () => {
    const dir = await copy('typeorm-03-schema');
    await edit(dir, 'src/users/user.entity.ts', (text) =>
      text.replace(`@Entity({ schema: 'app', name: 'users' })`, `@Entity({ name: 'users' })`),
    );
    await edit(dir, 'src/teams/team.entity.ts', (text) =>
      text.replace(`@Entity('teams', { schema: 'app' })`, `@Entity('teams')`),
    );
    await edit(dir, 'src/data-source.ts', (text) =>
      text.replace(`type: 'postgres',`, `type: 'postgres',\n  schema: 'app',`),
    );
    await generate(dir, USER_TEAM);
    const entity = await readFile(join(dir, 'src/users/user-team.entity.ts'), 'utf8');
    // The DataSource puts it in app; the entity names no schema, as its siblings do.
    expect(entity).toContain(`@Entity('user_teams')\n`);
    const migration = await migrationFile(dir, /^\d{13}-CreateUserTeamsJoinTable\.ts$/);
    expect(migration).toContain(`name: 'app.user_teams',`);
    expect(migration).toContain(`referencedTableName: 'app.users',`);
    // TypeORM keeps its migrations table in the DataSource's schema, which must exist first.
    const setup = ['CREATE SCHEMA IF NOT EXISTS app'];
    expectRoundTrip(
      await runBuiltTypeormUsage(dir, schemaUsage('pglite', setup), compiledFromSrc(dir)),
      ['Team', 'User', 'UserTeam'],
      [/^CreateAppSchema1700000000000$/, /^CreateUserTeamsJoinTable\d{13}$/],
    );
    // The PostgreSQL server runs where it is configured (CI sets DATABASE_URL).
    if (!hasPostgres) return;
    await migrateFresh(dir, setup, async (_url, _stdout, found) => {
      expect(found.tables).toEqual(['app.migrations', 'app.teams', 'app.user_teams', 'app.users']);
      expect(found.foreignKeys).toEqual(JOIN_KEYS);
    });
    expectRoundTrip(
      await runBuiltTypeormUsage(dir, schemaUsage('postgres', setup), compiledFromSrc(dir)),
      ['Team', 'User', 'UserTeam'],
      [/^CreateAppSchema1700000000000$/, /^CreateUserTeamsJoinTable\d{13}$/],
    );
  });

  it.each([
    [
      'a TypeORM join on SQLite',
      'typeorm-sqlite',
      ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'],
      "--table app.user_events: schemas are PostgreSQL's; this project's TypeORM database is sqlite.",
    ],
    [
      'a Drizzle join',
      'drizzle-pg-domains',
      ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'],
      '--table app.user_events: a schema-qualified join table is supported for TypeORM only.',
    ],
    [
      'a plain resource',
      'typeorm-sqlite',
      ['gen', 'resource', 'Works', 'Venue', '--uuid-primary-key', 'id', '-a', 'name:string'],
      '--table app.user_events: a schema-qualified table is supported for join resources only.',
    ],
  ])(
    '%s: refuses --table app.user_events, where no schema applies (exit 2, nothing changed)',
    async (_what, fixture, args, message) => {
      const dir = await copyFixture(fixture);
      copies.push(dir);
      const before = await snapshotTree(dir);
      const run = await runJoinery(dir, [...args, '--table', 'app.user_events']);
      expect(run.stderr).toContain(message);
      expect(run.exitCode).toBe(2);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    },
  );
});

const SHARED_WORKFLOW = [
  ...['gen', 'resource', 'Workflows', 'SharedWorkflow'],
  ...['--primary-key', 'user_id,workflow_id', '-a', 'role:string:required'],
];

const forkUsage: TypeormUsageOptions = {
  database: 'sqlite',
  sqliteDriver: 'sqlite',
  ormModule: '@n8n/typeorm',
  optionsImport: `import { AppDataSource } from '../databases/data-source.js'`,
  optionsExpression: 'AppDataSource.options',
  left: {
    className: 'User',
    module: 'src/databases/entities/user.ts',
    values: [
      { email: 'ada@example.com', username: 'ada' },
      { email: 'grace@example.com', username: 'grace' },
    ],
  },
  right: {
    className: 'Workflow',
    module: 'src/databases/entities/workflow.ts',
    values: [
      { id: 'wf-alpha', name: 'Alpha' },
      { id: 'wf-beta', name: 'Beta' },
    ],
  },
  joinEntity: {
    className: 'SharedWorkflow',
    module: 'src/databases/entities/shared-workflow.ts',
    // the fork's entities are `@Entity()` (tables user, workflow): the join is singular too
    table: 'shared_workflow',
  },
  leftKey: 'userId',
  rightKey: 'workflowId',
  leftRelation: 'user',
  rightRelation: 'workflow',
  collection: 'sharedWorkflows',
  joinValues: { role: 'workflow:owner' },
};

describe('typeorm-03-n8n-sqlite (the @n8n/typeorm fork on SQLite through node-sqlite3)', () => {
  it("generates from the fork, joinery migrate runs the project's ts-node script, the fork's schema diff is empty and the usage runs", async () => {
    const dir = await copy('typeorm-03-n8n-sqlite');
    // Not `joinery check`: its SQLite schema diff (pending-migration.ts) applies the migrations
    // through better-sqlite3, a driver the fork lacks, and tsx, which drops the decorator
    // metadata plain @Column() needs; so it reports a false "behind" here (not this file's area).
    const stdout = await generate(dir, SHARED_WORKFLOW, { check: false });
    expect(stdout).toContain('created src/databases/entities/shared-workflow.ts');
    expect(stdout).toContain(
      'Apply the migration: npx joinery migrate   (runs npm run migration:run)',
    );
    const entity = await readFile(join(dir, 'src/databases/entities/shared-workflow.ts'), 'utf8');
    expect(entity).toContain("} from '@n8n/typeorm';");
    expect(entity).not.toContain("'typeorm'");
    const migration = await readFile(
      join(
        dir,
        'src/databases/migrations',
        (await readdir(join(dir, 'src/databases/migrations'))).find((file) =>
          /^\d{13}-CreateSharedWorkflowJoinTable\.ts$/.test(file),
        )!,
      ),
      'utf8',
    );
    expect(migration).toContain("} from '@n8n/typeorm';");
    // uuid keys are varchar on SQLite, as the fork's entity side reads them (issue 16, item 8).
    expect(migration).toContain(`{ name: 'user_id', type: 'varchar', isPrimary: true },`);

    // The project's script (`ts-node src/databases/migrate.ts`) applies both migrations.
    const run = await runJoinery(dir, ['migrate']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('ts-node src/databases/migrate.ts');
    expect(run.stdout).toMatch(
      /Migration CreateSharedWorkflowJoinTable\d{13} has been executed successfully/,
    );
    const { default: Database } = await import('better-sqlite3');
    const client = new Database(join(dir, 'database.sqlite'), { readonly: true });
    try {
      expect(client.prepare(`PRAGMA foreign_key_list('shared_workflow')`).all()).toMatchObject([
        { table: 'workflow', from: 'workflow_id', to: 'id', on_delete: 'CASCADE' },
        { table: 'user', from: 'user_id', to: 'id', on_delete: 'CASCADE' },
      ]);
    } finally {
      client.close();
    }
    const again = await runJoinery(dir, ['migrate']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('No migrations are pending');

    const result = await runBuiltTypeormUsage(dir, forkUsage, compiledFromSrc(dir));
    expect(result.entities).toEqual(['SharedWorkflow', 'User', 'Workflow']);
    expect(result.migrations).toEqual([
      'InitialMigration1700000000000',
      expect.stringMatching(/^CreateSharedWorkflowJoinTable\d{13}$/),
    ]);
    // The fork's own schema diff: entities and migrations agree.
    expect(result.pending).toEqual([]);
    expect(result).toMatchObject(roundTrip(['Alpha', 'Beta'], ['ada', 'grace']));
  });

  it('without a migration script, migrate says the fork has no CLI (exit 3) and the usage names no migrate step', async () => {
    const dir = await copy('typeorm-03-n8n-sqlite');
    await edit(dir, 'package.json', (text) =>
      text.replace(
        `"migration:run": "ts-node src/databases/migrate.ts"`,
        `"start": "ts-node src/main.ts"`,
      ),
    );
    const run = await runJoinery(dir, SHARED_WORKFLOW);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('created src/databases/entities/shared-workflow.ts');
    expect(run.stdout).not.toContain('npx joinery migrate');
    expect(run.stdout).toContain(
      "Apply the migration with TypeORM's migration:run or dataSource.runMigrations()",
    );
    const before = await snapshotTree(dir);
    const migrate = await runJoinery(dir, ['migrate']);
    expect(migrate.exitCode).toBe(3);
    expect(migrate.stderr).toContain(
      '@n8n/typeorm ships no migration CLI, and package.json has no script that applies the migrations.',
    );
    expect(migrate.stderr).toContain('Add a "migration:run" script that runs them');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  });
});
