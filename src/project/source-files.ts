/**
 * The cheap half of the project scan: list files, follow re-exports by text, and keep only files
 * whose text could hold what we look for. Only those are ever parsed.
 *
 * Listing walks only the folders a pattern can reach (`src/db/schema/*.ts` reads one folder), with
 * one `readdir` per folder; globs match with `globToRegExp`. Patterns using extglobs or negation
 * go to tinyglobby.
 */
import { existsSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { plural, timed } from '../output.js';
import { globBase, globToRegExp } from './glob-match.js';

export const SOURCE_EXTENSIONS = ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs'];
/** Folders never listed (generated, installed or hidden), as in tinyglobby's ignore globs. */
export const IGNORED_FOLDER_NAMES = new Set(['node_modules', 'dist', 'build', '.next', 'coverage']);
export const IGNORED_FOLDERS = [...IGNORED_FOLDER_NAMES]
  .map((name) => `**/${name}/**`)
  .concat(['**/*.d.ts']);

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const GLOB_CHARS = /[*?{}[\]]/;
/** Extglobs and negations: rare in configs, left to a real glob library. */
const EXTGLOB = /[@!+*?]\(|^!/;

/** Expands files, folders and globs relative to `root` into absolute source file paths, sorted. */
export async function expandSourcePatterns(root: string, patterns: string[]): Promise<string[]> {
  const shown = patterns.map((pattern) =>
    path.isAbsolute(pattern) ? toPosix(path.relative(root, pattern)) : pattern,
  );
  return timed(`list source files (${shown.join(', ')})`, async () => {
    const files = new Set<string>();
    for (const pattern of patterns) {
      for (const file of await expandPattern(root, pattern)) files.add(file);
    }
    return [...files].sort();
  });
}

async function expandPattern(root: string, pattern: string): Promise<string[]> {
  const clean = toPosix(pattern).replace(/^\.\//, '');
  if (EXTGLOB.test(clean)) return tinyglobbyExpand(root, clean);
  if (!GLOB_CHARS.test(clean)) {
    const absolute = path.resolve(root, clean);
    if (SOURCE_FILE.test(clean)) return existsSync(absolute) ? [absolute] : [];
    return walkSourceFiles(absolute, Infinity, () => true);
  }
  const absoluteGlob = toPosix(path.resolve(root, clean));
  const matcher = globToRegExp(absoluteGlob);
  const base = globBase(absoluteGlob);
  // Without `**` a glob reaches a fixed depth below its base.
  const depth = clean.includes('**')
    ? Infinity
    : absoluteGlob.split('/').length - base.split('/').length;
  return walkSourceFiles(path.resolve(base), depth, (file) => matcher.test(toPosix(file)));
}

/**
 * Source files below `dir` (at most `depth` levels down) that `keep` accepts, skipping ignored and
 * hidden folders and declaration files. Symlinked folders are followed once.
 */
export function walkSourceFiles(
  dir: string,
  depth: number,
  keep: (file: string) => boolean,
): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (folder: string, level: number) => {
    let entries: Dirent[];
    try {
      // Sorted: which of two paths to one folder is listed must not depend on the disk.
      entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = entry.name;
      if (name.startsWith('.')) continue;
      const full = folder + path.sep + name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stats = statSync(full);
          isDirectory = stats.isDirectory();
          isFile = stats.isFile();
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (level + 1 >= depth || IGNORED_FOLDER_NAMES.has(name)) continue;
        const real = entry.isSymbolicLink() ? safeRealpath(full) : full;
        if (visited.has(real)) continue;
        visited.add(real);
        walk(full, level + 1);
      } else if (isFile && SOURCE_FILE.test(name) && !DECLARATION_FILE.test(name) && keep(full)) {
        files.push(full);
      }
    }
  };
  walk(dir, 0);
  return files;
}

function safeRealpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

async function tinyglobbyExpand(root: string, pattern: string): Promise<string[]> {
  const { glob } = await import('tinyglobby');
  const files = await glob([pattern], { cwd: root, absolute: true, ignore: IGNORED_FOLDERS });
  return files.map((file) => path.normalize(file));
}

const toPosix = (file: string) => (path.sep === '/' ? file : file.split(path.sep).join('/'));

const REEXPORT = /export\s+(?:\*|\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+['"](\.[^'"]+)['"]/g;

/** Relative module specifiers a file re-exports (`export * from './user.js'`). */
export function reexportedSpecifiers(text: string): string[] {
  return [...text.matchAll(REEXPORT)].map((match) => match[1]!);
}

const resolved = new Map<string, string | undefined>();

/**
 * Resolves `./user.js` or `./user` from `fromFile` to an existing source file. Files in `known`
 * (already listed) need no file system check. Memoized: the scan and the barrel search ask for
 * the same specifiers.
 */
export function resolveRelativeModule(
  fromFile: string,
  specifier: string,
  known?: ReadonlySet<string>,
): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  if (resolved.has(base)) return resolved.get(base);
  const stem = base.replace(/\.[cm]?js$/, '');
  const candidate = (index: number): string =>
    index === 0
      ? base
      : index <= SOURCE_EXTENSIONS.length
        ? `${stem}.${SOURCE_EXTENSIONS[index - 1]}`
        : `${base}${path.sep}index.${SOURCE_EXTENSIONS[index - 1 - SOURCE_EXTENSIONS.length]}`;
  const count = 1 + 2 * SOURCE_EXTENSIONS.length;
  const first = SOURCE_FILE.test(base) ? 0 : 1;
  const firstWhere = (exists: (file: string) => boolean): string | undefined => {
    for (let index = first; index < count; index++) {
      const file = candidate(index);
      if (exists(file)) return file;
    }
    return undefined;
  };
  const found = (known && firstWhere((file) => known.has(file))) || firstWhere(existsSync);
  resolved.set(base, found);
  return found;
}

/**
 * `seeds` plus every file they re-export, transitively (barrels lead to the real tables).
 * `reexportsOf` gives a file's relative re-export specifiers (see `Project.scanSource`).
 */
export function followReexports(
  seeds: string[],
  reexportsOf: (file: string) => readonly string[] | undefined,
): string[] {
  return timed(`scan ${plural(seeds.length, 'file')}`, () => {
    const seen = new Set<string>(seeds);
    const queue = [...seeds];
    while (queue.length > 0) {
      const file = queue.pop()!;
      for (const specifier of reexportsOf(file) ?? []) {
        const target = resolveRelativeModule(file, specifier, seen);
        if (target && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    // Usually nothing was added to seeds that are already sorted: skip sorting 10,000 paths.
    if (seen.size === seeds.length && seeds.every((file, i) => i === 0 || seeds[i - 1]! <= file)) {
      return [...seeds];
    }
    return [...seen].sort();
  });
}
