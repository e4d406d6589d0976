/**
 * Hostile command lines through the built CLI: a few seeded random argv (quotes, template tags,
 * SQL, paths, control characters) in each name the flags take. Each exits 2 with a message and no
 * stack trace, and leaves the project byte-identical. The grammar itself is covered exhaustively
 * by test/property; this proves the built CLI keeps the same promise end to end.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';

const HOSTILE = fc.oneof(
  fc.constantFrom(
    "x'); DROP TABLE users; --",
    '${process.exit(0)}',
    '<%- process.mainModule %>',
    '../../../etc/passwd',
    '/tmp/evil',
    'a\nb',
    '`whoami`',
    '__proto__',
    'Üser',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((text) => /[^A-Za-z0-9_]/.test(text)),
);

/** Where hostile text goes: each slot is a name the grammar checks. */
const SLOTS: ((bad: string) => string[])[] = [
  (bad) => ['gen', 'resource', 'Accounts', bad, '--primary-key', 'user_id,event_id'],
  (bad) => ['gen', 'resource', bad, 'UserEvent', '--primary-key', 'user_id,event_id'],
  (bad) => ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', `user_id,${bad}`],
  (bad) => [
    'gen',
    'resource',
    'Accounts',
    'UserEvent',
    '--primary-key',
    'user_id,event_id',
    '-a',
    `${bad}:string`,
  ],
  (bad) => [
    'gen',
    'resource',
    'Accounts',
    'UserEvent',
    '--primary-key',
    'user_id,event_id',
    '--table',
    bad,
  ],
  (bad) => [
    'gen',
    'resource',
    'Accounts',
    'UserEvent',
    '--primary-key',
    'user_id,event_id',
    '--migration-name',
    bad,
  ],
  (bad) => [
    'gen',
    'resource',
    'Accounts',
    'UserEvent',
    '-r',
    `belongs_to:user:${bad}:primary_key`,
    '-r',
    'belongs_to:event:Works.Event:primary_key',
  ],
];

const cases = fc.sample(fc.tuple(fc.nat(SLOTS.length - 1), HOSTILE), { seed: 424242, numRuns: 8 });

describe('hostile argv through the built CLI', () => {
  let dir: string;
  let before: Map<string, string>;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
    before = await snapshotTree(dir);
  });
  afterAll(() => cleanup(dir));

  it.each(cases.map(([slot, bad]) => [SLOTS[slot]!(bad)]))(
    '%j exits 2 and changes nothing',
    async (argv) => {
      const result = await runJoinery(dir, argv);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    },
  );
});
