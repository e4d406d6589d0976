/**
 * The cheap half of the project scan: list files, follow re-exports by text, and keep only files
 * whose text could hold what we look for. Only those are ever parsed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';

export const SOURCE_EXTENSIONS = ['ts', 'mts', 'cts', 'tsx', 'js', 'mjs', 'cjs'];
export const IGNORED_FOLDERS = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/.next/**',
  '**/coverage/**',
  '**/*.d.ts',
];

/** Expands files, folders and globs relative to `root` into absolute source file paths. */
export async function expandSourcePatterns(root: string, patterns: string[]): Promise<string[]> {
  const globs = patterns.map((pattern) => {
    const clean = pattern.replace(/^\.\//, '');
    const isGlob = /[*?{}[\]]/.test(clean);
    if (isGlob || /\.[cm]?[jt]sx?$/.test(clean)) return clean;
    return `${clean.replace(/\/$/, '')}/**/*.{${SOURCE_EXTENSIONS.join(',')}}`;
  });
  const files = await glob(globs, { cwd: root, absolute: true, ignore: IGNORED_FOLDERS });
  return files.map((file) => path.normalize(file)).sort();
}

const REEXPORT = /export\s+(?:\*|\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+['"](\.[^'"]+)['"]/g;

/** Relative module specifiers a file re-exports (`export * from './user.js'`). */
export function reexportedSpecifiers(text: string): string[] {
  return [...text.matchAll(REEXPORT)].map((match) => match[1]!);
}

/** Resolves `./user.js` or `./user` from `fromFile` to an existing source file. */
export function resolveRelativeModule(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.[cm]?js$/, '');
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => `${stem}.${ext}`),
    ...SOURCE_EXTENSIONS.map((ext) => path.join(base, `index.${ext}`)),
  ];
  return candidates.find((file) => /\.[cm]?[jt]sx?$/.test(file) && existsSync(file));
}

/** `seeds` plus every file they re-export, transitively (barrels lead to the real tables). */
export function followReexports(
  seeds: string[],
  readSource: (file: string) => string | undefined,
): string[] {
  const seen = new Set<string>();
  const queue = [...seeds];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readSource(file);
    if (!text) continue;
    for (const specifier of reexportedSpecifiers(text)) {
      const target = resolveRelativeModule(file, specifier);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}
