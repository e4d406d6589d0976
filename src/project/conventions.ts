/**
 * The project's own conventions, read from the files new code sits beside: how code is written
 * (quotes, semicolons, indentation, trailing commas, line width) when there is no Prettier
 * config to say it, how files are named (kebab, snake, camel or Pascal case), and what the
 * project calls and types its timestamps, and how it names tables and columns in SQL. Pure functions over texts and names: the targets
 * gather the neighbours, these decide. Import style (suffixes, aliases) lives in
 * `import-style.ts`, a sibling's file shape in `file-naming.ts`.
 */
import pluralize from 'pluralize';
import type { Options } from 'prettier';

export interface CodeStyle {
  singleQuote: boolean;
  semi: boolean;
  useTabs: boolean;
  tabWidth: number;
  trailingComma: 'all' | 'es5' | 'none';
  printWidth: number;
}

/** Code style as Prettier options; empty when there is nothing to learn from. */
export function codeStyleOf(texts: string[]): Partial<CodeStyle> {
  const lines = texts
    .join('\n')
    .split('\n')
    .map((line) => line.trimEnd());
  if (lines.every((line) => line === '')) return {};
  const code = lines.filter((line) => line.trim() !== '' && !isComment(line));
  const count = (pattern: RegExp) => code.filter((line) => pattern.test(line)).length;
  const indent = code.map((line) => /^( +|\t)\S/.exec(line)?.[1]).find(Boolean);
  return {
    singleQuote: count(/(?:from|import)\s+'/) >= count(/(?:from|import)\s+"/),
    semi: semicolons(code),
    useTabs: indent === '\t',
    tabWidth: indent && indent !== '\t' ? Math.min(indent.length, 8) : 2,
    trailingComma: trailingCommas(code),
    printWidth: printWidth(code),
  };
}

/** `codeStyleOf` for the formatter. */
export function prettierOptionsOf(texts: string[]): Options {
  return codeStyleOf(texts);
}

const isComment = (line: string) => /^\s*(?:\/\/|\/\*|\*)/.test(line);

/**
 * Semicolons: the last line of each top-level statement, which starts at column 0 or closes at
 * column 0 (`});`, `}));`). A line ending in an opener or an operator continues the statement
 * (`export const x = pgTable('x', {` is not a statement without one).
 */
function semicolons(code: string[]): boolean {
  const ends = code.filter(
    (line) =>
      /^(?:[)}\]]|import\b|export\b|const\b|let\b|type\b)/.test(line) &&
      !/[{([,=>+\-*/?:|&.]$/.test(line) &&
      !/^export\s+(?:default\s+)?(?:async\s+)?(?:function|class|interface|enum)\b/.test(line) &&
      !/^}\s*(?:else|catch|finally)\b/.test(line) &&
      !/^}$/.test(line),
  );
  const withSemi = ends.filter((line) => line.endsWith(';')).length;
  return ends.length === 0 || withSemi * 2 >= ends.length;
}

/**
 * Trailing commas: the line before a closing `}`/`]`/`)` that is an element of a multi-line
 * list. One before `)` (call arguments, parameters) means `all`; only before `}`/`]`, `es5`.
 */
