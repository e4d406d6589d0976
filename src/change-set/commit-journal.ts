/**
 * The commit journal, `.joinery-journal.json` in the project root: what makes a commit that is
 * killed at any instant leave the old tree or the new one, never a mix (SQLite's rollback
 * journal, git's lock-then-rename). The writer:
 *
 *   1. writes the journal in state `preparing`, listing every target and its temporary sibling
 *      (and the folders it will create), before any temporary file exists;
 *   2. writes every temporary file;
 *   3. switches the journal to `committing` (one atomic rename): from here the new tree is
 *      complete on disk, in the targets and the temporary files between them;
 *   4. renames each temporary file over its target;
 *   5. removes the journal.
 *
 * The next run that takes the lock finds a journal left by a killed run and finishes it:
 * `preparing` → rolled back (temporary files and created folders removed; no target was touched),
 * `committing` → rolled forward (the temporary files still there renamed over their targets).
 * A rename replaces a file whole, so every target holds either its old or its new bytes.
 */
import { existsSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectProblem } from '../errors.js';

export const JOURNAL_FILE = '.joinery-journal.json';

interface JournalEntry {
  /** The file a temporary sibling replaces (relative to the root; a symlink's target). */
  target: string;
  temp: string;
}

interface Journal {
  state: 'preparing' | 'committing';
  pid: number;
  entries: JournalEntry[];
  /** Folders the commit creates (deepest last), removed again on roll-back when left empty. */
  folders: string[];
}

/**
 * `JOINERY_CRASH_AT=N` kills the process (SIGKILL: no handler, no cleanup) at the Nth durable step
 * of the commits in this process (journal writes, temporary files, renames, the journal's
 * removal), so tests can prove the journal covers every instant. Read here and nowhere else.
 */
let steps = 0;
export function crashPoint(): void {
  const at = Number(process.env.JOINERY_CRASH_AT);
  if (!Number.isInteger(at) || at <= 0) return;
  steps++;
  if (steps === at) process.kill(process.pid, 'SIGKILL');
}

export class CommitJournal {
  private readonly file: string;
  private readonly journal: Journal;

  constructor(
    private readonly root: string,
    entries: { target: string; temp: string }[],
    folders: string[],
  ) {
    this.file = path.join(root, JOURNAL_FILE);
    const relative = (file: string) => path.relative(root, file);
    this.journal = {
      state: 'preparing',
      pid: process.pid,
      entries: entries.map(({ target, temp }) => ({
        target: relative(target),
        temp: relative(temp),
      })),
      folders: folders.map(relative),
    };
  }

  /** Step 1: recorded before any temporary file is written. */
  prepare(): void {
    this.save();
  }

  /** Step 3: every temporary file is written; from now on the commit rolls forward. */
  commit(): void {
    this.journal.state = 'committing';
    this.save();
  }

  /** Step 5: done (or rolled back in this process): nothing left to recover. */
  finish(): void {
    crashPoint();
    rmSync(this.file, { force: true });
  }

  private save(): void {
    crashPoint();
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.journal, null, 2)}\n`);
    renameSync(temp, this.file);
  }
}

export interface Recovery {
  action: 'rolled back' | 'finished';
  files: number;
}

/**
 * Finishes a commit a killed run left behind (call with the lock held, before reading anything).
 * Undefined when there was none.
 */
export function recoverInterruptedCommit(root: string): Recovery | undefined {
  const file = path.join(root, JOURNAL_FILE);
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Written by rename, so a journal is whole or absent; anything else was not written by joinery.
    throw projectProblem(
      `${JOURNAL_FILE} cannot be read (${(error as Error).message}); it records a commit joinery could not finish.`,
      `Look at the files it names, restore what you need from git, then delete ${JOURNAL_FILE} and run again.`,
    );
  }
  const absolute = (relative: string) => path.resolve(root, relative);
  if (journal.state === 'committing') {
    for (const entry of journal.entries) {
      if (!existsSync(absolute(entry.temp))) continue; // renamed before the run was killed
      renameSync(absolute(entry.temp), absolute(entry.target));
    }
    rmSync(file, { force: true });
    return { action: 'finished', files: journal.entries.length };
  }
  for (const entry of journal.entries) rmSync(absolute(entry.temp), { force: true });
  for (const folder of [...journal.folders].reverse()) {
    try {
      rmdirSync(absolute(folder));
    } catch {
      // Not empty: something else lives there now; leave it.
    }
  }
  rmSync(file, { force: true });
  return { action: 'rolled back', files: journal.entries.length };
}

/** Read-only commands cannot finish a commit; they refuse to report on a half-written tree. */
export function assertNoInterruptedCommit(root: string): void {
  if (!existsSync(path.join(root, JOURNAL_FILE))) return;
  throw projectProblem(
    `${JOURNAL_FILE}: a joinery commit in ${root} was interrupted, so the files it names are half-written.`,
    'Run `joinery sync` (or the gen command again): it finishes or rolls back the commit first.',
  );
}

/** What `recovered` says, for the command's output. */
export function recoveryNote(recovery: Recovery): string {
  return recovery.action === 'finished'
    ? `finished a commit an interrupted joinery run had started (${recovery.files} files, from ${JOURNAL_FILE}).`
    : `rolled back a commit an interrupted joinery run had started (${recovery.files} files untouched, from ${JOURNAL_FILE}).`;
}
