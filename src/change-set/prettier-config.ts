/**
 * The common Prettier setups, resolved without loading Prettier's full API: a JSON `.prettierrc`,
 * `.prettierrc.json` or a `"prettier"` object in package.json, found the way Prettier searches
 * (from the file's folder up, first folder with a config wins). Anything else (YAML, JS configs,
 * shared configs, `overrides`, `plugins`, an `.editorconfig` on the way) is reported as
 * unsupported, and the caller asks Prettier itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeText } from './text-encoding.js';

/** Prettier 3's search order within one folder. */
const CONFIG_FILES = [
  'package.json',
  'package.yaml',
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yml',
  '.prettierrc.yaml',
  '.prettierrc.json5',
  '.prettierrc.js',
  'prettier.config.js',
  '.prettierrc.ts',
  'prettier.config.ts',
  '.prettierrc.mjs',
  'prettier.config.mjs',
  '.prettierrc.mts',
  'prettier.config.mts',
  '.prettierrc.cjs',
  'prettier.config.cjs',
  '.prettierrc.cts',
  'prettier.config.cts',
  '.prettierrc.toml',
];

export type SimpleConfig =
  | { kind: 'found'; options: Record<string, unknown> }
  | { kind: 'none' }
  | { kind: 'unsupported'; reason: string };

const UNSUPPORTED = (reason: string): SimpleConfig => ({ kind: 'unsupported', reason });

/** Resolves the Prettier options for files in `folder`; memoized per folder by the caller. */
export function readSimplePrettierConfig(folder: string): SimpleConfig {
  let options: SimpleConfig = { kind: 'none' };
  let searching = true;
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    // Prettier merges the nearest .editorconfig (up to the project root); leave that to it.
    if (existsSync(path.join(dir, '.editorconfig'))) return UNSUPPORTED('.editorconfig');
    if (searching) {
      const found = configIn(dir);
      if (found) {
        options = found;
        searching = false;
        if (found.kind === 'unsupported') return found;
      }
    }
    if (path.dirname(dir) === dir) return options;
  }
}

function configIn(dir: string): SimpleConfig | undefined {
  for (const name of CONFIG_FILES) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    if (name === 'package.json') {
      const manifest = readJson(file);
      const config = isObject(manifest) ? manifest.prettier : undefined;
      if (config === undefined || config === null) continue;
      return fromObject(config, file);
    }
    if (name === 'package.yaml') return UNSUPPORTED(file);
    if (name === '.prettierrc' || name === '.prettierrc.json') {
      // `.prettierrc` may also be YAML, which Prettier reads itself.
      const config = readJson(file);
      return config === NOT_JSON ? UNSUPPORTED(file) : fromObject(config, file);
    }
    return UNSUPPORTED(file);
  }
  return undefined;
}

function fromObject(config: unknown, file: string): SimpleConfig {
  if (!isObject(config)) return UNSUPPORTED(`${file}: shared or non-object config`);
  const options = { ...config };
  delete options.$schema;
  if ('overrides' in options) return UNSUPPORTED(`${file}: overrides`);
  if (Array.isArray(options.plugins) && options.plugins.length > 0) {
    return UNSUPPORTED(`${file}: plugins`);
  }
  return { kind: 'found', options };
}

const NOT_JSON = Symbol('not JSON');

function readJson(file: string): unknown {
  try {
    return JSON.parse(normalizeText(readFileSync(file, 'utf8')));
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
