/** The import block of a rendered module: named imports grouped by specifier, in a stable order. */
import path from 'node:path';
import { moduleSpecifier, type ImportStyle } from '../project/import-style.js';

export interface ImportEntry {
  specifier: string;
  names: string[];
}

/**
 * `wanted` pairs a package name or an absolute file with a name to import (`type X` for a
 * type-only one). Names `intoFile` declares itself are dropped; packages come before paths.
 */
export function importList(
  intoFile: string,
  style: ImportStyle,
  wanted: [string, string][],
): ImportEntry[] {
  const bySpecifier = new Map<string, Set<string>>();
  for (const [moduleOrFile, name] of wanted) {
    if (moduleOrFile === intoFile) continue;
    const specifier = path.isAbsolute(moduleOrFile)
      ? moduleSpecifier(intoFile, moduleOrFile, style)
      : moduleOrFile;
    bySpecifier.set(specifier, (bySpecifier.get(specifier) ?? new Set()).add(name));
  }
  const bare = (name: string) => name.replace(/^type /, '');
  return [...bySpecifier.entries()]
    .sort(([a], [b]) => Number(a.startsWith('.')) - Number(b.startsWith('.')) || a.localeCompare(b))
    .map(([specifier, names]) => ({
      specifier,
      names: [...names].sort((a, b) => bare(a).localeCompare(bare(b))),
    }));
}
