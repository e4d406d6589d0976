/**
 * A run is one transaction, through the built CLI (issue 13): two runs racing for a stale lock
 * never both write; empty, garbage and dangling locks do not block; a closed stdout (`| head -1`)
 * does not end a run midway; SIGINT/SIGTERM before the commit change nothing; only the planned
 * edits change a file's bytes (BOM, CRLF, symlinks kept; invalid UTF-8 and read-only files
 * refused); Drizzle's `out` outside the project is refused.
 */
import { existsSync, lstatSync } from 'node:fs';
import {
  chmod,
  lutimes,
  readdir,
  readFile,
  rename,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { joineryBin, runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { recordedEntries, writeRecordedEntries } from '../support/manifest.js';

const REFERENCE = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
const SECOND = ['gen', 'resource', 'Accounts', 'UserTask', '--primary-key', 'user_id,task_id'];
const UNCHANGED = { added: [], removed: [], changed: [] };
const LOCK = '.joinery.lock';
const ENV = { CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };

const dirs: string[] = [];
afterEach(async () => cleanup(...dirs.splice(0)));
async function fixture(name = 'drizzle-pg-domains'): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  return dir;
}

/** Every file of the tree as bytes (snapshotTree decodes UTF-8, which hides a Latin-1 byte). */
async function bytesOf(dir: string, file: string): Promise<Buffer> {
  return readFile(path.join(dir, file));
}

async function recordedKeys(dir: string): Promise<string[]> {
  return Object.keys(await recordedEntries(dir)).sort();
}

async function filesIn(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).sort() : [];
}

describe('two runs racing for a stale lock', () => {
  const TRIALS = 50;
  it(`never both write (${TRIALS} trials, TypeORM)`, { timeout: 300_000 }, async () => {
    const outcomes = { bothZero: 0, oneRefused: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = await fixture('typeorm-pg');
      const migrationsBefore = await filesIn(path.join(dir, 'src/migrations'));
      // A lock left by a dead process: both runs see it stale at once.
      await writeFile(path.join(dir, LOCK), '99999999\n');
      const [a, b] = await Promise.all([runJoinery(dir, REFERENCE), runJoinery(dir, REFERENCE)]);
      const codes = [a.exitCode, b.exitCode].sort();
      expect([
        [0, 0],
        [0, 3],
      ]).toContainEqual(codes);
      for (const result of [a, b]) {
        if (result.exitCode === 3) expect(result.stderr).toContain(`${LOCK} is held`);
      }
      if (codes[1] === 0) outcomes.bothZero++;
      else outcomes.oneRefused++;
      // One writer: one migration, one entry, and the second run (if any) found it current.
      const migrations = await filesIn(path.join(dir, 'src/migrations'));
      expect(migrations.length - migrationsBefore.length).toBe(1);
      expect(await recordedKeys(dir)).toEqual(['Accounts.UserEvent']);
      expect(existsSync(path.join(dir, LOCK))).toBe(false);
      expect((await readdir(dir)).filter((name) => name.startsWith(LOCK))).toEqual([]);
      await cleanup(...dirs.splice(0));
    }
    console.info(`stale-lock race: ${JSON.stringify(outcomes)} of ${TRIALS} trials`);
  });
});

