/**
 * Heavy modules load only on the paths that need them, so `--help` stays near bare Node start-up.
 * ts-morph goes through createRequire: its CommonJS build loads faster than an ESM import of it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;
export function loadTsMorph(): TsMorph {
  tsMorph ??= require('ts-morph') as TsMorph;
  return tsMorph;
}

export type Prettier = typeof import('prettier');
export async function loadPrettier(): Promise<Prettier> {
  return import('prettier');
}

export async function loadExeca(): Promise<typeof import('execa')> {
  return import('execa');
}
