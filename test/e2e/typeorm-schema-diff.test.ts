/**
 * `joinery check` runs TypeORM's own schema diff on PostgreSQL and MariaDB projects too: the
 * project's migrations are applied with its own TypeORM to an empty database (PGlite over the
 * wire protocol, or a scratch database on the DATABASE_URL / MYSQL_URL server) and the diff
 * `migration:generate` would write must be empty for the recorded tables. Proven on
 * fixtures/typeorm-pg as it is (Postgres) and retargeted to MariaDB: a clean project checks clean
 * and `--verbose` names the database; an edit only the diff can see (a recorded migration edited
 * with its checksum re-recorded, as the check's own hint allows) makes check exit 1 naming the
 * entity's file:line, the table and the column, and sync exit 3 changing nothing; the scratch
 * database is gone afterwards, also after a failed migration, a SIGTERM, and (by the next run) a
 * SIGKILL.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joineryBin, runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';

const GEN = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
const ENTRY = 'joinery/Accounts.UserEvent.json';
const UNCHANGED = { added: [], removed: [], changed: [] };

interface Setup {
  label: string;
  dialect: 'postgres' | 'mariadb';
  /** The environment joinery runs with: which server variable is set, which is removed. */
  env: Record<string, string | undefined>;
  /** How `--verbose` names the database. */
  where: RegExp;
  /** Scratch databases the server holds now; undefined for PGlite. */
  scratch?: () => Promise<string[]>;
}

