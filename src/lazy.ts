/**
 * Heavy modules load only on the paths that need them, so `--help` stays near bare Node start-up.
 * ts-morph goes through createRequire (its CommonJS build loads faster than an ESM import of it)
 * with V8's code cache (see compile-cache.ts). Each load is a timed stage for --verbose.
 */
import { requireWithCompileCache, stageNotingCache } from './compile-cache.js';
import { timed } from './output.js';

export type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;
export function loadTsMorph(): TsMorph {
  tsMorph ??= timed(stageNotingCache('load ts-morph'), () =>
    requireWithCompileCache<TsMorph>('ts-morph'),
  );
  return tsMorph;
}

export type Prettier = typeof import('prettier');
export async function loadPrettier(): Promise<Prettier> {
  return timed('load prettier', () => import('prettier'));
}

export async function loadExeca(): Promise<typeof import('execa')> {
  return timed('load execa', () => import('execa'));
}
