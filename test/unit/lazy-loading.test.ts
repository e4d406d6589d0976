import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const STATIC_IMPORT =
  /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every module `entry` loads before any command runs: its static imports, transitively. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else seen.add(specifier);
    }
  };
  visit(entry);
  return seen;
}

describe('start-up cost', () => {
  it('the CLI entry loads no heavy module before a command runs (built dist/cli.js)', () => {
    const graph = [...staticGraph(path.join(dist, 'cli.js'))];
    const heavy = graph.filter((name) =>
      /^(ts-morph|prettier|typescript|execa|ejs|diff)(\/|$)/.test(name),
    );
    expect(heavy).toEqual([]);
    expect(graph).toContain('commander');
  });
});
