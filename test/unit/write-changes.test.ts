/**
 * The writer and its guards: a failure injected at any write leaves the folder byte-identical, a
 * file edited after it was read is never overwritten, the lock keeps two runs apart, writes stay
 * inside the project (symlinks included), and git's view of uncommitted files is read right.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { isInGitRepo, parsePorcelain, uncommittedFiles } from '../../src/change-set/git-status.js';
import { acquireLock, LOCK_FILE } from '../../src/change-set/lock.js';
import { resetWriteCount, writeChanges } from '../../src/change-set/write-changes.js';
import { JoineryError } from '../../src/errors.js';
import { diffTrees, snapshotTree } from '../support/fixture.js';

const dirs: string[] = [];
afterEach(async () => {
  delete process.env.JOINERY_FAIL_AT_WRITE;
  resetWriteCount();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'joinery-write-'));
  dirs.push(dir);
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src/user.ts'), 'export const user = 1;\n');
  await writeFile(path.join(dir, 'src/event.ts'), 'export const event = 1;\n');
  await writeFile(path.join(dir, 'joinery.json'), '{\n  "version": 1\n}\n');
  return dir;
}

/** Two updates and two creates (one in a new folder). */
function plan(dir: string): ChangeSet {
  const changes = new ChangeSet(dir);
  changes.write('src/user.ts', 'export const user = 2;\n');
  changes.write('src/event.ts', 'export const event = 2;\n');
  changes.write('src/accounts/user-event.ts', 'export const userEvent = 1;\n');
  changes.write('joinery.json', '{\n  "Accounts.UserEvent": {},\n  "version": 1\n}\n');
  return changes;
}

async function rejection(run: Promise<unknown>): Promise<JoineryError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof JoineryError) return error;
    throw error;
  }
  throw new Error('expected a JoineryError');
}

