/**
 * Entries generated with --no-migration leave their tables to the project (a hand-written
 * migration, `drizzle-kit push`): drizzle-kit's check then sees them as pending on every run, and
 * `joinery sync` (which makes no migration for them) could never satisfy it. The statements
 * drizzle-kit would write for those tables alone are set aside; the rest still count.
 */

/** `-->  statement-breakpoint` separates drizzle-kit's statements in every dialect. */
const BREAKPOINT = /-->\s*statement-breakpoint/;

/** The table a statement changes: `CREATE TABLE "x"`, `ALTER TABLE \`x\``, `CREATE INDEX … ON "s"."x"`. */
const STATEMENT_TABLE =
  /\b(?:CREATE\s+TABLE|ALTER\s+TABLE|DROP\s+TABLE|INSERT\s+INTO|CREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*?\bON)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?((?:["`]?\w+["`]?\.)?["`]?\w+["`]?)/i;

/** The table a statement is about, unquoted and without its schema; undefined for `PRAGMA …`. */
export function statementTable(statement: string): string | undefined {
  const match = STATEMENT_TABLE.exec(statement);
  if (!match) return undefined;
  const name = match[1]!.split('.').at(-1)!.replace(/["`]/g, '');
  // SQLite rebuilds a table as `__new_<table>` and renames it back.
  return name.replace(/^__new_/, '');
}

/**
 * The SQL without the statements about `tables`; empty when nothing else remains (statements
 * about no table, such as SQLite's `PRAGMA foreign_keys`, do not count on their own).
 */
export function withoutTables(sql: string, tables: ReadonlySet<string>): string {
  if (tables.size === 0) return sql.trim();
  const statements = sql
    .split(BREAKPOINT)
    .map((statement) => statement.trim())
    .filter(Boolean);
  const kept = statements.filter((statement) => {
    const table = statementTable(statement);
    return table === undefined || !tables.has(table);
  });
  if (kept.every((statement) => statementTable(statement) === undefined)) return '';
  return kept.join('\n--> statement-breakpoint\n');
}
