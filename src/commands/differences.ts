/**
 * What `joinery check` reports, one difference per line: the file (and line), what joinery
 * recorded there, what the code has now, and whether `joinery sync` puts it back. Replayed edits
 * become differences hunk by hunk (sync makes exactly those edits, so it repairs exactly what is
 * listed); conflicts and migration findings are differences that sync refuses to override.
 */
import { structuredPatch } from 'diff';
import type { FileChange } from '../change-set/change-set.js';

export interface Difference {
  /** Relative to the project root, POSIX separators. */
  file: string;
  /** 1-based, in the file as it is now; absent when the difference is the whole file. */
  line?: number;
  expected: string;
  found: string;
  /** `sync`: `joinery sync` repairs it; `manual`: sync refuses, the message says what to do. */
  repair: 'sync' | 'manual';
  /** For `manual`: what to do instead. */
  hint?: string;
}

const LONGEST = 120;

/** Source lines as one short quoted phrase: `userEvents: many(userEvents),`. */
function phrase(lines: string[]): string {
  const text = lines
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join(' ');
  if (text.length === 0) return 'a blank line';
  return `\`${text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text}\``;
}

/** One difference per hunk of the edit a replay would make. */
export function changeDifferences(change: FileChange, file: string): Difference[] {
  if (change.kind === 'create') {
    return [{ file, expected: 'the file joinery generates', found: 'no file', repair: 'sync' }];
  }
  const patch = structuredPatch(file, file, change.before ?? '', change.after, '', '', {
    context: 0,
  });
  return patch.hunks.map((hunk) => {
    const removed = hunk.lines.filter((line) => line.startsWith('-')).map((line) => line.slice(1));
    const inserted = hunk.lines.filter((line) => line.startsWith('+')).map((line) => line.slice(1));
    return {
      file,
      // jsdiff numbers a pure insertion by the line it goes before: where the missing text belongs.
      line: hunk.oldStart,
      expected: inserted.length > 0 ? phrase(inserted) : 'nothing',
      found: removed.length > 0 ? phrase(removed) : 'nothing',
      repair: 'sync',
    };
  });
}

/** `src/works/event.ts:14: expected …, found … (joinery sync restores it)`. */
export function differenceLine(difference: Difference): string {
  const where =
    difference.line === undefined ? difference.file : `${difference.file}:${difference.line}`;
  const repair =
    difference.repair === 'sync'
      ? ' (joinery sync restores it)'
      : ` (joinery sync will not override it${difference.hint ? `: ${difference.hint}` : ''})`;
  return `${where}: expected ${difference.expected}, found ${difference.found}${repair}`;
}