describe('a lock file nobody can own', () => {
  const old = new Date(Date.now() - 60_000);
  it.each([
    ['empty', ''],
    ['garbage', 'garbage\u0000\n'],
  ])('an old %s .joinery.lock is taken over', async (_, content) => {
    const dir = await fixture('typeorm-pg');
    await writeFile(path.join(dir, LOCK), content);
    await utimes(path.join(dir, LOCK), old, old);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });

  it('an old dangling symlink .joinery.lock is taken over', async () => {
    const dir = await fixture('typeorm-pg');
    await symlink(path.join(dir, 'nowhere'), path.join(dir, LOCK));
    await lutimes(path.join(dir, LOCK), old, old);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(lstatSync(path.join(dir, LOCK), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('a young empty lock (another joinery about to write its pid) is waited for, then taken over', async () => {
    const dir = await fixture('typeorm-pg');
    await writeFile(path.join(dir, LOCK), '');
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });
});

describe('a closed stdout', () => {
  /** `joinery … | head -1`; the exit status is joinery's, not head's. */
  const piped = (dir: string, args: string[]) =>
    execa(
      'bash',
      [
        '-c',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(joineryBin)} ${args.join(' ')} | head -1; exit "\${PIPESTATUS[0]}"`,
      ],
      { cwd: dir, reject: false, env: ENV },
    );

  it('gen | head -1 completes: exit 0, every file written, no lock left', async () => {
    const dir = await fixture();
    const result = await piped(dir, REFERENCE);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout).split('\n')).toHaveLength(1);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });

  it('sync | head -1 applies every entry: exit 0, no lock left, check current', async () => {
    const source = await fixture();
    for (const args of [REFERENCE, SECOND])
      expect((await runJoinery(source, args)).exitCode).toBe(0);
    const dir = await fixture();
    // The recorded migrations are drizzle-kit's of the other copy: sync generates its own.
    const manifest = await recordedEntries(source);
    for (const key of Object.keys(manifest)) manifest[key].migrations = [];
    await writeRecordedEntries(dir, manifest);
    const result = await piped(dir, ['sync', '--yes']);
    expect(result.exitCode).toBe(0);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
    expect(await filesIn(path.join(dir, 'src/accounts'))).toEqual(
      expect.arrayContaining(['user-event.ts', 'user-task.ts']),
    );
    const sql = (await filesIn(path.join(dir, 'drizzle'))).filter((file) => file.endsWith('.sql'));
    expect(sql).toHaveLength(3);
  });
});

describe('SIGINT and SIGTERM before the commit', () => {
  const RUNS = 50;
  it(
    `exit 130/143, nothing changed, no lock left (${RUNS} runs at random instants)`,
    { timeout: 300_000 },
    async () => {
      const counts = { interrupted: 0, diedBeforeLock: 0, diedAfterRelease: 0, finished: 0 };
      // How long one whole run takes here; signals land anywhere within it.
      const timing = await fixture();
      const started = Date.now();
      expect((await runJoinery(timing, REFERENCE)).exitCode).toBe(0);
      const complete = await snapshotTree(timing);
      const span = Date.now() - started;
      for (let run = 0; run < RUNS; run++) {
        const signal = run % 2 === 0 ? 'SIGINT' : 'SIGTERM';
        const dir = await fixture();
        const before = await snapshotTree(dir);
        const child = execa(process.execPath, [joineryBin, ...REFERENCE], {
          cwd: dir,
          reject: false,
          env: ENV,
        });
        const delay = Math.floor(Math.random() * span * 0.9);
        const timer = setTimeout(() => child.kill(signal), delay);
        const result = await child;
        clearTimeout(timer);
        const after = await snapshotTree(dir);
        const isComplete = () => {
          const diff = diffTrees(complete, after);
          return diff.added.length === 0 && diff.removed.length === 0;
        };
        if (result.exitCode === 0) {
          // The signal came after the last write: the run is complete, not half-written.
          counts.finished++;
          expect(isComplete()).toBe(true);
        } else if (result.signal === signal) {
          // No handler yet (before the lock) or any more (after the release): Node's default.
          const unchanged = diffTrees(before, after).changed.length === 0 && !isComplete();
          if (unchanged) counts.diedBeforeLock++;
          else counts.diedAfterRelease++;
          expect(unchanged || isComplete(), `${signal} at ${delay} ms`).toBe(true);
          if (unchanged) expect(diffTrees(before, after)).toEqual(UNCHANGED);
        } else {
          expect(result.exitCode, `${signal} at ${delay} ms: ${result.stderr}`).toBe(
            signal === 'SIGINT' ? 130 : 143,
          );
          expect(result.stderr).toContain(`Interrupted (${signal}); nothing was changed.`);
          counts.interrupted++;
          expect(diffTrees(before, after), `${signal} at ${delay} ms`).toEqual(UNCHANGED);
        }
        expect((await readdir(dir)).filter((name) => name.startsWith(LOCK))).toEqual([]);
        await cleanup(...dirs.splice(1));
      }
      console.info(`signals: ${JSON.stringify(counts)} of ${RUNS} runs (a run took ${span} ms)`);
      expect(counts.interrupted).toBeGreaterThan(RUNS / 2);
    },
  );
});

describe('only the planned edits change the bytes', () => {
  const USER = 'src/accounts/user.ts';
  const EVENT = 'src/works/event.ts';

  it('a BOM and CRLF line ends stay (the inserted lines get CRLF too)', async () => {
    const plain = await fixture();
    expect((await runJoinery(plain, REFERENCE)).exitCode).toBe(0);
    const dir = await fixture();
    const original = await readFile(path.join(dir, USER), 'utf8');
    await writeFile(path.join(dir, USER), `\uFEFF${original.replace(/\n/g, '\r\n')}`);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode, result.stderr).toBe(0);
    const written = await readFile(path.join(dir, USER), 'utf8');
    expect(written.startsWith('\uFEFF')).toBe(true);
    expect(written).not.toMatch(/[^\r]\n/);
    // The same edits as in an LF project, nothing else.
    const expected = await readFile(path.join(plain, USER), 'utf8');
    expect(written).toBe(`\uFEFF${expected.replace(/\n/g, '\r\n')}`);
    expect(expected).not.toBe(original);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });

  it('a file that is not valid UTF-8 is refused (exit 3, named) and left untouched', async () => {
    const dir = await fixture();
    const latin1 = Buffer.concat([
      await bytesOf(dir, EVENT),
      Buffer.from('// caf\xe9 (Latin-1)\n', 'latin1'),
    ]);
    await writeFile(path.join(dir, EVENT), latin1);
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`error: ${EVENT} is not valid UTF-8`);
    expect(await bytesOf(dir, EVENT)).toEqual(latin1);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });

  it('a symlinked source file is edited at its target and stays a link', async () => {
    const dir = await fixture();
    // Beside it, so drizzle-kit (which loads the real path) resolves its imports the same way.
    await rename(path.join(dir, EVENT), path.join(dir, 'src/works/event.source.ts'));
    await symlink('event.source.ts', path.join(dir, EVENT));
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(lstatSync(path.join(dir, EVENT)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'src/works/event.source.ts'), 'utf8')).toContain(
      'userEvents',
    );
  });

  it('a read-only file is refused (exit 3, named) before anything is written', async () => {
    const dir = await fixture();
    await chmod(path.join(dir, EVENT), 0o444);
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`error: ${EVENT} is read-only`);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });

  it('a BOM in package.json, tsconfig.json and joinery.json is accepted (and kept)', async () => {
    const dir = await fixture();
    expect((await runJoinery(dir, REFERENCE)).exitCode).toBe(0);
    for (const file of [
      'package.json',
      'tsconfig.json',
      'joinery.json',
      'joinery/Accounts.UserEvent.json',
    ]) {
      await writeFile(
        path.join(dir, file),
        `\uFEFF${await readFile(path.join(dir, file), 'utf8')}`,
      );
    }
    const result = await runJoinery(dir, SECOND);
    expect(result.exitCode, result.stderr).toBe(0);
    const entry = await readFile(path.join(dir, 'joinery/Accounts.UserEvent.json'), 'utf8');
    expect(entry.startsWith('\uFEFF')).toBe(true);
    expect(await recordedKeys(dir)).toEqual(['Accounts.UserEvent', 'Accounts.UserTask']);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });
});

describe("Drizzle's migrations folder outside the project", () => {
  it("out: '../elsewhere' is refused before anything runs (exit 3)", async () => {
    const dir = await fixture();
    const config = path.join(dir, 'drizzle.config.ts');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace("out: './drizzle'", "out: '../elsewhere'"),
    );
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(
      `error: Refusing to write ../elsewhere (out in drizzle.config.ts): it is outside the project ${dir}.`,
    );
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
    expect(existsSync(path.join(dir, '../elsewhere'))).toBe(false);
  });

  it('a migrations folder that is a symlink out of the project is refused too', async () => {
    const dir = await fixture();
    const outside = `${dir}-migrations`;
    dirs.push(outside);
    await rename(path.join(dir, 'drizzle'), outside);
    await symlink(outside, path.join(dir, 'drizzle'));
    const before = await snapshotTree(outside);
    const result = await runJoinery(dir, REFERENCE);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/Refusing to write \.\/drizzle \(out in drizzle\.config\.ts\)/);
    expect(result.stderr).toContain(`resolves to ${outside}`);
    expect(diffTrees(before, await snapshotTree(outside))).toEqual(UNCHANGED);
    expect(await filesIn(path.join(dir, 'src/accounts'))).not.toContain('user-event.ts');
  });
});
