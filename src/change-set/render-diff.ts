import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './change-set.js';

/** A unified diff of one change, with paths relative to the project root as git shows them. */
export function renderDiff(change: FileChange, relativePath: string): string {
  const from = change.kind === 'create' ? '/dev/null' : `a/${relativePath}`;
  return createTwoFilesPatch(from, `b/${relativePath}`, change.before ?? '', change.after, '', '', {
    context: 3,
  });
}
