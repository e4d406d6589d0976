/**
 * Crash consistency through the built CLI: the process is SIGKILLed at every durable step of its
 * commit (JOINERY_CRASH_AT=N: journal writes, temporary files, renames, the journal's removal)
 * and while drizzle-kit runs; after the next run the tree is, byte for byte, either the tree
 * before or the complete result. Drizzle snapshots carry random ids and migrations a timestamp,
 * so trees are compared with those masked (`comparable`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { joineryBin, runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, snapshotTree } from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';
import { recordedEntries, writeRecordedEntries } from '../support/manifest.js';

/** Two runs per commit step (the crash, then the recovery): minutes, not seconds. */
const SLOW = { timeout: 600_000 };

const dirs: string[] = [];
afterAll(async () => cleanup(...dirs));

async function fixture(name = 'drizzle-pg-domains'): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  return dir;
}

/**
 * The tree with what differs between two identical runs masked: snapshot ids, timestamps, and the
 * checksums joinery.json records of files holding them (the files themselves are compared).
 */
async function comparable(dir: string): Promise<Record<string, string>> {
  const tree = await snapshotTree(dir);
  const mask = (text: string) =>
    // Checksums first: a 64-hex checksum can hold a run of 13 digits that looks like a time.
    text
      .replace(/"[0-9a-f]{64}"/g, '"<sha256>"')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/(?<!\d)1\d{12}(?!\d)/g, '<ms>');
  // TypeORM migrations carry the time in their file and class names too.
  return Object.fromEntries([...tree].map(([file, text]) => [mask(file), mask(text)]));
}

/** Runs joinery; `killed` when SIGKILL ended it. */
async function joinery(dir: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [joineryBin, ...args], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', FORCE_COLOR: '0', ...env },
  });
  return { ...result, killed: result.signal === 'SIGKILL' };
}

/**
 * The next run after a crash: it finishes or rolls back the interrupted commit, then fails at its
 * own first write (JOINERY_FAIL_AT_WRITE=1), so the tree shows exactly what recovery left.
 */
async function recover(dir: string, args: string[]): Promise<string> {
  const result = await joinery(dir, args, { JOINERY_FAIL_AT_WRITE: '1' });
  return result.stderr;
}

/**
 * Kills `args` at every commit step in turn on fresh copies of `name`; returns how many steps
 * there were and how each crash was recovered.
 */
async function crashAtEveryStep(
  name: string,
  args: string[],
  prepare: (dir: string) => Promise<void> = async () => {},
) {
  const reference = await fixture(name);
  await prepare(reference);
  const before = await comparable(reference);
  const done = await joinery(reference, args);
  expect(done.exitCode, done.stderr).toBe(0);
  const complete = await comparable(reference);
  expect(complete).not.toEqual(before);

  const outcomes: string[] = [];
  for (let step = 1; ; step++) {
    const dir = await fixture(name);
    await prepare(dir);
    const crashed = await joinery(dir, args, { JOINERY_CRASH_AT: String(step) });
    if (!crashed.killed) {
      // Past the last step: the run completed.
      expect(crashed.exitCode, crashed.stderr).toBe(0);
      expect(await comparable(dir)).toEqual(complete);
      return { steps: step - 1, outcomes };
    }
    const journaled = existsSync(path.join(dir, '.joinery-journal.json'));
    const stderr = await recover(dir, args);
    const after = await comparable(dir);
    const outcome = JSON.stringify(after) === JSON.stringify(complete) ? 'complete' : 'before';
    expect([before, complete], `step ${step}`).toContainEqual(after);
    // Killed before the journal existed, there is nothing to recover: no file was touched yet.
    if (journaled) {
      expect(stderr, `step ${step}`).toMatch(/finished a commit|rolled back a commit/);
    }
    expect(Object.keys(after).some((file) => /\.joinery-|joinery-journal/.test(file))).toBe(false);
    outcomes.push(outcome);
  }
}

