/**
 * A staged copy of the project: where a command that writes plans its parts one after another
 * and where the ORM's own migration tool runs, so the real project is touched exactly once, by
 * the final commit. Each part is planned against the files the earlier parts produced; drizzle-kit
 * reads the planned schema and writes its migration and journal here; then `changes()` is the
 * whole transaction as one list of file changes against the real root.
 *
 * The copy holds the project's files (not `.git`, not installed or built folders); its
 * `node_modules` is a link to the project's (or to the nearest one above it, in a workspace), so
 * the ORM's tool and the config it loads resolve their packages as in the real project.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileChange } from '../change-set/change-set.js';
import { JOURNAL_FILE } from '../change-set/commit-journal.js';
import { normalizeText } from '../change-set/text-encoding.js';
import { JoineryError } from '../errors.js';
import { IGNORED_FOLDER_NAMES } from '../project/source-files.js';

/** Never copied: history, installs, builds, and joinery's own lock, journal and claim files. */
const SKIPPED = new Set([...IGNORED_FOLDER_NAMES, '.git', JOURNAL_FILE]);
const JOINERY_OWN = /^\.joinery[.-]/;

export class Stage {
  /** Content each touched file had in the copy before this run changed it (undefined: new). */
  private readonly before = new Map<string, string | undefined>();

  private constructor(
    /** The real project root. */
    readonly origin: string,
    /** The staged copy's root. */
    readonly root: string,
  ) {}

  static async create(origin: string): Promise<Stage> {
    const root = mkdtempSync(path.join(tmpdir(), 'joinery-stage-'));
    const stage = new Stage(origin, root);
    // A run killed before its commit leaves the real project as it was; the copy goes with it.
    process.once('exit', stage.disposeSync);
    try {
      await cp(origin, root, {
        recursive: true,
        verbatimSymlinks: true,
        preserveTimestamps: true,
        filter: (source) => {
          const name = path.basename(source);
          return source === origin || !(SKIPPED.has(name) || JOINERY_OWN.test(name));
        },
      });
      const modules = nearestNodeModules(origin);
      if (modules) await symlink(modules, path.join(root, 'node_modules'), 'dir');
    } catch (error) {
      stage.disposeSync();
      throw error;
    }
    return stage;
  }

  /** Writes planned changes (paths inside the copy) into the copy. */
  async apply(changes: FileChange[]): Promise<void> {
    for (const change of changes) {
      this.remember(change.file, change.before);
      // A copied link would write through to the real project: it becomes a plain file here.
      await rm(change.file, { force: true });
      await mkdir(path.dirname(change.file), { recursive: true });
      await writeFile(change.file, change.after, 'utf8');
    }
  }

  /**
   * Runs `tool` (the ORM's migration tool, working in the copy) and takes every file it created
   * or changed under `folder` into the transaction.
   */
  async capture<T>(folder: string, tool: () => Promise<T>): Promise<T> {
    const before = await readTree(folder);
    const result = await tool();
    const after = await readTree(folder);
    for (const [file, text] of after) {
      if (before.get(file) !== text) this.remember(file, before.get(file));
    }
    for (const file of before.keys()) if (!after.has(file)) this.remember(file, before.get(file));
    return result;
  }

  /** The copy's path of a real file, and back. */
  staged(file: string): string {
    return path.join(this.root, path.relative(this.origin, file));
  }

  real(file: string): string {
    return path.join(this.origin, path.relative(this.root, file));
  }

  /**
   * Every touched file as a change of the real project: what the copy held when this run first
   * read it (the writer refuses a real file that no longer holds that), and what it holds now.
   */
  changes(): FileChange[] {
    const changes: FileChange[] = [];
    for (const [file, raw] of this.before) {
      // In the planners' form (no BOM, LF), as the writer expects; it restores each file's own.
      const before = raw === undefined ? undefined : normalizeText(raw);
      const read = readOrUndefined(file);
      const after = read === undefined ? undefined : normalizeText(read);
      if (after === before) continue;
      if (after === undefined) {
        throw new Error(`${file}: removed in the staged copy; joinery never deletes files`);
      }
      changes.push({
        file: this.real(file),
        kind: before === undefined ? 'create' : 'update',
        before,
        after,
      });
    }
    return changes.sort((a, b) => a.file.localeCompare(b.file));
  }

  /** Errors name the project's files, not the copy's. */
  translate(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    const mend = (text: string) => text.split(this.root).join(this.origin);
    if (error instanceof JoineryError) {
      const translated = new JoineryError(
        mend(error.message),
        error.exitCode,
        error.hint === undefined ? undefined : mend(error.hint),
        error.details === undefined ? undefined : mend(error.details),
      );
      translated.stack = error.stack;
      return translated;
    }
    error.message = mend(error.message);
    return error;
  }

  async dispose(): Promise<void> {
    process.removeListener('exit', this.disposeSync);
    await rm(this.root, { recursive: true, force: true });
  }

  private readonly disposeSync = (): void => {
    rmSync(this.root, { recursive: true, force: true });
  };

  private remember(file: string, before: string | undefined): void {
    if (!this.before.has(file)) this.before.set(file, before);
  }
}

/** The project's node_modules, or the nearest above it (a workspace hoists packages there). */
function nearestNodeModules(root: string): string | undefined {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every file below `folder` with its text (a migrations folder: small texts, hundreds at most). */
async function readTree(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(folder, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(file, await readFile(file, 'utf8'));
  }
  return files;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
