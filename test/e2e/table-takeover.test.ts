/**
 * joinery takes an existing table over only when it made it (joinery.json records it) or when it
 * is already a join of the same two keys: `--force` on a hand-written table would drop its
 * columns, `--table users` on a join would turn users into the join. Both ORMs, the built CLI;
 * each case exits 2 with the table, its file:line and what to do, and changes no file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';

const FORCE_USER = ['gen', 'resource', 'Accounts', 'User', '--force', '--uuid-primary-key', 'id'];
const JOIN_AS_USERS = [
  'gen',
  'resource',
  'Accounts',
  'UserEvent',
  '--primary-key',
  'user_id,event_id',
  '--table',
  'users',
];

const CASES: { fixture: string; where: string; args: string[]; message: RegExp }[] = [
  {
    fixture: 'drizzle-pg-domains',
    where: 'src/accounts/user.ts:7',
    args: FORCE_USER,
    message:
      /--force: table users .* was not created by joinery .* would drop its columns name, email/,
  },
  {
    fixture: 'drizzle-pg-domains',
    where: 'src/accounts/user.ts:7',
    args: [...FORCE_USER.slice(0, 4), '--conflicts', 'replace', '-a', 'name:text'],
    message: /--force: table users .* would drop its columns email\./,
  },
  {
    fixture: 'drizzle-pg-domains',
    where: 'src/accounts/user.ts:7',
    args: JOIN_AS_USERS,
    message: /--table users: table users .* is not a join of user_id and event_id/,
  },
  {
    fixture: 'typeorm-pg',
    where: 'src/entities/User.ts:6',
    args: FORCE_USER,
    message:
      /--force: table users .* was not created by joinery \(joinery\.json does not record Accounts\.User\)/,
  },
  {
    fixture: 'typeorm-pg',
    where: 'src/entities/User.ts:6',
    args: JOIN_AS_USERS,
    message: /--table users: table users .* is not a join of user_id and event_id/,
  },
];

const dirs = new Map<string, string>();
beforeAll(async () => {
  for (const name of new Set(CASES.map((c) => c.fixture))) dirs.set(name, await copyFixture(name));
});
afterAll(() => cleanup(...dirs.values()));

describe('a table joinery did not create is not taken over (exit 2, nothing changed)', () => {
  it.each(CASES)('$fixture: $args', async ({ fixture, where, args, message }) => {
    const dir = dirs.get(fixture)!;
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(`(${where})`);
    expect(result.stderr).toMatch(/Drop --force|Pass another --table name/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.exitCode).toBe(2);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('--ignore-if-exists with --force leaves the hand-written table alone (exit 0)', async () => {
    const dir = dirs.get('drizzle-pg-domains')!;
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [...FORCE_USER, '--ignore-if-exists']);
    expect(result.exitCode).toBe(0);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