describe('a commit killed at any step leaves the old tree or the new one', () => {
  it('single-resource gen (Drizzle join, 5 files, migration and journal)', SLOW, async () => {
    const { steps, outcomes } = await crashAtEveryStep('drizzle-pg-domains', REFERENCE_ARGS);
    expect(steps).toBeGreaterThan(10);
    // Before the journal says committing the commit rolls back; after, it rolls forward.
    expect(outcomes).toContain('before');
    expect(outcomes).toContain('complete');
    expect(outcomes.indexOf('complete')).toBeGreaterThan(outcomes.lastIndexOf('before'));
  });

  it('multi-resource gen (a plain resource and its many_to_many join)', SLOW, async () => {
    const { steps, outcomes } = await crashAtEveryStep('drizzle-pg-domains', [
      'gen',
      'resource',
      'Works',
      'Venue',
      '--uuid-primary-key',
      'id',
      '-a',
      'name:string',
      '-r',
      'many_to_many:events:Works.VenueEvent:Works.Event',
    ]);
    expect(steps).toBeGreaterThan(10);
    expect(new Set(outcomes)).toEqual(new Set(['before', 'complete']));
  });

  it('sync of three entries (TypeORM)', SLOW, async () => {
    // joinery.json recorded by three gens elsewhere; this copy has none of their files yet.
    const source = await fixture('typeorm-sqlite');
    for (const [key, other] of [
      ['user_id', 'event_id'],
      ['user_id', 'task_id'],
      ['event_id', 'task_id'],
    ]) {
      const [a, b] = [key!.replace('_id', ''), other!.replace('_id', '')];
      const name = `${a![0]!.toUpperCase()}${a!.slice(1)}${b![0]!.toUpperCase()}${b!.slice(1)}`;
      const made = await runJoinery(source, [
        'gen',
        'resource',
        'Accounts',
        name,
        '--primary-key',
        `${key},${other}`,
      ]);
      expect(made.exitCode, made.stderr).toBe(0);
    }
    const manifest = await recordedEntries(source);
    expect(Object.keys(manifest)).toHaveLength(3);
    // Recorded migration files differ by timestamp per run: the entries keep only their flags.
    for (const key of Object.keys(manifest)) manifest[key].migrations = [];
    const { steps, outcomes } = await crashAtEveryStep('typeorm-sqlite', ['sync'], (dir) =>
      writeRecordedEntries(dir, manifest),
    );
    expect(steps).toBeGreaterThan(15);
    expect(new Set(outcomes)).toEqual(new Set(['before', 'complete']));
  });

  it('killed while drizzle-kit runs: the project is as before and the next run completes', async () => {
    const dir = await fixture();
    const before = await comparable(dir);
    const child = execa(process.execPath, [joineryBin, ...REFERENCE_ARGS], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      env: { CI: 'true', FORCE_COLOR: '0' },
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Running drizzle-kit')) child.kill('SIGKILL');
    });
    const result = await child;
    expect(result.signal).toBe('SIGKILL');
    // Only the dead run's lock is new (no process can release a lock when SIGKILLed).
    const { '.joinery.lock': lock, ...rest } = await comparable(dir);
    expect(lock).toMatch(/^\d+\n/);
    expect(rest).toEqual(before);
    const next = await joinery(dir, REFERENCE_ARGS);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.joinery.lock'))).toBe(false);
    expect(next.stdout).toContain('created src/accounts/user-event.ts');
  });
});

describe('a command with several parts changes nothing when any part fails', () => {
  const VENUE = [
    'gen',
    'resource',
    'Works',
    'Venue',
    '--uuid-primary-key',
    'id',
    '-a',
    'name:string',
  ];

  it.each([
    [
      ['-r', 'many_to_many:events:Works.VenueEvent:Works.Nope'],
      3,
      /Resource Works\.Nope not found/,
    ],
    [['-r', 'has_many:gigs:Works.Nope'], 2, /Works\.Nope does not exist/],
  ])(
    'a typo in a later destination (%j): exit %i, nothing written',
    async (extra, code, message) => {
      const dir = await fixture();
      const before = await comparable(dir);
      const result = await joinery(dir, [...VENUE, ...extra]);
      expect(result.stderr).toMatch(message);
      expect(result.exitCode).toBe(code);
      expect(await comparable(dir)).toEqual(before);
    },
  );

  it(
    'an injected write failure at any write of a resource and its join changes nothing',
    SLOW,
    async () => {
      const args = [...VENUE, '-r', 'many_to_many:events:Works.VenueEvent:Works.Event'];
      let failures = 0;
      for (let n = 1; ; n++) {
        const dir = await fixture();
        const before = await comparable(dir);
        const result = await joinery(dir, args, { JOINERY_FAIL_AT_WRITE: String(n) });
        if (result.exitCode === 0) break;
        failures++;
        expect(result.exitCode, result.stderr).toBe(3);
        expect(await comparable(dir), `write ${n}`).toEqual(before);
      }
      // One commit: every file of both parts and both migrations is a write that can fail.
      expect(failures).toBeGreaterThan(12);
    },
  );
});
