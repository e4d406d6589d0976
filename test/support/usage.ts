import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { createPostgresDatabase, migrationsFolderOf } from './databases.js';
import { runMainReporting, runProjectScript, specifier } from './project-script.js';

/** Where the usage script runs: embedded PGlite, better-sqlite3, or a temporary server database. */
export type UsageDialect = 'pglite' | 'sqlite' | 'postgres';

type Row = Record<string, unknown>;

export interface DrizzleUsageOptions {
  dialect: UsageDialect;
  /** Export name of the join table in the schema, e.g. `userEvents`. */
  join: string;
  /** Export names of the two joined tables, e.g. `users` and `events`. */
  left: string;
  right: string;
  /** Join-table properties holding the two keys, e.g. `userId` and `eventId`. */
  leftKey: string;
  rightKey: string;
  /** `one()` relations on the join table, e.g. `user` and `event`. */
  leftRelation: string;
  rightRelation: string;
  /** `many(join)` relation names on the left and right tables; both default to `join`. */
  leftMany?: string;
  rightMany?: string;
  /** Rows inserted into the left table; defaults suit a `users` table with name + email. */
  leftValues?: [Row, Row];
  /** Rows inserted into the right table; defaults give `title` (events, tasks) or `name`. */
  rightValues?: [Row, Row];
  /** Extra required columns of the join table, merged into every join row. */
  joinValues?: Row;
  /** The schema module (all tables + relations), relative to the project. Defaults to
   * `src/db/schema.ts` or `src/db/schema/index.ts`. */
  schemaModule?: string;
  /** Module exporting `createDb(client)`, relative to the project (pglite/sqlite). */
  clientModule?: string;
  /** Defaults to the `out` of drizzle.config.ts. */
  migrationsFolder?: string;
  /** For `postgres`: server to create a temporary database on (default DATABASE_URL). */
  databaseUrl?: string;
  /** For `postgres`: casing passed to drizzle(), as the project's own client would. */
  casing?: 'snake_case' | 'camelCase';
  /** Type-check the generated script against the project before running it (default true). */
  typecheck?: boolean;
  /** Leave `.joinery-usage/` in the project for inspection (default false). */
  keepScript?: boolean;
}

export interface DrizzleUsageResult {
  /** SQL name of the join table (e.g. `user_events`, `app_user_events`). */
  joinTable: string;
  /** Labels (title/name) of the right rows loaded through the left row 1, sorted. */
  leftWithRights: string[];
  /** Labels of the left rows loaded from right row 1 (the inverse side), sorted. */
  rightWithLefts: string[];
  /** Inserting the same pair twice fails (composite primary key). */
  duplicateRejected: boolean;
  /** Linking a non-existent left row fails (foreign key enforced). */
  foreignKeyEnforced: boolean;
  /** For SQLite: the connection's `PRAGMA foreign_keys` (1 = on); null elsewhere. */
  sqliteForeignKeysPragma: number | null;
  /** Join rows of left row 1 after removing one of its two links (expect 1). */
  linksAfterRemove: number;
  /** Join rows of left row 1 after deleting left row 1 (expect 0: ON DELETE CASCADE). */
  linksAfterLeftDelete: number;
  /** All join rows after deleting left row 1 (expect 1: left row 2 -> right row 1). */
  rowsAfterLeftDelete: number;
  /** All join rows after deleting right row 1 (expect 0: cascade from the right side). */
  rowsAfterRightDelete: number;
}

const DEFAULT_LEFT: [Row, Row] = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
];