describe('writeChanges: all or nothing', () => {
  it('writes every change', async () => {
    const dir = await project();
    await writeChanges(plan(dir).listChanges(), dir);
    expect(await readFile(path.join(dir, 'src/accounts/user-event.ts'), 'utf8')).toBe(
      'export const userEvent = 1;\n',
    );
    expect(await readFile(path.join(dir, 'src/user.ts'), 'utf8')).toBe('export const user = 2;\n');
  });

  // 4 files: operations 1-4 stage temp files, 5-8 rename them over their targets.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'a failure at write %i leaves the project byte-identical (exit 3)',
    async (n) => {
      const dir = await project();
      const before = await snapshotTree(dir);
      const changes = plan(dir).listChanges();
      process.env.JOINERY_FAIL_AT_WRITE = String(n);
      const error = await rejection(writeChanges(changes, dir));
      expect(error.exitCode).toBe(3);
      expect(error.message).toMatch(
        /Could not write .*injected failure at write \d+.*Nothing was changed/,
      );
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
      await expect(stat(path.join(dir, 'src/accounts'))).rejects.toThrow(); // no folder left behind
    },
  );

  it('refuses to overwrite a file edited after it was read, and writes nothing', async () => {
    const dir = await project();
    const changes = plan(dir).listChanges();
    await writeFile(
      path.join(dir, 'src/event.ts'),
      'export const event = 99; // edited meanwhile\n',
    );
    const before = await snapshotTree(dir);
    const error = await rejection(writeChanges(changes, dir));
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('src/event.ts changed while joinery ran; run again.');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('refuses to create a file that appeared after the run looked', async () => {
    const dir = await project();
    const changes = plan(dir).listChanges();
    await mkdir(path.join(dir, 'src/accounts'));
    await writeFile(path.join(dir, 'src/accounts/user-event.ts'), '// mine\n');
    const error = await rejection(writeChanges(changes, dir));
    expect(error.message).toBe('src/accounts/user-event.ts changed while joinery ran; run again.');
    expect(await readFile(path.join(dir, 'src/accounts/user-event.ts'), 'utf8')).toBe('// mine\n');
  });

  it('compares with what the planner read (the project reader), not a later disk read', async () => {
    const dir = await project();
    const seen = 'export const user = 1;\n';
    await writeFile(
      path.join(dir, 'src/user.ts'),
      'export const user = 5; // edited after the scan\n',
    );
    const changes = new ChangeSet(dir, {
      read: (file) => (file.endsWith('user.ts') ? seen : undefined),
    });
    changes.write('src/user.ts', 'export const user = 2;\n');
    expect(changes.listChanges()[0]!.before).toBe(seen);
    const error = await rejection(writeChanges(changes.listChanges(), dir));
    expect(error.message).toMatch(/src\/user\.ts changed while joinery ran/);
  });

  it('keeps the permissions of the files it replaces', async () => {
    const dir = await project();
    await chmod(path.join(dir, 'src/user.ts'), 0o755);
    await writeChanges(plan(dir).listChanges(), dir);
    expect((await stat(path.join(dir, 'src/user.ts'))).mode & 0o777).toBe(0o755);
  });
});

describe('ChangeSet: writes stay inside the project', () => {
  it('refuses a path that leaves the root', async () => {
    const dir = await project();
    const changes = new ChangeSet(dir);
    expect(() => changes.write('../outside.ts', 'x')).toThrow(/outside the project/);
    expect(() => changes.write('/tmp/elsewhere.ts', 'x')).toThrow(/outside the project/);
  });

  it('refuses a folder that is a symlink out of the project', async () => {
    const dir = await project();
    const outside = await mkdtemp(path.join(tmpdir(), 'joinery-outside-'));
    dirs.push(outside);
    await symlink(outside, path.join(dir, 'src/linked'), 'dir');
    const changes = new ChangeSet(dir);
    let error: unknown;
    try {
      changes.write('src/linked/deeper/user-event.ts', 'x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JoineryError);
    expect((error as JoineryError).exitCode).toBe(3);
    expect((error as JoineryError).message).toMatch(
      /Refusing to write src\/linked\/deeper\/user-event\.ts: it resolves to .* outside the project/,
    );
  });

  it('accepts a symlink that stays inside, and a root reached through a symlink', async () => {
    const dir = await project();
    await symlink(path.join(dir, 'src'), path.join(dir, 'source'), 'dir');
    const alias = `${dir}-alias`;
    await symlink(dir, alias, 'dir');
    dirs.push(alias);
    expect(() => new ChangeSet(dir).write('source/x.ts', 'x')).not.toThrow();
    expect(() => new ChangeSet(alias).write('src/x.ts', 'x')).not.toThrow();
  });
});

describe('the project lock', () => {
  it('lets one run in, makes the second wait and fail with exit 3, then frees it', async () => {
    const dir = await project();
    const release = await acquireLock(dir);
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(
      String(process.pid),
    );
    const started = Date.now();
    const error = await rejection(acquireLock(dir, { waitMs: 300, pollMs: 50 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(
      new RegExp(`Another joinery run \\(pid ${process.pid}\\) is working in`),
    );
    expect(error.hint).toMatch(/delete .*\.joinery\.lock/);
    await release();
    await expect(stat(path.join(dir, LOCK_FILE))).rejects.toThrow();
    const again = await acquireLock(dir, { waitMs: 0 });
    await again();
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dir = await project();
    // A pid that cannot be running: above Linux's pid_max.
    await writeFile(path.join(dir, LOCK_FILE), '99999999\n');
    const release = await acquireLock(dir, { waitMs: 0 });
    expect((await readFile(path.join(dir, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(
      String(process.pid),
    );
    await release();
  });

  it('the second run gets the lock once the first releases it within the wait', async () => {
    const dir = await project();
    const release = await acquireLock(dir);
    setTimeout(() => void release(), 150);
    const second = await acquireLock(dir, { waitMs: 2000, pollMs: 25 });
    await second();
  });
});

describe('git status of the files about to be written', () => {
  it.each([
    [' M src/user.ts\n?? src/new.ts\n', ['src/user.ts', 'src/new.ts']],
    ['R  old.ts -> src/renamed.ts\n', ['src/renamed.ts']],
    ['', []],
  ])('parses %j', (output, files) => {
    expect(parsePorcelain(output)).toEqual(files);
  });

  it('names the modified files among those given, only in a git repo', async () => {
    const dir = await project();
    const files = [path.join(dir, 'src/user.ts'), path.join(dir, 'src/event.ts')];
    expect(isInGitRepo(dir)).toBe(false);
    expect(await uncommittedFiles(dir, files)).toEqual([]);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    expect(await uncommittedFiles(dir, files)).toEqual([]);
    await writeFile(path.join(dir, 'src/event.ts'), 'export const event = 3;\n');
    expect(await uncommittedFiles(dir, files)).toEqual(['src/event.ts']);
  });
});
