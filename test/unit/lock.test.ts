/**
 * The lock protocol (src/change-set/lock.ts): processes racing for a lock that is stale at every
 * acquisition never hold it together; empty, garbage and dangling lock files older than a few
 * seconds are taken over; a young one is waited for; a failure to create the lock leaves nothing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink, utimes, lutimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, LOCK_FILE, STALE_MS } from '../../src/change-set/lock.js';
import { JoineryError } from '../../src/errors.js';
import { repoRoot } from '../support/fixture.js';
import { tsxBin } from '../support/cli.js';

const dirs: string[] = [];
afterEach(async () =>
  Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))),
);

async function folder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'joinery-lock-'));
  dirs.push(dir);
  return dir;
}

const old = new Date(Date.now() - 10 * STALE_MS);

/**
 * Each racer acquires the lock `rounds` times; inside, it creates `inside` with O_EXCL (a second
 * holder would fail there and exit 1), then leaves the lock behind *stale* (a dead pid, renamed
 * over it) instead of releasing it, so every acquisition of every racer is a stale takeover.
 */
const RACER = `
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireLock } from ${JSON.stringify(path.join(repoRoot, 'src/change-set/lock.ts'))};
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
const inside = path.join(dir, 'inside');
for (let round = 0; round < rounds; round++) {
  await acquireLock(dir, { waitMs: 60_000, pollMs: 1 });
  try {
    await writeFile(inside, String(process.pid), { flag: 'wx' });
  } catch {
    console.error('two holders at once');
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  await rm(inside);
  const stale = path.join(dir, 'stale-' + process.pid);
  await writeFile(stale, '99999999\\n');
  await rename(stale, path.join(dir, '.joinery.lock'));
}
`;

describe('acquireLock', () => {
  it(
    '4 processes × 40 takeovers of a stale lock: never two holders',
    { timeout: 120_000 },
    async () => {
      const dir = await folder();
      const script = path.join(dir, 'racer.mts');
      await writeFile(script, RACER);
      await writeFile(path.join(dir, LOCK_FILE), '99999999\n');
      const racers = await Promise.all(
        [1, 2, 3, 4].map(() => execa(tsxBin, [script, dir, '40'], { reject: false })),
      );
      for (const racer of racers) expect([racer.exitCode, racer.stderr]).toEqual([0, '']);
      // Claims, guards and moved-away locks are all cleaned up.
      expect((await readdir(dir)).sort()).toEqual([LOCK_FILE, 'racer.mts']);
    },
  );

  it.each([
    ['empty', ''],
    ['garbage', 'not a pid\n'],
    ['a zero pid', '0\n'],
  ])('takes over an old %s lock file', async (_, content) => {
    const dir = await folder();
    const file = path.join(dir, LOCK_FILE);
    await writeFile(file, content);
    await utimes(file, old, old);
    const release = await acquireLock(dir, { waitMs: 0 });
    await release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over an old dangling symlink', async () => {
    const dir = await folder();
    const file = path.join(dir, LOCK_FILE);
    await symlink(path.join(dir, 'missing'), file);
    await lutimes(file, old, old);
    const release = await acquireLock(dir, { waitMs: 0 });
    await release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('waits for a young empty lock (an older joinery about to write its pid), then takes it', async () => {
    const dir = await folder();
    await writeFile(path.join(dir, LOCK_FILE), '');
    await expect(acquireLock(dir, { waitMs: 0 })).rejects.toThrow(/is held/);
    const started = Date.now();
    const release = await acquireLock(dir, { waitMs: 2 * STALE_MS, pollMs: 50 });
    expect(Date.now() - started).toBeGreaterThan(STALE_MS / 2);
    await release();
  });

  it('a live lock (this process) is not taken over', async () => {
    const dir = await folder();
    const release = await acquireLock(dir);
    await expect(acquireLock(dir, { waitMs: 0 })).rejects.toThrow(JoineryError);
    await release();
    await (
      await acquireLock(dir, { waitMs: 0 })
    )();
  });

  it('a folder it cannot create the lock in: exit 3, and no file is left', async () => {
    const dir = path.join(await folder(), 'missing');
    const error = await acquireLock(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(JoineryError);
    expect((error as JoineryError).exitCode).toBe(3);
    expect((error as JoineryError).message).toMatch(/^Cannot create .*\.joinery\.lock: .*ENOENT/);
    expect(existsSync(path.dirname(dir)) && (await readdir(path.dirname(dir)))).toEqual([]);
  });
});