function trailingCommas(code: string[]): CodeStyle['trailingComma'] {
  const tally = { with: 0, without: 0, callWith: 0, callWithout: 0 };
  for (let index = 1; index < code.length; index++) {
    const closer = /^\s*([)}\]])/.exec(code[index]!)?.[1];
    const previous = code[index - 1]!;
    // An opener before the closer is an empty list; a statement before it is a block's body.
    if (!closer || /[{([;]$/.test(previous) || /^\s*(?:return|throw|await)\b/.test(previous)) {
      continue;
    }
    const comma = previous.endsWith(',');
    tally[comma ? 'with' : 'without']++;
    if (closer === ')') tally[comma ? 'callWith' : 'callWithout']++;
  }
  if (tally.without > tally.with) return 'none';
  return tally.callWithout > tally.callWith ? 'es5' : 'all';
}

/** The widths Prettier users pick; the longest code line says which one the project uses. */
function printWidth(code: string[]): number {
  const longest = Math.max(
    0,
    ...code.filter((line) => !/^\s*import\b|['"`]\S{20,}/.test(line)).map((line) => line.length),
  );
  if (longest <= 80) return 80;
  if (longest <= 100) return 100;
  if (longest <= 120) return 120;
  return 80;
}

export type FileCase = 'kebab' | 'snake' | 'camel' | 'pascal';

/**
 * How a folder's file stems are written. One-word stems (`user`, `monitor`) say nothing, so every
 * sibling counts: `monitor.ts` beside `monitor_tag.ts` is snake case. Undefined without a sign.
 */
export function fileCaseOf(stems: string[]): FileCase | undefined {
  const votes: Record<FileCase, number> = { kebab: 0, snake: 0, camel: 0, pascal: 0 };
  for (const stem of stems) {
    if (/^[A-Z]/.test(stem)) votes.pascal++;
    else if (stem.includes('_')) votes.snake++;
    else if (stem.includes('-')) votes.kebab++;
    else if (/[a-z][A-Z]/.test(stem)) votes.camel++;
  }
  const [best, most] = (Object.entries(votes) as [FileCase, number][]).reduce((a, b) =>
    b[1] > a[1] ? b : a,
  );
  return most > 0 ? best : undefined;
}

export interface TimestampNames {
  /** SQL names, `created_at` / `updated_at` (or `createdAt` when the project's columns are so). */
  created: string;
  updated: string;
}

/**
 * What the project calls its timestamps, from the column names its tables have: `created_at`
 * beside `updated_at`, `createdAt`, `inserted_at`. Undefined when no table has one.
 */
export function timestampNamesOf(columnNames: string[]): TimestampNames | undefined {
  const created = columnNames.find((name) => /^(?:created|inserted)(?:_at|At)$/.test(name));
  if (!created) return undefined;
  const camel = created.endsWith('At');
  const updated =
    columnNames.find((name) => /^updated(?:_at|At)$/.test(name)) ??
    (camel ? 'updatedAt' : 'updated_at');
  return { created, updated };
}

export type ColumnCase = 'snake' | 'camel';
export type TablePlurality = 'plural' | 'singular';

/** How the project names things in SQL: `user_id` or `userId`, `user_events` or `user_event`. */
export interface SqlNaming {
  columns: ColumnCase;
  tables: TablePlurality;
  /** The project's timestamps (`created_at`, `createdAt`), when its tables have them. */
  timestamps?: TimestampNames | undefined;
}

/** The default: what Ash and most SQL schemas write (`user_events.user_id`). */
export const DEFAULT_SQL_NAMING: SqlNaming = { columns: 'snake', tables: 'plural' };

/** One table as the scan found it, in SQL names (before any table-creator prefix). */
export interface SqlTableNames {
  table: string;
  columns: string[];
}

/**
 * Column casing and table plurality the tables show; a part without a sign is left out. Only
 * multi-word column names vote (`id`, `email` read the same in both cases), and only a table
 * whose last word is plainly singular or plural (`news`, `data`, `media` are either).
 */
export function sqlNamingOf(tables: readonly SqlTableNames[]): Partial<SqlNaming> {
  const columnVotes = { snake: 0, camel: 0 };
  const tableVotes = { plural: 0, singular: 0 };
  for (const { table, columns } of tables) {
    for (const column of columns) {
      if (/^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(column)) columnVotes.snake++;
      else if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(column)) columnVotes.camel++;
    }
    const plurality = pluralityOf(table);
    if (plurality) tableVotes[plurality]++;
  }
  return {
    ...(columnVotes.snake !== columnVotes.camel
      ? { columns: columnVotes.camel > columnVotes.snake ? ('camel' as const) : ('snake' as const) }
      : {}),
    ...(tableVotes.plural !== tableVotes.singular
      ? {
          tables:
            tableVotes.singular > tableVotes.plural ? ('singular' as const) : ('plural' as const),
        }
      : {}),
  };
}

/**
 * The naming of the tables nearest the new code: each part from the first group that shows it
 * (the join's own table, then its destinations, then the rest), else the default; the
 * timestamps likewise.
 */
export function nearestSqlNaming(groups: readonly (readonly SqlTableNames[])[]): SqlNaming {
  const found = groups.map((tables) => sqlNamingOf(tables));
  const timestamps = groups
    .map((tables) => timestampNamesOf(tables.flatMap((table) => table.columns)))
    .find(Boolean);
  return {
    columns: found.find((naming) => naming.columns)?.columns ?? DEFAULT_SQL_NAMING.columns,
    tables: found.find((naming) => naming.tables)?.tables ?? DEFAULT_SQL_NAMING.tables,
    ...(timestamps ? { timestamps } : {}),
  };
}

/** Words that read as singular and plural alike, which pluralize takes for one or the other. */
const MASS_NOUNS = new Set(['data', 'metadata', 'info', 'information', 'feedback', 'media']);

function pluralityOf(table: string): TablePlurality | undefined {
  const last = /([A-Za-z][a-z0-9]*|[a-z0-9]+)$/.exec(table.replace(/[_-]+$/, ''))?.[1];
  if (!last || /^\d+$/.test(last)) return undefined;
  const word = last.toLowerCase();
  if (MASS_NOUNS.has(word)) return undefined;
  const plural = pluralize.plural(word) === word;
  const singular = pluralize.singular(word) === word;
  if (plural === singular) return undefined;
  return plural ? 'plural' : 'singular';
}

/**
 * The suffix the project's entity classes carry: `Entity` when most do (`UserEntity`,
 * `PostEntity`, as NestJS boilerplates write them), so a new class is named alike. Only
 * `Entity`, the suffix resource lookup already reads past (`User` finds `UserEntity`).
 */
export function classSuffixOf(classNames: string[]): 'Entity' | '' {
  const suffixed = classNames.filter((name) => /.Entity$/.test(name)).length;
  return suffixed * 2 > classNames.length ? 'Entity' : '';
}

/** `PostLike` + `Entity` → `PostLikeEntity`; a name that has the suffix keeps it once. */
export function withClassSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) ? name : name + suffix;
}