function defaultRight(table: string): [Row, Row] {
  const column = /event|task|post|todo|issue/i.test(table) ? 'title' : 'name';
  return [{ [column]: 'Alpha' }, { [column]: 'Beta' }];
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

function resolveSchemaModule(dir: string, given?: string): string {
  const candidates = given
    ? [given]
    : ['src/db/schema.ts', 'src/db/schema/index.ts', 'src/schema.ts'];
  for (const candidate of candidates)
    if (existsSync(join(dir, candidate))) return join(dir, candidate);
  throw new Error(`runDrizzleUsage: no schema module among ${candidates.join(', ')} in ${dir}`);
}

/** The TypeScript source of the usage script (exported so a test can show or type-check it). */
export function renderUsageScript(
  dir: string,
  options: DrizzleUsageOptions,
  scriptDir: string = join(dir, '.joinery-usage'),
  databaseUrl = '',
): string {
  const o = options;
  const leftMany = o.leftMany ?? o.join;
  const rightMany = o.rightMany ?? o.join;
  for (const name of [
    o.join,
    o.left,
    o.right,
    o.leftKey,
    o.rightKey,
    o.leftRelation,
    o.rightRelation,
    leftMany,
    rightMany,
  ]) {
    if (!IDENT.test(name)) throw new Error(`runDrizzleUsage: not an identifier: ${name}`);
  }
  const schemaSpec = specifier(scriptDir, resolveSchemaModule(dir, o.schemaModule));
  const clientSpec = specifier(scriptDir, join(dir, o.clientModule ?? 'src/db/client.ts'));
  const migrationsFolder = o.migrationsFolder ?? migrationsFolderOf(dir);
  const [l1, l2] = o.leftValues ?? DEFAULT_LEFT;
  const [r1, r2] = o.rightValues ?? defaultRight(o.right);
  const extra = JSON.stringify(o.joinValues ?? {});
  const J = `schema.${o.join}`;
  const L = `schema.${o.left}`;
  const R = `schema.${o.right}`;

  const setup = {
    pglite: [
      `import { PGlite } from '@electric-sql/pglite'`,
      `import { migrate } from 'drizzle-orm/pglite/migrator'`,
      `import { createDb } from '${clientSpec}'`,
      ``,
      `const client = new PGlite()`,
      `const db = createDb(client)`,
      `const close = () => client.close()`,
      `const pragma: number | null = null`,
    ],
    sqlite: [
      `import Database from 'better-sqlite3'`,
      `import { migrate } from 'drizzle-orm/better-sqlite3/migrator'`,
      `import { createDb } from '${clientSpec}'`,
      ``,
      `const client = new Database(':memory:')`,
      `const db = createDb(client)`,
      `const close = async () => { client.close() }`,
      `const pragma: number | null = Number(client.pragma('foreign_keys', { simple: true }))`,
    ],
    postgres: [
      `import pg from 'pg'`,
      `import { drizzle } from 'drizzle-orm/node-postgres'`,
      `import { migrate } from 'drizzle-orm/node-postgres/migrator'`,
      ``,
      `const pool = new pg.Pool({ connectionString: ${JSON.stringify(databaseUrl)} })`,
      `const db = drizzle(pool, { schema${o.casing ? `, casing: ${JSON.stringify(o.casing)}` : ''} })`,
      `const close = () => pool.end()`,
      `const pragma: number | null = null`,
    ],
  }[o.dialect];

  return `// Written by joinery's test harness: the reference's usage, run for real.
import { and, count, eq, getTableName } from 'drizzle-orm'
import * as schema from '${schemaSpec}'
${setup.join('\n')}

const label = (row: object): string => {
  const r = row as Record<string, unknown>
  return String(r.title ?? r.name ?? r.id)
}

async function fails(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return false
  } catch {
    return true
  }
}

async function main() {
  await migrate(db, { migrationsFolder: ${JSON.stringify(migrationsFolder)} })

  const [l1, l2] = await db.insert(${L}).values([${JSON.stringify(l1)}, ${JSON.stringify(l2)}]).returning()
  const [r1, r2] = await db.insert(${R}).values([${JSON.stringify(r1)}, ${JSON.stringify(r2)}]).returning()
  if (!l1 || !l2 || !r1 || !r2) throw new Error('insert returned no rows')

  // Create a join row, then append a second one to the same left row
  await db.insert(${J}).values({ ${o.leftKey}: l1.id, ${o.rightKey}: r1.id, ...${extra} })
  await db.insert(${J}).values([{ ${o.leftKey}: l1.id, ${o.rightKey}: r2.id, ...${extra} }, { ${o.leftKey}: l2.id, ${o.rightKey}: r1.id, ...${extra} }])

  const duplicateRejected = await fails(() =>
    db.insert(${J}).values({ ${o.leftKey}: l1.id, ${o.rightKey}: r1.id, ...${extra} }),
  )
  const missing = (typeof l1.id === 'number' ? 987654321 : '00000000-0000-4000-8000-000000000000') as unknown as typeof l1.id
  const foreignKeyEnforced = await fails(() =>
    db.insert(${J}).values({ ${o.leftKey}: missing, ${o.rightKey}: r1.id, ...${extra} }),
  )

  // Load the left row with its right rows through the join table, and the inverse
  const loadedLeft = await db.query.${o.left}.findFirst({
    where: eq(${L}.id, l1.id),
    with: { ${leftMany}: { with: { ${o.rightRelation}: true } } },
  })
  const loadedRight = await db.query.${o.right}.findFirst({
    where: eq(${R}.id, r1.id),
    with: { ${rightMany}: { with: { ${o.leftRelation}: true } } },
  })
  if (!loadedLeft || !loadedRight) throw new Error('relational query found nothing')
  const leftWithRights = loadedLeft.${leftMany}.map((link) => label(link.${o.rightRelation})).sort()
  const rightWithLefts = loadedRight.${rightMany}.map((link) => label(link.${o.leftRelation})).sort()

  const linksOf = async (id: typeof l1.id) =>
    Number((await db.select({ n: count() }).from(${J}).where(eq(${J}.${o.leftKey}, id)))[0]?.n ?? -1)
  const allLinks = async () => Number((await db.select({ n: count() }).from(${J}))[0]?.n ?? -1)

  // Remove one link
  await db.delete(${J}).where(and(eq(${J}.${o.leftKey}, l1.id), eq(${J}.${o.rightKey}, r2.id)))
  const linksAfterRemove = await linksOf(l1.id)

  // Deleting either side cascades to its links
  await db.delete(${L}).where(eq(${L}.id, l1.id))
  const linksAfterLeftDelete = await linksOf(l1.id)
  const rowsAfterLeftDelete = await allLinks()
  await db.delete(${R}).where(eq(${R}.id, r1.id))
  const rowsAfterRightDelete = await allLinks()

  return {
    joinTable: getTableName(${J}),
    leftWithRights,
    rightWithLefts,
    duplicateRejected,
    foreignKeyEnforced,
    sqliteForeignKeysPragma: pragma,
    linksAfterRemove,
    linksAfterLeftDelete,
    rowsAfterLeftDelete,
    rowsAfterRightDelete,
  }
}

${runMainReporting('JOINERY_USAGE_RESULT')}`;
}

/**
 * Runs the reference's usage for real inside a project copy: writes a TypeScript script into
 * `<dir>/.joinery-usage/`, type-checks it against the project (unless `typecheck: false`), and
 * runs it with tsx. The script uses the project's own schema (and `createDb` from its client
 * for pglite/sqlite), applies the project's migrations with drizzle's migrator, inserts two left
 * and two right rows, links them through the join table, loads both directions with
 * `db.query`, removes a link and deletes rows on both sides to observe the cascades.
 * Throws with the compiler's or the script's output when either fails.
 */
export async function runDrizzleUsage(
  dir: string,
  options: DrizzleUsageOptions,
): Promise<DrizzleUsageResult> {
  const database =
    options.dialect === 'postgres' ? await createPostgresDatabase(options.databaseUrl) : null;
  try {
    return await runProjectScript<DrizzleUsageResult>(dir, {
      folder: '.joinery-usage',
      file: 'usage.ts',
      marker: 'JOINERY_USAGE_RESULT',
      render: (scriptDir) => renderUsageScript(dir, options, scriptDir, database?.url ?? ''),
      typecheck: options.typecheck,
      keepScript: options.keepScript,
    });
  } finally {
    await database?.drop();
  }
}
