/**
 * The only code that writes the user's files. All or nothing: every file is first written to a
 * temporary sibling; then each target is checked to still hold what the run read; then each temp
 * file is renamed over its target. If anything fails, temp files are removed, files already
 * renamed get their previous content back and new files are removed.
 *
 * `JOINERY_FAIL_AT_WRITE=N` makes the Nth file operation of the process (temp writes first, then
 * renames; a later call goes on counting) fail, so tests can prove that a failure anywhere leaves
 * the project byte-identical. It is read here and nowhere else.
 */
import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JoineryError, projectProblem } from '../errors.js';
import type { FileChange } from './change-set.js';

function failAtWrite(): number | undefined {
  const value = Number(process.env.JOINERY_FAIL_AT_WRITE);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function currentContent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Refuses to replace a file that changed on disk after the run read it. */
export function assertUnchanged(changes: FileChange[], root: string): void {
  for (const change of changes) {
    if (currentContent(change.file) === change.before) continue;
    const shown = path.relative(root, change.file).split(path.sep).join('/');
    throw projectProblem(
      `${shown} changed while joinery ran; run again.`,
      'Nothing was written. Another program (an editor, a formatter, a second joinery) edited it after joinery read it.',
    );
  }
}

/** File operations so far in this process; JOINERY_FAIL_AT_WRITE counts across every call. */
let operations = 0;

/** Starts the JOINERY_FAIL_AT_WRITE count again (tests that call the writer in one process). */
export function resetWriteCount(): void {
  operations = 0;
}

export async function writeChanges(changes: FileChange[], root = process.cwd()): Promise<void> {
  const failAt = failAtWrite();
  const operation = (file: string) => {
    operations++;
    if (operations === failAt) {
      throw new Error(`injected failure at write ${failAt} (JOINERY_FAIL_AT_WRITE) on ${file}`);
    }
  };
  const staged: { change: FileChange; temp: string }[] = [];
  const applied: FileChange[] = [];
  const createdFolders: string[] = [];
  let current: FileChange | undefined;
  try {
    for (const change of changes) {
      current = change;
      const created = await mkdir(path.dirname(change.file), { recursive: true });
      if (created) createdFolders.push(created);
      const temp = `${change.file}.joinery-${process.pid}.tmp`;
      operation(temp);
      staged.push({ change, temp });
      await writeFile(temp, change.after, 'utf8');
      // Keep the permissions of the file being replaced (an executable script stays one).
      const mode = modeOf(change.file);
      if (mode !== undefined) await chmod(temp, mode);
    }
    assertUnchanged(changes, root);
    for (const { change, temp } of staged) {
      current = change;
      operation(change.file);
      await rename(temp, change.file);
      applied.push(change);
    }
  } catch (error) {
    await Promise.allSettled(staged.map(({ temp }) => rm(temp, { force: true })));
    await restore(applied);
    // Folders this run created held only its own files; the project gets back its old shape.
    for (const folder of createdFolders.reverse())
      await rm(folder, { recursive: true, force: true });
    if (error instanceof JoineryError) throw error;
    const shown = current ? path.relative(root, current.file).split(path.sep).join('/') : root;
    throw projectProblem(
      `Could not write ${shown}: ${(error as Error).message}. Nothing was changed.`,
      'Check that the project folder is writable and has free space, then run again.',
    );
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
