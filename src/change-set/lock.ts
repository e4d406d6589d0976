/**
 * `.joinery.lock` at the project root, so two runs cannot interleave their reads and writes.
 *
 * The protocol (git's lock file, made safe for taking over a stale lock):
 *
 * - **Create.** The run writes its claim (`<pid>\n<token>\n`) to a private file
 *   `.joinery.lock.<pid>.<token>`, then `link()`s it to `.joinery.lock`. `link` fails with EEXIST
 *   when the lock exists (also a dangling symlink), exactly like O_EXCL, so at most one run wins;
 *   and the lock appears with its whole content or not at all, so a full disk (ENOSPC) or a
 *   read-only folder (EACCES) leaves no empty lock behind and is reported as exit 3.
 * - **Stale.** A lock whose pid no longer runs is stale; so is one that cannot be read, is empty,
 *   holds no pid or is a dangling symlink, once it is older than `STALE_MS` (an older joinery
 *   created the file first and wrote its pid a moment later).
 * - **Take over.** Never unlink-then-create: two runs that both judged the same lock stale would
 *   each delete the other's fresh lock. Instead a run takes a short-lived guard
 *   (`.joinery.lock.takeover`, created by `link()` like the lock), looks at the lock again *under
 *   the guard* (same inode, still stale), renames that inode away to a private name and checks
 *   that the inode it moved is the one it judged (if not, it links it back and gives up), removes
 *   the guard, and then competes for the free lock with a plain `link()` like everyone else.
 *   Only guard holders move a lock and only one holds the guard, so a live lock is never moved;
 *   runs creating a lock only `link()`, which cannot replace one. A guard older than `STALE_MS`
 *   belongs to a run killed inside those few milliseconds and is moved away the same way.
 * - **Confirm and release.** After `link()` succeeds the run reads the lock back and checks its
 *   token; release removes the lock only while it still holds that token.
 *
 * From the first attempt to the release, SIGINT and SIGTERM end the run cleanly instead of at
 * once (interruption.ts).
 *
 * What stays outside: runs on two machines sharing a network folder (a pid means nothing there),
 * and a person deleting the lock by hand in the microseconds of a takeover.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, lstat, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectProblem } from '../errors.js';
import { throwIfInterrupted, watchSignals } from '../interruption.js';

export const LOCK_FILE = '.joinery.lock';

/** How old an unreadable lock (or a takeover guard) must be before it counts as abandoned. */
export const STALE_MS = 2000;

