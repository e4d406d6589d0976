/**
 * --helpers on the Drizzle fixtures, through the built CLI: the helpers module is generated beside
 * the join table, type-checks against the real drizzle-orm with the project's own db, and does
 * what it says on PGlite, better-sqlite3 (synchronous transactions) and the PostgreSQL server.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJoinery, typecheck } from '../support/cli.js';
import { hasPostgres } from '../support/databases.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import {
  runHelpersUsage,
  type DrizzleHelpersOptions,
  type HelpersDatabase,
  type HelpersUsageResult,
} from '../support/helpers-usage.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function copy(name: string): Promise<string> {
  const dir = await copyFixture(name);
  copies.push(dir);
  return dir;
}

async function generate(dir: string, args: string[]): Promise<string> {
  const run = await runJoinery(dir, args);
  expect(run.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

const PEOPLE: DrizzleHelpersOptions['leftValues'] = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
];
const EVENTS: DrizzleHelpersOptions['rightValues'] = [
  { title: 'Alpha' },
  { title: 'Beta' },
  { title: 'Gamma' },
];

const userEvents = (
  database: HelpersDatabase,
  helpersModule: string,
  overrides: Partial<DrizzleHelpersOptions> = {},
): DrizzleHelpersOptions => ({
  orm: 'drizzle',
  database,
  helpersModule,
  forward: 'UserEvents',
  inverse: 'EventUsers',
  leftValues: PEOPLE,
  rightValues: EVENTS,
  left: 'users',
  right: 'events',
  join: 'userEvents',
  leftKey: 'userId',
  rightKey: 'eventId',
  ...overrides,
});

/** What every run of the scenario must show, whatever the database. */
function expectScenario(result: HelpersUsageResult, attributes: boolean): void {
  // append is idempotent: a second append of the same (and repeated) ids changes nothing
  expect(result.afterAppend).toEqual(['l1-r1', 'l1-r2']);
  expect(result.afterAppendAgain).toEqual(['l1-r1', 'l1-r2']);
  // load brings the join row's own attributes; append kept the existing links as they were
  expect(result.loaded).toEqual([
    ['r1', attributes ? 'owner' : null],
    ['r2', attributes ? 'owner' : null],
  ]);
  // set leaves exactly the given links: r1 gone, r3 new (with set's attributes), r2 untouched
  expect(result.afterSet).toEqual(['l1-r2', 'l1-r3']);
  expect(result.loadedAfterSet).toEqual([
    ['r2', attributes ? 'owner' : null],
    ['r3', attributes ? 'member' : null],
  ]);
  // remove deletes the link, not the event
  expect(result.afterRemove).toEqual(['l1-r3']);
  expect(result.rightsAfterRemove).toBe(3);
  expect(result.inverseLoaded).toEqual(['l1', 'l2']);
  // two appends of the same pair at once both succeed, leaving one link
  expect(result.concurrent).toEqual(['fulfilled', 'fulfilled']);
  expect(result.afterConcurrent).toEqual(['l1-r3', 'l2-r1', 'l2-r3']);
  // unknown ids raise NotFoundError listing them, and change nothing
  expect(result.missingRightOnAppend).toEqual({ notFound: 'Event', ids: ['missing'] });
  expect(result.missingRightOnSet).toEqual({ notFound: 'Event', ids: ['missing'] });
  expect(result.missingLeftOnRemove).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.missingLeftOnLoad).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.missingLeftOnInverseAppend).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.unchangedAfterMissing).toBe(true);
  // deleting a user cascades to its links; the events stay
  expect(result.afterDelete).toEqual(['l2-r1', 'l2-r3']);
  expect(result.rightsAfterDelete).toBe(3);
}

const REFERENCE_WITH_ROLE = [...REFERENCE_ARGS, '-a', 'role:string:required', '--helpers'];