async function postgresScratch(): Promise<string[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT datname AS name FROM pg_database WHERE datname LIKE 'joinery_check_%'`,
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

async function mysqlScratch(): Promise<string[]> {
  const connection = await mysql.createConnection(process.env.MYSQL_URL!);
  try {
    const [rows] = await connection.query(`SHOW DATABASES LIKE 'joinery_check_%'`);
    return (rows as Record<string, string>[]).map((row) => Object.values(row)[0]!);
  } finally {
    await connection.end();
  }
}

const SETUPS: (Setup & { available: boolean })[] = [
  {
    label: 'PostgreSQL on PGlite (no DATABASE_URL)',
    dialect: 'postgres',
    env: { DATABASE_URL: undefined },
    where: /TypeORM schema diff on PGlite \(in memory, over the Postgres wire protocol\)/,
    available: true,
  },
  {
    label: 'PostgreSQL on the DATABASE_URL server',
    dialect: 'postgres',
    env: { DATABASE_URL: process.env.DATABASE_URL },
    where: /TypeORM schema diff on a scratch database joinery_check_\w+ on DATABASE_URL \(/,
    scratch: postgresScratch,
    available: hasPostgres,
  },
  {
    label: 'MariaDB on the MYSQL_URL server',
    dialect: 'mariadb',
    env: { MYSQL_URL: process.env.MYSQL_URL },
    where: /TypeORM schema diff on a scratch database joinery_check_\w+ on MYSQL_URL \(/,
    scratch: mysqlScratch,
    available: hasMysql,
  },
];

/** The scratch database a run named in its output (`--verbose` or a message). */
const scratchNamed = (text: string) =>
  /\b(joinery_check_[0-9a-f]{6}_\d+_[0-9a-f]{8})\b/.exec(text)?.[1];

/** Edits the recorded migration and records its new checksum, so only the schema diff sees it. */
async function editMigration(dir: string, change: (text: string) => string): Promise<void> {
  const entry = JSON.parse(await readFile(path.join(dir, ENTRY), 'utf8'));
  const [migration] = entry.migrations;
  const file: string = migration.files[0];
  const before = await readFile(path.join(dir, file), 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(path.join(dir, file), after);
  migration.sha256[file] = createHash('sha256').update(after).digest('hex');
  await writeFile(path.join(dir, ENTRY), `${JSON.stringify(entry, null, 2)}\n`);
}

/** The second foreign key's (event_id's) `onDelete: 'CASCADE'` in the migration made RESTRICT. */
function restrictEventForeignKey(text: string): string {
  const at = text.indexOf("onDelete: 'CASCADE'", text.indexOf("columnNames: ['event_id']"));
  expect(at).toBeGreaterThan(0);
  return `${text.slice(0, at)}onDelete: 'RESTRICT'${text.slice(at + "onDelete: 'CASCADE'".length)}`;
}

for (const setup of SETUPS) {
  // PGlite starts in ~10 s on a busy machine, and a row runs check, sync and check again.
  describe.runIf(setup.available)(
    `TypeORM schema diff, ${setup.label}`,
    { timeout: 360_000 },
    () => {
      let dir: string;
      let generated: Map<string, string>;
      const q = setup.dialect === 'postgres' ? '"' : '`';
      const run = (args: string[]) => runJoinery(dir, args, setup.env);

      beforeAll(async () => {
        dir = await copyFixture('typeorm-pg');
        await retargetDataSource(dir, 'src/data-source.ts', setup.dialect);
        const gen = await run(GEN);
        expect(gen.exitCode, gen.stderr).toBe(0);
        generated = await snapshotTree(dir);
      });
      afterAll(() => cleanup(dir));

      async function restore(): Promise<void> {
        for (const [file, text] of generated) {
          if ((await readFile(path.join(dir, file), 'utf8').catch(() => undefined)) !== text) {
            await writeFile(path.join(dir, file), text);
          }
        }
      }

      it('a clean project checks clean, --verbose names the database, and it is dropped', async () => {
        const before = await snapshotTree(dir);
        const check = await run(['check', '--verbose']);
        expect(check.exitCode, check.stdout + check.stderr).toBe(0);
        expect(check.stdout).toBe('joinery check: 1 resource in joinery.json current.');
        expect(check.stderr).toMatch(setup.where);
        expect(check.stderr).not.toMatch(/schema diff not run/);
        expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
        if (setup.scratch) {
          const name = scratchNamed(check.stderr);
          expect(name).toBeDefined();
          expect(await setup.scratch()).not.toContain(name);
        }
      });

      it.each([
        {
          edit: "the event_id foreign key's onDelete made RESTRICT",
          change: restrictEventForeignKey,
          sql: new RegExp(
            `FOREIGN KEY \\(${q}event_id${q}\\) REFERENCES ${q}events${q}\\(${q}id${q}\\) ON DELETE CASCADE`,
          ),
        },
        {
          edit: 'the index on event_id left out',
          change: (text: string) =>
            text.replace(
              /\n\s*indices: \[new TableIndex\(\{ columnNames: \['event_id'\] \}\)\],/,
              '',
            ),
          sql: new RegExp(
            `CREATE INDEX ${q}IDX_\\w+${q} ON ${q}user_events${q}\\s+\\(${q}event_id${q}\\)`,
          ),
        },
      ])(
        'a recorded migration edited, checksum re-recorded ($edit): check exits 1 naming table and column; sync refuses',
        async ({ change, sql }) => {
          try {
            await editMigration(dir, change);
            const edited = await snapshotTree(dir);
            const check = await run(['check']);
            expect(check.exitCode, check.stdout + check.stderr).toBe(1);
            expect(check.stdout).toMatch(
              /^src\/entities\/UserEvent\.ts:\d+: expected table user_events as UserEvent declares it, found the migrations build it otherwise$/m,
            );
            expect(check.stdout).toMatch(
              /TypeORM's schema diff is not empty after applying the migrations to /,
            );
            expect(check.stdout).toMatch(sql);
            expect(check.stdout).toMatch(/joinery sync will not\.$/);
            expect(check.stderr).not.toMatch(/^\s+at /m);
            expect(diffTrees(edited, await snapshotTree(dir))).toEqual(UNCHANGED);

            const sync = await run(['sync']);
            expect(sync.exitCode).toBe(3);
            expect(sync.stderr).toMatch(
              /the migrations are behind the schema by changes no entry made/,
            );
            expect(sync.stderr).toMatch(sql);
            expect(sync.stderr).toMatch(/nothing was written\.$/m);
            expect(diffTrees(edited, await snapshotTree(dir))).toEqual(UNCHANGED);
            if (setup.scratch) {
              const names = [scratchNamed(check.stdout), scratchNamed(sync.stderr)];
              expect(names.every(Boolean)).toBe(true);
              const left = await setup.scratch();
              for (const name of names) expect(left).not.toContain(name);
            }
          } finally {
            await restore();
          }
          expect((await run(['check'])).exitCode).toBe(0);
        },
      );

      // What only a server's scratch database has: a drop to prove (PGlite lives in the child).
      const scratch = setup.scratch;
      const serverOnly = (name: string, test: () => Promise<void>) => {
        if (scratch) it(name, test);
      };

      serverOnly(
        'a migration that fails on the server: exit 1 naming it, and the scratch database dropped',
        async () => {
          try {
            // A uuid key made varchar: the foreign key to events.id (uuid) cannot be created.
            await editMigration(dir, (text) =>
              text.replace(
                "{ name: 'event_id', type: 'uuid', isPrimary: true }",
                "{ name: 'event_id', type: 'varchar', length: '36', isPrimary: true }",
              ),
            );
            const check = await run(['check']);
            expect(check.exitCode).toBe(1);
            expect(check.stdout).toMatch(
              /TypeORM could not apply the project's migrations to a scratch database joinery_check_\w+ on (?:DATABASE|MYSQL)_URL \(.*\): QueryFailedError: /,
            );
            const name = scratchNamed(check.stdout);
            expect(name).toBeDefined();
            expect(await scratch!()).not.toContain(name);
          } finally {
            await restore();
          }
        },
      );

      serverOnly(
        'interrupted while the diff runs: SIGTERM drops the scratch database; a SIGKILL leaves one, the next run drops it',
        async () => {
          for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
            const before = new Set(await scratch!());
            const child = execa(process.execPath, [joineryBin, 'check'], {
              cwd: dir,
              reject: false,
              env: { CI: 'true', FORCE_COLOR: '0', ...setup.env },
            });
            let created: string | undefined;
            for (let tries = 0; tries < 600 && !created; tries++) {
              await new Promise((resolve) => setTimeout(resolve, 50));
              created = (await scratch!()).find((name) => !before.has(name));
            }
            expect(created, 'no scratch database appeared').toBeDefined();
            child.kill(signal);
            const result = await child;
            if (signal === 'SIGTERM') {
              expect(result.exitCode).toBe(143);
              expect(await scratch!()).not.toContain(created);
            } else {
              expect(result.signal).toBe('SIGKILL');
              expect(await scratch!()).toContain(created);
              const next = await run(['check']);
              expect(next.exitCode, next.stdout + next.stderr).toBe(0);
              expect(await scratch!()).not.toContain(created);
            }
          }
        },
      );
    },
  );
}

