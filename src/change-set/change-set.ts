/**
 * Every effect of a run goes into one ChangeSet first. Dry-run, check and write are views of the
 * same `listChanges()`; a write whose content equals what is on disk disappears, so an identical
 * re-run yields an empty change set.
 *
 * The ChangeSet remembers the content each file had when the run first read it (`before`); the
 * writer refuses to replace a file whose content has changed since, so an edit made while joinery
 * was planning is never lost.
 *
 * Texts in a ChangeSet have no BOM and LF line ends (text-encoding.ts); the writer gives each file
 * back its own BOM and line ends.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { assertInsideRoot } from './inside-root.js';
import { normalizeText } from './text-encoding.js';

export interface FileChange {
  /** Absolute path. */
  file: string;
  kind: 'create' | 'update';
  /** Content on disk when read (undefined for new files). */
  before: string | undefined;
  after: string;
}

/** A parsed source file the tree reads through (a ts-morph SourceFile; typed loosely so this module loads no ts-morph). */
export interface LiveSource {
  getFullText(): string;
  wasForgotten(): boolean;
}

export interface ChangeSetOptions {
  /**
   * How a file is first read; pass the project's cached reader so `before` is exactly the text
   * the planner parsed. Falls back to the disk for files it does not return.
   */
  read?: (file: string) => string | undefined;
}

export class ChangeSet {
  private readonly pending = new Map<string, { before: string | undefined; after: string }>();
  private readonly baseline = new Map<string, string | undefined>();
  /** Parsed files whose edits are the file's pending content, read when the tree is read. */
  private readonly live = new Map<string, LiveSource>();
  private realRoot: string | undefined;

  constructor(
    readonly root: string,
    private readonly options: ChangeSetOptions = {},
  ) {}

  /** Current content: pending if written in this run, else as first read, else undefined. */
  read(file: string): string | undefined {
    const absolute = this.resolve(file);
    this.syncLive(absolute);
    const entry = this.pending.get(absolute);
    return entry ? entry.after : this.original(absolute);
  }

  /**
   * Backs `file` by a parsed source: from now on the tree holds whatever that source's text is,
   * so a planner edits through ts-morph and never copies files back by hand. A later `write`
   * (formatting, a template) replaces it.
   */
  attach(file: string, source: LiveSource): void {
    const absolute = this.resolve(file);
    this.guard(absolute);
    this.live.set(absolute, source);
  }

  /** The parsed source backing `file`, when one is attached and still alive. */
  attached(file: string): LiveSource | undefined {
    const source = this.live.get(this.resolve(file));
    return source && !source.wasForgotten() ? source : undefined;
  }

  exists(file: string): boolean {
    return this.read(file) !== undefined;
  }

  write(file: string, content: string): void {
    const absolute = this.resolve(file);
    this.live.delete(absolute);
    this.guard(absolute);
    this.pending.set(absolute, { before: this.original(absolute), after: normalizeText(content) });
  }

  listChanges(): FileChange[] {
    for (const file of this.live.keys()) this.syncLive(file);
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

  /** No file outside the root ever enters the tree. */
  private guard(absolute: string): void {
    if (this.pending.has(absolute) || this.live.has(absolute)) return;
    this.realRoot ??= realpathSync(this.root);
    assertInsideRoot(this.root, absolute, this.realRoot);
  }

  /** A live source's text becomes the file's pending content (a forgotten one keeps its last). */
  private syncLive(absolute: string): void {
    const source = this.live.get(absolute);
    if (!source || source.wasForgotten()) return;
    const after = normalizeText(source.getFullText());
    const entry = this.pending.get(absolute);
    if (entry?.after !== after) {
      this.pending.set(absolute, { before: this.original(absolute), after });
    }
  }

  private original(absolute: string): string | undefined {
    if (!this.baseline.has(absolute)) {
      this.baseline.set(absolute, this.options.read?.(absolute) ?? readOrUndefined(absolute));
    }
    return this.baseline.get(absolute);
  }

  private resolve(file: string): string {
    return path.resolve(this.root, file);
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return normalizeText(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
