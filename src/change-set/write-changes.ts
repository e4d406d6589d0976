/**
 * The only code that writes the user's files. All or nothing: first every target is checked
 * (still what the run read, valid UTF-8, writable), so a refusal changes nothing; then every file
 * is written to a temporary sibling; each target is checked again; then each temp file is renamed
 * over its target. If anything fails, temp files are removed, files already renamed get their
 * previous bytes back and new files are removed.
 *
 * Only the planned edits change a file: the text is encoded in the style the file has on disk (its
 * BOM, CRLF line ends: see text-encoding.ts), and a symlink is followed, so its target is edited
 * and the link stays a link.
 *
 * A commit killed at any instant is finished or rolled back by the next run (commit-journal.ts).
 *
 * `JOINERY_FAIL_AT_WRITE=N` makes the Nth file operation of the process (temp writes first, then
 * renames; a later call goes on counting) fail, so tests can prove that a failure anywhere leaves
 * the project byte-identical. It is read here and nowhere else.
 */
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JoineryError, projectProblem } from '../errors.js';
import { throwIfInterrupted } from '../interruption.js';
import type { FileChange } from './change-set.js';
import { CommitJournal, crashPoint } from './commit-journal.js';
import { decodeUtf8, encodeText, normalizeText, PLAIN_STYLE, styleOf } from './text-encoding.js';

function failAtWrite(): number | undefined {
  const value = Number(process.env.JOINERY_FAIL_AT_WRITE);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function currentBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Where a change really lands: the target of a symlink (inside-root.ts kept it in the root). */
function landingOf(file: string): string {
  return lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? realpathSync(file) : file;
}

/** The bytes each updated file had when `writeChanges` replaced it, for `restore`. */
const replacedBytes = new WeakMap<FileChange, { file: string; bytes: Buffer }>();

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

export interface Landing {
  change: FileChange;
  /** The file written: `change.file`, or the target of the symlink it is. */
  file: string;
  /** Bytes on disk now (undefined for a file to create). */
  bytes: Buffer | undefined;
  /** `change.after` in the file's own style. */
  content: string;
}

/**
 * Refuses, before anything is written, a file that changed on disk after the run read it, one
 * that is not valid UTF-8, and a read-only one (checked by its mode bits: root could write it).
 */
export function assertUnchanged(changes: FileChange[], root: string): Landing[] {
  return changes.map((change) => {
    const file = landingOf(change.file);
    const shown = path.relative(root, change.file).split(path.sep).join('/');
    const bytes = currentBytes(file);
    const text = bytes === undefined ? undefined : decodeUtf8(bytes, change.file, root);
    if ((text === undefined ? undefined : normalizeText(text)) !== change.before) {
      throw projectProblem(
        `${shown} changed while joinery ran; run again.`,
        'Nothing was written. Another program (an editor, a formatter, a second joinery) edited it after joinery read it.',
      );
    }
    const mode = modeOf(file);
    if (bytes !== undefined && mode !== undefined && (mode & 0o222) === 0) {
      throw projectProblem(
        `${shown} is read-only; joinery would have to change it. Nothing was written.`,
        `Make it writable (chmod u+w ${shown}) and run again, or leave this change out.`,
      );
    }
    const style = text === undefined ? PLAIN_STYLE : styleOf(text);
    return { change, file, bytes, content: encodeText(change.after, style) };
  });
}

/** File operations so far in this process; JOINERY_FAIL_AT_WRITE counts across every call. */
let operations = 0;

/** Starts the JOINERY_FAIL_AT_WRITE count again (tests that call the writer in one process). */
export function resetWriteCount(): void {
  operations = 0;
}

export async function writeChanges(changes: FileChange[], root = process.cwd()): Promise<void> {
  // The last moment a SIGINT/SIGTERM can end the run with nothing written.
  throwIfInterrupted();
  const failAt = failAtWrite();
  const operation = (file: string) => {
    operations++;
    if (operations === failAt) {
      throw new Error(`injected failure at write ${failAt} (JOINERY_FAIL_AT_WRITE) on ${file}`);
    }
  };
  const staged: { change: FileChange; file: string; temp: string }[] = [];
  const applied: FileChange[] = [];
  const createdFolders: string[] = [];
  let journal: CommitJournal | undefined;
  let current: FileChange | undefined;
  try {
    const landings = assertUnchanged(changes, root);
    const planned = landings.map((landing) => ({
      ...landing,
      temp: `${landing.file}.joinery-${process.pid}.tmp`,
    }));
    journal = new CommitJournal(
      root,
      planned.map(({ file, temp }) => ({ target: file, temp })),
      missingFolders(planned.map(({ file }) => path.dirname(file))),
    );
    journal.prepare();
    for (const { change, file, bytes, content, temp } of planned) {
      current = change;
      const created = await mkdir(path.dirname(file), { recursive: true });
      if (created) createdFolders.push(created);
      operation(temp);
      crashPoint();
      staged.push({ change, file, temp });
      if (bytes !== undefined) replacedBytes.set(change, { file, bytes });
      await writeFile(temp, content, 'utf8');
      // Keep the permissions of the file being replaced (an executable script stays one).
      const mode = modeOf(file);
      if (mode !== undefined) await chmod(temp, mode);
    }
    assertUnchanged(changes, root);
    journal.commit();
    for (const { change, file, temp } of staged) {
      current = change;
      operation(change.file);
      crashPoint();
      await rename(temp, file);
      applied.push(change);
    }
    journal.finish();
  } catch (error) {
    await Promise.allSettled(staged.map(({ temp }) => rm(temp, { force: true })));
    await restore(applied);
    // Folders this run created held only its own files; the project gets back its old shape.
    for (const folder of createdFolders.reverse())
      await rm(folder, { recursive: true, force: true });
    journal?.finish();
    if (error instanceof JoineryError) throw error;
    const shown = current ? path.relative(root, current.file).split(path.sep).join('/') : root;
    throw projectProblem(
      `Could not write ${shown}: ${(error as Error).message}. Nothing was changed.`,
      'Check that the project folder is writable and has free space, then run again.',
    );
  }
}

/** The folders among `folders` (and their parents) that do not exist yet, shallowest first. */
function missingFolders(folders: string[]): string[] {
  const missing = new Set<string>();
  for (const folder of folders) {
    for (let dir = folder; !existsSync(dir); dir = path.dirname(dir)) missing.add(dir);
  }
  return [...missing].sort((a, b) => a.length - b.length);
}

/** Puts back what `writeChanges` replaced (used on failure, and when a later step fails). */
export async function restore(changes: FileChange[]): Promise<void> {
  await Promise.allSettled(
    changes.map((change) => {
      const replaced = replacedBytes.get(change);
      if (replaced) return writeFile(replaced.file, replaced.bytes);
      return change.before === undefined
        ? rm(change.file, { force: true })
        : writeFile(landingOf(change.file), change.before, 'utf8');
    }),
  );
}
