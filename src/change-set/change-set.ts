/**
 * Every effect of a run goes into one ChangeSet first. Dry-run, check and write are views of the
 * same `listChanges()`; a write whose content equals what is on disk disappears, so an identical
 * re-run yields an empty change set.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface FileChange {
  /** Absolute path. */
  file: string;
  kind: 'create' | 'update';
  /** Content on disk when read (undefined for new files). */
  before: string | undefined;
  after: string;
}

export class ChangeSet {
  private readonly pending = new Map<string, { before: string | undefined; after: string }>();

  constructor(readonly root: string) {}

  /** Current content: pending if written in this run, else disk, else undefined. */
  read(file: string): string | undefined {
    const absolute = this.resolve(file);
    const entry = this.pending.get(absolute);
    return entry ? entry.after : readOrUndefined(absolute);
  }

  exists(file: string): boolean {
    return this.read(file) !== undefined;
  }

  write(file: string, content: string): void {
    const absolute = this.resolve(file);
    const entry = this.pending.get(absolute);
    this.pending.set(absolute, {
      before: entry ? entry.before : readOrUndefined(absolute),
      after: content,
    });
  }

  listChanges(): FileChange[] {
    return [...this.pending.entries()]
      .filter(([, { before, after }]) => before !== after)
      .map(([file, { before, after }]) => ({
        file,
        kind: before === undefined ? ('create' as const) : ('update' as const),
        before,
        after,
      }))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  private resolve(file: string): string {
    return path.resolve(this.root, file);
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
