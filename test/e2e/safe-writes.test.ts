/**
 * Writing safely in a real project, through the built CLI: a failure injected at any write leaves
 * the project byte-identical; a second run waits for the lock, then fails clearly; a stale lock is
 * taken over; uncommitted edits in files about to be touched are warned about; the [Y/n] question
 * comes only on a terminal, and "n" writes nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { joineryBin, runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { recordedEntries } from '../support/manifest.js';

const REFERENCE = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
const UNCHANGED = { added: [], removed: [], changed: [] };

const dirs: string[] = [];
afterEach(async () => cleanup(...dirs.splice(0)));
async function fixture(name = 'drizzle-pg-domains'): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  return dir;
}

describe('all or nothing', () => {
  // 5 files (joinery.json, the join file, both sides, the barrel): writes 1-5 stage, 6-10 rename.
  it.each([1, 5, 6, 8, 10])(
    'a failure injected at write %i changes nothing (exit 3)',
    async (n) => {
      const dir = await fixture();
      const before = await snapshotTree(dir);
      const result = await runJoinery(dir, REFERENCE, { JOINERY_FAIL_AT_WRITE: String(n) });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(
        /error: Could not write .*injected failure at write \d+.*Nothing was changed\./,
      );
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
      expect(existsSync(path.join(dir, '.joinery.lock'))).toBe(false);
    },
  );

  it('a failure after drizzle-kit ran (recording its files in joinery.json) undoes the migration too', async () => {
    const dir = await fixture();
    const before = await snapshotTree(dir);
    // Writes 1-10 land; drizzle-kit runs; write 11 records its files in joinery.json and fails.
    const result = await runJoinery(dir, REFERENCE, { JOINERY_FAIL_AT_WRITE: '11' });
    expect(result.stderr).toContain('Running drizzle-kit generate');
    expect(result.exitCode).toBe(3);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  });

  it('TypeORM too (its migration is one of the files)', async () => {
    const dir = await fixture('typeorm-pg');
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, REFERENCE, { JOINERY_FAIL_AT_WRITE: '9' });
    expect(result.exitCode).toBe(3);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  });
});

describe('the lock', () => {
  it('a second run waits about 2s for a live lock, then fails with exit 3 and changes nothing', async () => {
    const dir = await fixture();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], {
      stdio: 'ignore',
    });
    try {
      await writeFile(path.join(dir, '.joinery.lock'), `${holder.pid}\n`);
      const before = await snapshotTree(dir);
      const started = Date.now();
      const result = await runJoinery(dir, REFERENCE);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(
        `error: Another joinery run (pid ${holder.pid}) is working in ${dir}: .joinery.lock is held.`,
      );
      expect(result.stderr).toMatch(/If no joinery is running, delete .*\.joinery\.lock/);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    } finally {
      holder.kill();
    }
  });

  it('a lock left by a dead process is taken over', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, '.joinery.lock'), '99999999\n');
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(dir, '.joinery.lock'))).toBe(false);
  });

  it('two runs at once do not interleave: both succeed one after the other, or one is refused', async () => {
    const dir = await fixture();
    const [a, b] = await Promise.all([
      runJoinery(dir, REFERENCE),
      runJoinery(dir, [
        'gen',
        'resource',
        'Accounts',
        'UserTask',
        '--primary-key',
        'user_id,task_id',
      ]),
    ]);
    for (const result of [a, b]) expect([0, 3]).toContain(result.exitCode);
    const recorded = Object.keys(await recordedEntries(dir));
    expect(recorded.length).toBe([a, b].filter((result) => result.exitCode === 0).length);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });
});

describe('a dirty work tree', () => {
  it('warns about uncommitted edits in the files about to be touched', async () => {
    const dir = await fixture();
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    const event = path.join(dir, 'src/works/event.ts');
    await writeFile(event, `${await readFile(event, 'utf8')}// work in progress\n`);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('warning: uncommitted changes in src/works/event.ts;');
    expect(result.stderr).not.toContain('src/accounts/user.ts');
  });
});

describe('the [Y/n] question', () => {
  /** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `answer`. */
  const onTerminal = (dir: string, args: string[], answer: string) =>
    execa('script', ['-qec', [process.execPath, joineryBin, ...args].join(' '), '/dev/null'], {
      cwd: dir,
      input: answer,
      reject: false,
      env: { FORCE_COLOR: '0', NO_COLOR: '1' },
      timeout: 60_000,
    });

  it.runIf(existsSync('/usr/bin/script'))(
    'on a terminal, "n" writes nothing; --yes does not ask',
    async () => {
      const dir = await fixture();
      const before = await snapshotTree(dir);
      const declined = await onTerminal(dir, REFERENCE, 'n\n');
      expect(declined.stdout).toContain('would create src/accounts/user-event.ts');
      expect(declined.stdout).toContain('Write these changes? [Y/n]');
      expect(declined.stdout).toContain('Nothing written.');
      expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);

      const yes = await onTerminal(dir, [...REFERENCE, '--yes'], '');
      expect(yes.stdout).not.toContain('[Y/n]');
      expect(yes.stdout).toContain('created src/accounts/user-event.ts');
    },
  );

  it('without a terminal it never asks', async () => {
    const dir = await fixture();
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('[Y/n]');
  });
});
