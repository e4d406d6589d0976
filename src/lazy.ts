/**
 * Heavy modules load only on the paths that need them, so `--help` stays near bare Node start-up.
 * ts-morph goes through createRequire (its CommonJS build loads faster than an ESM import of it).
 * Each load is a timed stage for --verbose.
 *
 * No V8 code cache: most of ts-morph's load is running the TypeScript compiler's module body
 * (~110 ms), not compiling it; a cache measured no faster (549 vs 553 ms for gen --dry-run) and
 * cost 14–16 MiB of peak memory.
 */
import { createRequire } from 'node:module';
import { timed } from './output.js';

const require = createRequire(import.meta.url);

export type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;
export function loadTsMorph(): TsMorph {
  tsMorph ??= timed('load ts-morph', () => require('ts-morph') as TsMorph);
  return tsMorph;
}

export type Prettier = typeof import('prettier');
export async function loadPrettier(): Promise<Prettier> {
  return timed('load prettier', () => import('prettier'));
}

export async function loadExeca(): Promise<typeof import('execa')> {
  return timed('load execa', () => import('execa'));
}