describe('TypeORM schema diff, MariaDB without MYSQL_URL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('typeorm-pg');
    await retargetDataSource(dir, 'src/data-source.ts', 'mariadb');
    const gen = await runJoinery(dir, GEN, { MYSQL_URL: undefined });
    expect(gen.exitCode, gen.stderr).toBe(0);
  });
  afterAll(() => cleanup(dir));

  it('says in a note that no embedded MySQL exists and how to run it; the checksums still count', async () => {
    const check = await runJoinery(dir, ['check'], { MYSQL_URL: undefined });
    expect(check.exitCode).toBe(0);
    expect(check.stderr).toMatch(
      /warning: TypeORM schema diff not run: set MYSQL_URL to a MySQL\/MariaDB server .*there is no embedded MySQL/,
    );
    await editMigration(dir, restrictEventForeignKey);
    const entry = JSON.parse(await readFile(path.join(dir, ENTRY), 'utf8'));
    const file: string = entry.migrations[0].files[0];
    // The note does not hide what the text check can still see: a checksum that disagrees.
    entry.migrations[0].sha256[file] = '0'.repeat(64);
    await writeFile(path.join(dir, ENTRY), `${JSON.stringify(entry, null, 2)}\n`);
    const edited = await runJoinery(dir, ['check'], { MYSQL_URL: undefined });
    expect(edited.exitCode).toBe(1);
    expect(edited.stdout).toContain(
      `${file}: expected migration create_user_events_join_table as generated`,
    );
  });
});