export interface LockOptions {
  waitMs?: number;
  pollMs?: number;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Seen {
  ino: number;
  dev: number;
  /** Undefined when the file is empty, garbage, unreadable or a dangling link. */
  pid: number | undefined;
  token: string | undefined;
  ageMs: number;
}

function parseClaim(text: string): { pid: number | undefined; token: string | undefined } {
  const [first = '', second] = text.split('\n');
  const pid = Number(first.trim());
  return {
    pid: /^\d+$/.test(first.trim()) && pid > 0 ? pid : undefined,
    token: second?.trim() || undefined,
  };
}

/** What is at `file` now (lstat: a symlink is judged itself), or undefined when nothing is. */
async function look(file: string): Promise<Seen | undefined> {
  let stats;
  try {
    stats = await lstat(file);
  } catch {
    return undefined;
  }
  let claim: { pid: number | undefined; token: string | undefined } = {
    pid: undefined,
    token: undefined,
  };
  try {
    claim = parseClaim(await readFile(file, 'utf8'));
  } catch {
    // unreadable or dangling: judged by its age
  }
  return { ino: stats.ino, dev: stats.dev, ...claim, ageMs: Date.now() - stats.mtimeMs };
}

function isStale(seen: Seen): boolean {
  return seen.pid === undefined ? seen.ageMs > STALE_MS : !isRunning(seen.pid);
}

const sameFile = (a: Seen, b: { ino: number; dev: number }) => a.ino === b.ino && a.dev === b.dev;

/** Moves the file at `file` away only when it is still the one `judged`; true when it did. */
async function moveAway(file: string, judged: Seen, tomb: string): Promise<boolean> {
  try {
    await rename(file, tomb);
  } catch {
    return false; // gone already
  }
  const moved = await lstat(tomb).catch(() => undefined);
  if (moved && !sameFile(judged, moved)) {
    // Not the file we judged: put it back (fails only when a new lock took its place).
    await link(tomb, file).catch(() => undefined);
    await unlink(tomb).catch(() => undefined);
    return false;
  }
  await rm(tomb, { force: true });
  return true;
}

/** `link(claim, target)`: true when this run created `target`, false when something is there. */
async function linkClaim(claim: string, target: string): Promise<boolean> {
  try {
    await link(claim, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotCreate(target, error);
  }
}

function cannotCreate(file: string, error: unknown): Error {
  return projectProblem(
    `Cannot create ${file}: ${(error as Error).message}. Nothing was changed.`,
    'joinery needs to write in the project folder; check its permissions and free space.',
  );
}

/** Lock files of this process, removed synchronously if it exits without releasing them. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function releaseOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [file, token] of held) {
      try {
        if (parseClaim(readFileSync(file, 'utf8')).token === token) unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Under the takeover guard: moves the lock away when it is still the stale one we saw. Returns
 * false without doing anything when another run holds the guard.
 */
async function takeOver(
  lock: string,
  judged: Seen,
  claim: string,
  token: string,
): Promise<boolean> {
  const guard = `${lock}.takeover`;
  if (!(await linkClaim(claim, guard))) {
    const seenGuard = await look(guard);
    if (seenGuard && seenGuard.ageMs > STALE_MS) {
      return moveAway(guard, seenGuard, `${claim}.guard`);
    }
    return false;
  }
  try {
    const now = await look(lock);
    if (now && sameFile(now, judged) && isStale(now)) {
      await moveAway(lock, now, `${claim}.stale`);
    }
  } finally {
    // Only our own guard (one moved away as stale after a pause is someone else's now).
    if ((await look(guard))?.token === token) await unlink(guard).catch(() => undefined);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock; resolves to the function that releases it. */
export async function acquireLock(
  root: string,
  { waitMs = 2000, pollMs = 100 }: LockOptions = {},
): Promise<() => Promise<void>> {
  const file = path.join(root, LOCK_FILE);
  const token = randomBytes(8).toString('hex');
  const claim = `${file}.${process.pid}.${token}`;
  const unwatch = watchSignals();
  try {
    await writeFile(claim, `${process.pid}\n${token}\n`, { flag: 'wx' });
  } catch (error) {
    unwatch();
    await rm(claim, { force: true }).catch(() => undefined);
    throw cannotCreate(file, error);
  }
  const deadline = Date.now() + waitMs;
  let pid: number | undefined;
  try {
    for (;;) {
      throwIfInterrupted();
      if (await linkClaim(claim, file)) {
        if ((await look(file))?.token === token) break;
        continue; // cannot happen among joinery runs; look again rather than assume
      }
      const seen = await look(file);
      if (seen === undefined) continue; // released meanwhile
      pid = seen.pid;
      if (isStale(seen)) {
        // Another run is taking it over: give it the few milliseconds that takes.
        if (!(await takeOver(file, seen, claim, token))) await sleep(Math.min(pollMs, 10));
        continue;
      }
      if (Date.now() >= deadline) {
        throw projectProblem(
          `Another joinery run${pid ? ` (pid ${pid})` : ''} is working in ${root}: ${LOCK_FILE} is held.`,
          `Wait for it to finish and run again. If no joinery is running, delete ${file}.`,
        );
      }
      await sleep(pollMs);
    }
  } catch (error) {
    unwatch();
    throw error;
  } finally {
    await rm(claim, { force: true }).catch(() => undefined);
  }
  held.set(file, token);
  releaseOnExit();
  return async () => {
    held.delete(file);
    if ((await look(file))?.token === token) await rm(file, { force: true });
    unwatch();
  };
}
