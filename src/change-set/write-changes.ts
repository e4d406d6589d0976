/**
 * The only code that writes the user's files. All or nothing: every file is first written to a
 * temporary sibling, then each is renamed over its target; if anything fails, files already
 * renamed get their previous content back and new files are removed.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange } from './change-set.js';

export async function writeChanges(changes: FileChange[]): Promise<void> {
  const staged: { change: FileChange; temp: string }[] = [];
  const applied: FileChange[] = [];
  try {
    for (const change of changes) {
      await mkdir(path.dirname(change.file), { recursive: true });
      const temp = `${change.file}.joinery-${process.pid}.tmp`;
      staged.push({ change, temp });
      await writeFile(temp, change.after, 'utf8');
    }
    for (const { change, temp } of staged) {
      await rename(temp, change.file);
      applied.push(change);
    }
  } catch (error) {
    await Promise.allSettled(staged.map(({ temp }) => rm(temp, { force: true })));
    await restore(applied);
    throw error;
  }
}

/** Puts back what `writeChanges` replaced (used on failure, and when a later step fails). */
export async function restore(changes: FileChange[]): Promise<void> {
  await Promise.allSettled(
    changes.map((change) =>
      change.before === undefined
        ? rm(change.file, { force: true })
        : writeFile(change.file, change.before, 'utf8'),
    ),
  );
}
