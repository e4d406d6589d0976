import { join } from 'node:path';

import { createPostgresDatabase, migrationsFolderOf } from './databases.js';
import { runMainReporting, runProjectScript, specifier } from './project-script.js';
import { createMysqlDatabase } from './typeorm-usage.js';

/**
 * The generated relationship helpers (--helpers), run for real inside a project copy: a script
 * that imports the project's helpers module, type-checks against the project, and drives one
 * scenario through them on a migrated database. Rows are reported by label (`l1`, `r2`), so the
 * tests read like the scenario: append twice, load, set, remove, the inverse side, two
 * concurrent appends, unknown ids, and a cascading delete.
 */

type Row = Record<string, unknown>;

/** Where the helpers run: Drizzle on PGlite, better-sqlite3 or a server; TypeORM likewise. */
export type HelpersDatabase = 'pglite' | 'sqlite' | 'postgres' | 'mariadb';

interface CommonOptions {
  database: HelpersDatabase;
  /** The helpers module, relative to the project. */
  helpersModule: string;
  /** `UserEvents` and `EventUsers`: what follows load/append/remove/set in each direction. */
  forward: string;
  inverse: string;
  /** Two left rows and three right rows to insert. */
  leftValues: [Row, Row];
  rightValues: [Row, Row, Row];
  /** A required or optional join attribute read back from load (`role` on `userEvent`). */
  attribute?: { row: string; name: string; onAppend: unknown; onSet: unknown };
  keepScript?: boolean;
}

export interface DrizzleHelpersOptions extends CommonOptions {
  orm: 'drizzle';
  /** Export names in the schema module: the two tables and the join table. */
  left: string;
  right: string;
  join: string;
  leftKey: string;
  rightKey: string;
  /** Relative to the project; default `src/db/schema.ts`. */
  schemaModule?: string;
  /** Exports `createDb(client)` (pglite/sqlite); default `src/db/client.ts`. */
  clientModule?: string;
  casing?: 'snake_case';
}

export interface TypeormHelpersOptions extends CommonOptions {
  orm: 'typeorm';
  optionsImport: string;
  optionsExpression: string;
  left: { className: string; module: string };
  right: { className: string; module: string };
  joinEntity: { className: string; module: string };
  leftKey: string;
  rightKey: string;
  /** The DataSource `type` the script connects with, when not the database's name (`mysql` on MariaDB). */
  driverType?: string;
}

export type HelpersUsageOptions = DrizzleHelpersOptions | TypeormHelpersOptions;

/** `{ notFound: 'Event', ids: ['missing'] }` when the helper threw NotFoundError. */
export interface Outcome {
  ok?: true;
  notFound?: string;
  ids?: string[];
  error?: string;
}

