/**
 * How the project writes module specifiers, learned from its own files: `.js` suffixes on
 * relative imports (NodeNext), `.ts` suffixes (`allowImportingTsExtensions`, Node's type
 * stripping, ts-node ESM) or none, and tsconfig path aliases when it uses them.
 */
import path from 'node:path';
import type { TsSettings } from './project.js';

export interface ImportStyle {
  /** What relative specifiers end in: `./user.js`, `./user.ts`, `./user`. */
  suffix: '' | '.js' | '.ts';
  /** `{ prefix: '@/', dir: '/abs/src/' }` when the project imports through a path alias. */
  alias: { prefix: string; dir: string } | undefined;
}

const SPECIFIER = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

/** Specifiers per file text, memoized: `check` asks once per join about the same files. */
const specifiersByText = new Map<string, string[]>();
function specifiersIn(text: string): string[] {
  let specifiers = specifiersByText.get(text);
  if (!specifiers) {
    specifiers = [...text.matchAll(SPECIFIER)].map((m) => m[1]!);
    specifiersByText.set(text, specifiers);
  }
  return specifiers;
}

/**
 * The last answer: `check` asks once per join about the same texts (the same strings, compared by
 * identity first, so the check costs next to nothing).
 */
let last: { root: string; texts: string[]; ts: TsSettings; style: ImportStyle } | undefined;

export function detectImportStyle(root: string, texts: string[], ts: TsSettings): ImportStyle {
  if (
    last?.root === root &&
    last.ts === ts &&
    last.texts.length === texts.length &&
    last.texts.every((text, index) => text === texts[index])
  ) {
    return { ...last.style };
  }
  const style = importStyleOf(root, texts, ts);
  last = { root, texts: [...texts], ts, style: { ...style } };
  return style;
}

function importStyleOf(root: string, texts: string[], ts: TsSettings): ImportStyle {
  const specifiers = texts.flatMap(specifiersIn);
  const relative = specifiers.filter((specifier) => specifier.startsWith('.'));
  const js = relative.filter((specifier) => /\.[cm]?js$/.test(specifier)).length;
  const typescript = relative.filter((specifier) => /\.[cm]?ts$/.test(specifier)).length;
  const suffix =
    relative.length === 0
      ? ['node16', 'nodenext'].includes(ts.moduleResolution ?? '')
        ? '.js'
        : ''
      : typescript > js
        ? '.ts'
        : js > 0
          ? '.js'
          : '';
  return { suffix, alias: detectAlias(root, specifiers, ts) };
}

function detectAlias(root: string, specifiers: string[], ts: TsSettings): ImportStyle['alias'] {
  for (const [pattern, targets] of Object.entries(ts.paths)) {
    const prefix = pattern.replace(/\*$/, '');
    const target = targets[0];
    const throughAlias = specifiers.filter((s) => s.startsWith(prefix)).length;
    const relative = specifiers.filter((s) => s.startsWith('.')).length;
    // The alias is the project's style only when it imports its own modules mostly that way.
    if (!pattern.endsWith('*') || !target || throughAlias === 0 || throughAlias < relative) {
      continue;
    }
    const dir = path.resolve(root, ts.baseUrl ?? '.', target.replace(/\*$/, ''));
    return { prefix, dir: dir.endsWith(path.sep) ? dir : dir + path.sep };
  }
  return undefined;
}

/** The specifier `fromFile` should use to import `toFile`. */
export function moduleSpecifier(fromFile: string, toFile: string, style: ImportStyle): string {
  const suffix = style.suffix;
  const stem = toFile.replace(/\.[cm]?[jt]sx?$/, '');
  if (style.alias && toFile.startsWith(style.alias.dir)) {
    return style.alias.prefix + toPosix(stem.slice(style.alias.dir.length)) + suffix;
  }
  let relative = toPosix(path.relative(path.dirname(fromFile), stem));
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return relative + suffix;
}

const toPosix = (file: string) => file.split(path.sep).join('/');
