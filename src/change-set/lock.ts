/**
 * `.joinery.lock` at the project root, so two runs cannot interleave their reads and writes. It is
 * created with O_EXCL and holds the owner's pid; a lock whose pid is no longer running is stale and
 * taken over. A live lock is waited for briefly, then the run fails with exit 3.
 */
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { projectProblem } from '../errors.js';

export const LOCK_FILE = '.joinery.lock';

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

async function holder(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function tryCreate(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${process.pid}\n`, 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw projectProblem(
      `Cannot create ${file}: ${(error as Error).message}.`,
      'joinery needs to write in the project folder; check its permissions.',
    );
  }
}

/** Takes the lock; resolves to the function that releases it. */
export async function acquireLock(
  root: string,
  { waitMs = 2000, pollMs = 100 }: LockOptions = {},
): Promise<() => Promise<void>> {
  const file = path.join(root, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let pid: number | undefined;
  for (;;) {
    if (await tryCreate(file)) break;
    pid = await holder(file);
    if (pid !== undefined && !isRunning(pid)) {
      await rm(file, { force: true }); // stale: its owner died without releasing it
      continue;
    }
    if (Date.now() >= deadline) {
      throw projectProblem(
        `Another joinery run${pid ? ` (pid ${pid})` : ''} is working in ${root}: ${LOCK_FILE} is held.`,
        `Wait for it to finish and run again. If no joinery is running, delete ${file}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return async () => {
    if ((await holder(file)) === process.pid) await rm(file, { force: true });
  };
}
