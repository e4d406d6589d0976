/**
 * Projects without a Prettier config still have a style. New files follow the one their
 * neighbours show (quotes, semicolons, indentation, trailing commas, line width) instead of
 * Prettier's defaults; the reading itself is the project conventions' (`project/conventions.ts`).
 */
import type { Options } from 'prettier';
import { prettierOptionsOf } from '../project/conventions.js';

export function inferPrettierOptions(texts: string[]): Options {
  return prettierOptionsOf(texts);
}