export interface HelpersUsageResult {
  /** Links as `l1-r1`, sorted, after each step. */
  afterAppend: string[];
  afterAppendAgain: string[];
  /** load: the right rows of l1, and each one's join attribute (null without one). */
  loaded: [string, unknown][];
  afterSet: string[];
  loadedAfterSet: [string, unknown][];
  afterRemove: string[];
  rightsAfterRemove: number;
  /** The inverse direction: append l2 to r3, then load r3's left rows. */
  inverseLoaded: string[];
  /** Two appends of the same pair at once: both statuses, and the links afterwards. */
  concurrent: string[];
  afterConcurrent: string[];
  missingRightOnAppend: Outcome;
  missingRightOnSet: Outcome;
  missingLeftOnRemove: Outcome;
  missingLeftOnLoad: Outcome;
  missingLeftOnInverseAppend: Outcome;
  unchangedAfterMissing: boolean;
  /** After deleting l1: the links left, and how many right rows there still are. */
  afterDelete: string[];
  rightsAfterDelete: number;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

const json = (value: unknown) => JSON.stringify(value);

function drizzlePrelude(o: DrizzleHelpersOptions, dir: string, scriptDir: string, url: string) {
  const module = (file: string) => specifier(scriptDir, join(dir, file));
  const schema = module(o.schemaModule ?? 'src/db/schema.ts');
  const client = module(o.clientModule ?? 'src/db/client.ts');
  const migrationsFolder = json(migrationsFolderOf(dir));
  const connect = {
    pglite: [
      `import { PGlite } from '@electric-sql/pglite'`,
      `import { migrate } from 'drizzle-orm/pglite/migrator'`,
      `import { createDb } from '${client}'`,
      `const client = new PGlite()`,
      `const db = createDb(client)`,
      `const close = () => client.close()`,
      `const setup = () => migrate(db, { migrationsFolder: ${migrationsFolder} })`,
    ],
    sqlite: [
      `import Database from 'better-sqlite3'`,
      `import { migrate } from 'drizzle-orm/better-sqlite3/migrator'`,
      `import { createDb } from '${client}'`,
      `const client = new Database(':memory:')`,
      `const db = createDb(client)`,
      `const close = async () => { client.close() }`,
      `const setup = async () => migrate(db, { migrationsFolder: ${migrationsFolder} })`,
    ],
    postgres: [
      `import pg from 'pg'`,
      `import { drizzle } from 'drizzle-orm/node-postgres'`,
      `import { migrate } from 'drizzle-orm/node-postgres/migrator'`,
      `const pool = new pg.Pool({ connectionString: ${json(url)} })`,
      `const db = drizzle(pool, { schema${o.casing ? `, casing: ${json(o.casing)}` : ''} })`,
      `const close = () => pool.end()`,
      `const setup = () => migrate(db, { migrationsFolder: ${migrationsFolder} })`,
    ],
    mariadb: [
      `import mysql from 'mysql2/promise'`,
      `import { drizzle } from 'drizzle-orm/mysql2'`,
      `import { migrate } from 'drizzle-orm/mysql2/migrator'`,
      `const pool = mysql.createPool(${json(url)})`,
      `const db = drizzle(pool, { schema, mode: 'default' })`,
      `const close = () => pool.end()`,
      `const setup = () => migrate(db, { migrationsFolder: ${migrationsFolder} })`,
    ],
  }[o.database];
  const [L, R, J] = [o.left, o.right, o.join].map((name) => `schema.${name}`) as [
    string,
    string,
    string,
  ];
  // MySQL has no RETURNING: insert, then read each row back by the id drizzle reports.
  const insert = (table: string, values: Row[]) =>
    o.database === 'mariadb'
      ? `async () => Promise.all((await db.insert(${table}).values(${json(values)}).$returningId()).map(async ({ id }) => (await db.select().from(${table}).where(eq(${table}.id, id)))[0]!))`
      : `() => db.insert(${table}).values(${json(values)}).returning()`;
  return `import { eq } from 'drizzle-orm'
import * as schema from '${schema}'
${connect.join('\n')}

const insertLefts = ${insert(L, o.leftValues)}
const insertRights = ${insert(R, o.rightValues)}
const links = async () => (await db.select().from(${J})).map((row) => [row.${o.leftKey}, row.${o.rightKey}] as const)
const rightCount = async () => (await db.select().from(${R})).length
const deleteLeft = async (id: Left['id']) => { await db.delete(${L}).where(eq(${L}.id, id)) }
type Left = typeof ${L}.$inferSelect
type Right = typeof ${R}.$inferSelect`;
}

function connectionOverride(database: HelpersDatabase, url: string, driverType?: string): string {
  if (database === 'sqlite') return `{ type: 'better-sqlite3', database: ':memory:' }`;
  return `{ type: '${driverType ?? database}', url: ${json(url)} }`;
}

function typeormPrelude(o: TypeormHelpersOptions, dir: string, scriptDir: string, url: string) {
  const module = (file: string) => specifier(scriptDir, join(dir, file));
  const [L, R, J] = [o.left.className, o.right.className, o.joinEntity.className];
  return `import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
${o.optionsImport}
import { ${L} } from '${module(o.left.module)}'
import { ${R} } from '${module(o.right.module)}'
import { ${J} } from '${module(o.joinEntity.module)}'

const base = ${o.optionsExpression} as DataSourceOptions
const db = new DataSource({ ...base, ...${connectionOverride(o.database, url, o.driverType)}, synchronize: false, logging: false } as DataSourceOptions)
const close = async () => { if (db.isInitialized) await db.destroy() }
const setup = async () => { await db.initialize(); await db.runMigrations({ transaction: 'each' }) }
const insertLefts = () => db.getRepository(${L}).save(${json(o.leftValues)}.map((values) => db.getRepository(${L}).create(values)))
const insertRights = () => db.getRepository(${R}).save(${json(o.rightValues)}.map((values) => db.getRepository(${R}).create(values)))
const links = async () => (await db.getRepository(${J}).find()).map((row) => [row.${o.leftKey}, row.${o.rightKey}] as const)
const rightCount = () => db.getRepository(${R}).count()
const deleteLeft = async (id: Left['id']) => { await db.getRepository(${L}).delete(id) }
type Left = ${L}
type Right = ${R}`;
}

export function renderHelpersScript(
  options: HelpersUsageOptions,
  dir: string,
  scriptDir: string,
  url: string,
): string {
  const o = options;
  for (const name of [o.forward, o.inverse, o.leftKey, o.rightKey, o.attribute?.row ?? 'x']) {
    if (!IDENT.test(name)) throw new Error(`helpers usage: not an identifier: ${name}`);
  }
  const prelude =
    o.orm === 'drizzle'
      ? drizzlePrelude(o, dir, scriptDir, url)
      : typeormPrelude(o, dir, scriptDir, url);
  const helpers = specifier(scriptDir, join(dir, o.helpersModule));
  const onAppend = o.attribute ? `, { ${o.attribute.name}: ${json(o.attribute.onAppend)} }` : '';
  const onSet = o.attribute ? `, { ${o.attribute.name}: ${json(o.attribute.onSet)} }` : '';
  const attribute = o.attribute
    ? `(item: { ${o.attribute.row}: { ${o.attribute.name}: unknown } }): unknown => item.${o.attribute.row}.${o.attribute.name}`
    : `(_item: object): unknown => null`;
  return `// Written by joinery's test harness: the generated relationship helpers, run for real.
import {
  NotFoundError,
  append${o.forward} as append,
  load${o.forward} as load,
  remove${o.forward} as remove,
  set${o.forward} as set,
  append${o.inverse} as appendInverse,
  load${o.inverse} as loadInverse,
} from '${helpers}'
${prelude}

// Integer ids repeat across tables: each side has its own labels.
const lefts = new Map<string, string>()
const rights = new Map<string, string>()
const labelIn = (labels: Map<string, string>) => (id: unknown): string => labels.get(String(id).toLowerCase()) ?? 'missing'
const leftLabel = labelIn(lefts)
const rightLabel = labelIn(rights)
const linkLabels = async () => (await links()).map(([l, r]) => leftLabel(l) + '-' + rightLabel(r)).sort()
const attribute = ${attribute}

async function outcome(action: () => Promise<unknown>) {
  try {
    await action()
    return { ok: true }
  } catch (error) {
    if (error instanceof NotFoundError) {
      const ids = error.ids.map((id) => [leftLabel(id), rightLabel(id)].find((name) => name !== 'missing') ?? 'missing')
      return { notFound: error.resource, ids }
    }
    return { error: String(error) }
  }
}

async function main() {
  await setup()
  const [l1, l2] = await insertLefts()
  const [r1, r2, r3] = await insertRights()
  if (!l1 || !l2 || !r1 || !r2 || !r3) throw new Error('insert returned no rows')
  for (const [name, row] of Object.entries({ l1, l2 })) lefts.set(String(row.id).toLowerCase(), name)
  for (const [name, row] of Object.entries({ r1, r2, r3 })) rights.set(String(row.id).toLowerCase(), name)
  const missingLeft = (typeof l1.id === 'number' ? 987654321 : '00000000-0000-4000-8000-000000000000') as Left['id']
  const missingRight = (typeof r1.id === 'number' ? 987654321 : '00000000-0000-4000-8000-000000000000') as Right['id']

  // append is idempotent: an existing link is kept, repeats are ignored
  await append(db, l1.id, [r1.id, r2.id]${onAppend})
  const afterAppend = await linkLabels()
  await append(db, l1.id, [r2.id, r1.id, r2.id]${onSet})
  const afterAppendAgain = await linkLabels()
  const loaded = (await load(db, l1.id)).map((item) => [rightLabel(item.id), attribute(item)]).sort()

  // set leaves exactly the given links; a kept link keeps its attributes
  await set(db, l1.id, [r2.id, r3.id]${onSet})
  const afterSet = await linkLabels()
  const loadedAfterSet = (await load(db, l1.id)).map((item) => [rightLabel(item.id), attribute(item)]).sort()

  // remove deletes the link only
  await remove(db, l1.id, [r2.id])
  const afterRemove = await linkLabels()
  const rightsAfterRemove = await rightCount()

  // the inverse direction
  await appendInverse(db, r3.id, [l2.id]${onAppend})
  const inverseLoaded = (await loadInverse(db, r3.id)).map((item) => leftLabel(item.id)).sort()

  // two appends of the same pair at once
  const concurrent = (
    await Promise.allSettled([append(db, l2.id, [r1.id]${onAppend}), append(db, l2.id, [r1.id]${onAppend})])
  ).map((result) => (result.status === 'rejected' ? String(result.reason) : result.status))
  const afterConcurrent = await linkLabels()

  // unknown ids: NotFoundError listing them, and nothing changed
  const beforeMissing = await linkLabels()
  const missingRightOnAppend = await outcome(() => append(db, l1.id, [r1.id, missingRight]${onAppend}))
  const missingRightOnSet = await outcome(() => set(db, l1.id, [missingRight]${onSet}))
  const missingLeftOnRemove = await outcome(() => remove(db, missingLeft, [r3.id]))
  const missingLeftOnLoad = await outcome(() => load(db, missingLeft))
  const missingLeftOnInverseAppend = await outcome(() => appendInverse(db, r1.id, [missingLeft, l1.id]${onAppend}))
  const unchangedAfterMissing = JSON.stringify(beforeMissing) === JSON.stringify(await linkLabels())

  // deleting a left row cascades to its links; the right rows stay
  await deleteLeft(l1.id)
  const afterDelete = await linkLabels()
  const rightsAfterDelete = await rightCount()

  return {
    afterAppend,
    afterAppendAgain,
    loaded,
    afterSet,
    loadedAfterSet,
    afterRemove,
    rightsAfterRemove,
    inverseLoaded,
    concurrent,
    afterConcurrent,
    missingRightOnAppend,
    missingRightOnSet,
    missingLeftOnRemove,
    missingLeftOnLoad,
    missingLeftOnInverseAppend,
    unchangedAfterMissing,
    afterDelete,
    rightsAfterDelete,
  }
}

${runMainReporting('JOINERY_HELPERS_RESULT')}`;
}

/**
 * Writes the script into `<dir>/.joinery-helpers/`, type-checks it against the project, and runs
 * it with tsx on a fresh database: in-memory PGlite or better-sqlite3, or a temporary database on
 * the DATABASE_URL / MYSQL_URL server (dropped afterwards).
 */
export async function runHelpersUsage(
  dir: string,
  options: HelpersUsageOptions,
): Promise<HelpersUsageResult> {
  const server =
    options.database === 'postgres'
      ? await createPostgresDatabase()
      : options.database === 'mariadb'
        ? await createMysqlDatabase()
        : undefined;
  try {
    return await runProjectScript<HelpersUsageResult>(dir, {
      folder: '.joinery-helpers',
      file: 'helpers.ts',
      marker: 'JOINERY_HELPERS_RESULT',
      render: (scriptDir) => renderHelpersScript(options, dir, scriptDir, server?.url ?? ''),
      typecheck: true,
      keepScript: options.keepScript,
    });
  } finally {
    await server?.drop();
  }
}