describe('drizzle-pg-domains: the reference command with --helpers (uuid keys, a required role)', () => {
  let dir: string;
  let stdout: string;
  const helpers = 'src/accounts/user-event.helpers.ts';
  const withRole = (database: HelpersDatabase) =>
    userEvents(database, helpers, {
      attribute: { row: 'userEvent', name: 'role', onAppend: 'owner', onSet: 'member' },
    });

  it('creates the helpers module beside the join file and prints how to call them', async () => {
    dir = await copy('drizzle-pg-domains');
    stdout = await generate(dir, REFERENCE_WITH_ROLE);
    expect(stdout).toContain(`created ${helpers}`);
    expect(stdout).toContain('created src/accounts/user-event.ts');
    expect(stdout).toContain('with the helpers in src/accounts/user-event.helpers.ts');
    expect(stdout).toContain('await loadUserEvents(db, userId)');
    expect(stdout).toContain('await appendUserEvents(db, userId, eventIds, { role })');
    expect(stdout).toContain('await setUserEvents(db, userId, eventIds, { role })');
    expect(stdout).toContain('loadEventUsers, appendEventUsers, removeEventUsers, setEventUsers');

    const source = await readFile(path.join(dir, helpers), 'utf8');
    expect(source).toContain("import { userEvents } from './user-event.js'");
    expect(source).toContain("from 'drizzle-orm/pg-core'");
    expect(source).toMatch(/\.for\('key share'\)/);
    expect(source).toContain('export class NotFoundError extends Error');
    expect(source).not.toMatch(/;\s*$/m); // the project's Prettier: no semicolons
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.exitCode).toBe(0);
  });

  it('a second run changes nothing, --check passes, and an edited helpers file is kept', async () => {
    const file = path.join(dir, helpers);
    await writeFile(file, `${await readFile(file, 'utf8')}// edited by hand\n`);
    const before = await snapshotTree(dir);
    const again = await runJoinery(dir, REFERENCE_WITH_ROLE);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('is current: nothing to change');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
    expect((await runJoinery(dir, [...REFERENCE_WITH_ROLE, '--check'])).exitCode).toBe(0);
  });

  it('runs the helpers on PGlite', async () => {
    expectScenario(await runHelpersUsage(dir, withRole('pglite')), true);
  });

  it.runIf(hasPostgres())('runs the helpers on the PostgreSQL server (DATABASE_URL)', async () => {
    expectScenario(await runHelpersUsage(dir, withRole('postgres')), true);
  });
});

describe('drizzle-sqlite: --helpers with better-sqlite3 (integer keys, casing, optional role, timestamps)', () => {
  it('generates synchronous transactions that run on better-sqlite3', async () => {
    const dir = await copy('drizzle-sqlite');
    const stdout = await generate(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string',
      '--timestamps',
      '--helpers',
    ]);
    const helpers = 'src/db/schema/user-events.helpers.ts';
    expect(stdout).toContain(`created ${helpers}`);
    expect(stdout).toContain('await appendUserEvents(db, userId, eventIds);');
    const source = await readFile(path.join(dir, helpers), 'utf8');
    expect(source).toContain("BaseSQLiteDatabase<\n    'sync',");
    expect(source).toContain("behavior: 'immediate'");
    expect(source).toContain('.onConflictDoNothing()\n                    .run();');
    expect(source).toContain('attributes: UserEventAttributes = {},');
    expectScenario(
      await runHelpersUsage(
        dir,
        userEvents('sqlite', helpers, {
          schemaModule: 'src/db/schema/index.ts',
          attribute: { row: 'userEvent', name: 'role', onAppend: 'owner', onSet: 'member' },
        }),
      ),
      true,
    );
  });
});

describe('drizzle-pg-single: --helpers added to an existing join in one schema file', () => {
  it('creates only the helpers module, named after the join, and no migration', async () => {
    const dir = await copy('drizzle-pg-single');
    const args = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
    await generate(dir, args);
    const helpers = 'src/db/user-event.helpers.ts';
    expect(existsSync(path.join(dir, helpers))).toBe(false);
    const migrations = await readdir(path.join(dir, 'drizzle'));

    const stdout = await generate(dir, [...args, '--helpers']);
    expect(stdout).toContain(`created ${helpers}`);
    expect(stdout).not.toContain('Running drizzle-kit');
    expect(stdout).not.toMatch(/updated src\/db\/schema\.ts/);
    expect(await readdir(path.join(dir, 'drizzle'))).toEqual(migrations);
    const source = await readFile(path.join(dir, helpers), 'utf8');
    expect(source).toContain('import { events, userEvents, users } from "./schema";');
    expect(source).not.toContain('UserEventAttributes');

    expectScenario(await runHelpersUsage(dir, userEvents('pglite', helpers)), false);
    const checked = await typecheck(dir);
    expect(checked.exitCode).toBe(0);
  });
});
