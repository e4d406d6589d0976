import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { execa } from 'execa';

import { tscBin } from './cli.js';
import { createPostgresDatabase } from './databases.js';
import { pglitePgDriverSource } from './pglite-pg-driver.js';
import { runProjectScript, specifier } from './project-script.js';

/**
 * The reference's usage, run for real in a TypeORM project copy: TypeORM's own migration runner,
 * TypeORM's own schema diff, then load / link / append / remove / cascade through the entities.
 */

/** `pglite`: TypeORM's postgres driver on an in-memory PGlite (see pglite-pg-driver.ts). */
export type TypeormDatabase = 'sqlite' | 'postgres' | 'mariadb' | 'pglite';

type Row = Record<string, unknown>;

export interface TypeormUsageOptions {
  database: TypeormDatabase;
  /** How the script gets the project's DataSourceOptions: an import line and an expression. */
  optionsImport: string;
  optionsExpression: string;
  /** Entity classes and the modules (relative to the project) that export them. */
  left: { className: string; module: string; values: [Row, Row] };
  right: { className: string; module: string; values: [Row, Row] };
  joinEntity: { className: string; module: string; table: string };
  /** Join-entity properties: the keys (`userId`), the relations (`user`), the inverse lists. */
  leftKey: string;
  rightKey: string;
  leftRelation: string;
  rightRelation: string;
  collection: string;
  /** Extra required join columns, merged into every join row. */
  joinValues?: Row;
  typecheck?: boolean;
  keepScript?: boolean;
  /** The package the project imports TypeORM from; `typeorm` unless it is a fork (`@n8n/typeorm`). */
  ormModule?: string;
  /**
   * SQL run before the migrations, as the project's database setup would (`CREATE SCHEMA app`
   * when the DataSource's `schema` option puts TypeORM's own migrations table there).
   */
  setup?: string[];
  /** The TypeORM driver for SQLite: `better-sqlite3`, or `sqlite` (node-sqlite3, the fork's only one). */
  sqliteDriver?: 'better-sqlite3' | 'sqlite';
}

export interface TypeormUsageResult {
  /** Names of the migrations TypeORM's runner applied, in order. */
  migrations: string[];
  /** TypeORM's schema diff after the migrations (`createSchemaBuilder().log()` up queries). */
  pending: string[];
  leftWithRights: string[];
  rightWithLefts: string[];
  duplicateRejected: boolean;
  foreignKeyEnforced: boolean;
  /** Links of left row 2 after appending both right rows with orIgnore (one existed). */
  linksAfterAppend: number;
  linksAfterRemove: number;
  linksAfterLeftDelete: number;
  rowsAfterLeftDelete: number;
  rowsAfterRightDelete: number;
  /** The join table exists after up, and is gone after TypeORM's undoLastMigration. */
  tableAfterUp: boolean;
  tableAfterDown: boolean;
  /** Every entity the DataSource found (its `entities` globs or classes), sorted. */
  entities: string[];
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A uniquely named database on the MYSQL_URL server (MariaDB or MySQL). */
export async function createMysqlDatabase(
  baseUrl = process.env.MYSQL_URL,
): Promise<TemporaryDatabase> {
  if (!baseUrl) throw new Error('createMysqlDatabase: MYSQL_URL is not set');
  const mysql = await import('mysql2/promise');
  const name = `joinery_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection(baseUrl);
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const connection = await mysql.createConnection(baseUrl);
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}

function connectionOverride(
  database: TypeormDatabase,
  url: string,
  sqliteDriver = 'better-sqlite3',
): string {
  if (database === 'sqlite') return `{ type: '${sqliteDriver}', database: ':memory:' }`;
  if (database === 'pglite') return `{ type: 'postgres', driver: pglitePgDriver() }`;
  return `{ type: '${database}', url: ${JSON.stringify(url)} }`;
}

export function renderTypeormUsageScript(
  options: TypeormUsageOptions,
  dir: string,
  scriptDir: string,
  url: string,
): string {
  const o = options;
  const names = [
    o.left.className,
    o.right.className,
    o.joinEntity.className,
    o.leftKey,
    o.rightKey,
    o.leftRelation,
    o.rightRelation,
    o.collection,
  ];
  for (const name of names)
    if (!IDENT.test(name)) throw new Error(`typeorm usage: not an identifier: ${name}`);
  const module = (file: string) => specifier(scriptDir, join(dir, file));
  const L = o.left.className;
  const R = o.right.className;
  const J = o.joinEntity.className;
  const extra = JSON.stringify(o.joinValues ?? {});
  return `// Written by joinery's test harness: the reference's usage, run for real with TypeORM.
import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from '${o.ormModule ?? 'typeorm'}'
${o.optionsImport}
import { ${L} } from '${module(o.left.module)}'
import { ${R} } from '${module(o.right.module)}'
import { ${J} } from '${module(o.joinEntity.module)}'

async function fails(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return false
  } catch {
    return true
  }
}

const label = (row: object): string => {
  const r = row as Record<string, unknown>
  return String(r.title ?? r.name ?? r.username ?? r.id)
}

async function main(dataSource: DataSource) {
  for (const sql of ${JSON.stringify(o.setup ?? [])}) await dataSource.query(sql)
  const migrations = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name)
  const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)
  const tableAfterUp = await dataSource.createQueryRunner().hasTable('${o.joinEntity.table}')
  const entities = dataSource.entityMetadatas.map((metadata) => metadata.name).sort()

  const lefts = dataSource.getRepository(${L})
  const rights = dataSource.getRepository(${R})
  const links = dataSource.getRepository(${J})
  const [l1, l2] = await lefts.save([lefts.create(${JSON.stringify(o.left.values[0])}), lefts.create(${JSON.stringify(o.left.values[1])})])
  const [r1, r2] = await rights.save([rights.create(${JSON.stringify(o.right.values[0])}), rights.create(${JSON.stringify(o.right.values[1])})])
  if (!l1 || !l2 || !r1 || !r2) throw new Error('save returned no rows')

  // Create a join row, then link more
  await links.insert({ ${o.leftKey}: l1.id, ${o.rightKey}: r1.id, ...${extra} })
  await links.insert([{ ${o.leftKey}: l1.id, ${o.rightKey}: r2.id, ...${extra} }, { ${o.leftKey}: l2.id, ${o.rightKey}: r1.id, ...${extra} }])
  const duplicateRejected = await fails(() => links.insert({ ${o.leftKey}: l1.id, ${o.rightKey}: r1.id, ...${extra} }))
  const missing = (typeof l1.id === 'number' ? 987654321 : '00000000-0000-4000-8000-000000000000') as typeof l1.id
  const foreignKeyEnforced = await fails(() => links.insert({ ${o.leftKey}: missing, ${o.rightKey}: r1.id, ...${extra} }))

  // Append (Ash's type: :append): an existing link is kept, a new one added
  await dataSource
    .createQueryBuilder()
    .insert()
    .into(${J})
    .values([r1, r2].map((right) => ({ ${o.leftKey}: l2.id, ${o.rightKey}: right.id, ...${extra} })))
    .orIgnore()
    .execute()
  const linksAfterAppend = await links.countBy({ ${o.leftKey}: l2.id })

  // Load both ways through the join entity
  const loadedLeft = await lefts.findOne({ where: { id: l1.id }, relations: { ${o.collection}: { ${o.rightRelation}: true } } })
  const loadedRight = await rights.findOne({ where: { id: r1.id }, relations: { ${o.collection}: { ${o.leftRelation}: true } } })
  if (!loadedLeft || !loadedRight) throw new Error('findOne found nothing')
  const leftWithRights = loadedLeft.${o.collection}.map((link) => label(link.${o.rightRelation})).sort()
  const rightWithLefts = loadedRight.${o.collection}.map((link) => label(link.${o.leftRelation})).sort()

  // Remove one link; deleting either side cascades to its links
  await links.delete({ ${o.leftKey}: l1.id, ${o.rightKey}: r2.id })
  const linksAfterRemove = await links.countBy({ ${o.leftKey}: l1.id })
  await lefts.delete(l1.id)
  const linksAfterLeftDelete = await links.countBy({ ${o.leftKey}: l1.id })
  const rowsAfterLeftDelete = await links.count()
  await rights.delete(r1.id)
  const rowsAfterRightDelete = await links.count()

  await dataSource.undoLastMigration({ transaction: 'each' })
  const tableAfterDown = await dataSource.createQueryRunner().hasTable('${o.joinEntity.table}')

  return {
    migrations,
    pending,
    leftWithRights,
    rightWithLefts,
    duplicateRejected,
    foreignKeyEnforced,
    linksAfterAppend,
    linksAfterRemove,
    linksAfterLeftDelete,
    rowsAfterLeftDelete,
    rowsAfterRightDelete,
    tableAfterUp,
    tableAfterDown,
    entities,
  }
}

${runMainOn(o.database, o.optionsExpression, url, 'JOINERY_USAGE_RESULT', o.sqliteDriver)}`;
}

/**
 * The end of a harness script: the project's DataSourceOptions pointed at the test database,
 * `main(dataSource)` run on it, its result printed as one line after `marker`.
 */
export function runMainOn(
  database: TypeormDatabase,
  optionsExpression: string,
  url: string,
  marker: string,
  sqliteDriver?: 'better-sqlite3' | 'sqlite',
): string {
  return `${database === 'pglite' ? pglitePgDriverSource() : ''}
const base = ${optionsExpression} as DataSourceOptions
const harnessDataSource = new DataSource({ ...base, ...${connectionOverride(database, url, sqliteDriver)}, synchronize: false, logging: false } as DataSourceOptions)
harnessDataSource
  .initialize()
  .then(() => main(harnessDataSource))
  .then(async (result) => {
    await harnessDataSource.destroy()
    console.log('${marker} ' + JSON.stringify(result))
  })
  .catch(async (error: unknown) => {
    if (harnessDataSource.isInitialized) await harnessDataSource.destroy().catch(() => undefined)
    console.error(error)
    process.exitCode = 1
  })
`;
}

/** Runs `work` with the URL of a fresh database (none for SQLite, which is in memory), dropped after. */
export async function withTypeormDatabase<T>(
  database: TypeormDatabase,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const created =
    database === 'postgres'
      ? await createPostgresDatabase()
      : database === 'mariadb'
        ? await createMysqlDatabase()
        : undefined;
  try {
    return await work(created?.url ?? '');
  } finally {
    await created?.drop();
  }
}

/**
 * Writes the usage script into `<dir>/.joinery-usage/`, type-checks it against the project
 * (unless `typecheck: false`) and runs it with tsx on a fresh database: in-memory better-sqlite3,
 * or a temporary database on the DATABASE_URL / MYSQL_URL server (dropped afterwards).
 */
export async function runTypeormUsage(
  dir: string,
  options: TypeormUsageOptions,
): Promise<TypeormUsageResult> {
  return withTypeormDatabase(options.database, (url) =>
    runProjectScript<TypeormUsageResult>(dir, {
      folder: '.joinery-usage',
      file: 'usage.ts',
      marker: 'JOINERY_USAGE_RESULT',
      render: (scriptDir) => renderTypeormUsageScript(options, dir, scriptDir, url),
      typecheck: options.typecheck,
      keepScript: options.keepScript,
    }),
  );
}

/**
 * `runTypeormUsage` for projects that run compiled code, as TypeORM 0.3 projects built with tsc
 * do: the script is written into `src/joinery-usage/`, the project is built with its own
 * tsconfig (`tsc -p .`, so decorators carry their metadata and `@Column()` needs no type), and the
 * compiled script runs with node from the project root, where the DataSource's `dist/...` globs
 * point. The script and the build are removed afterwards.
 */
export async function runBuiltTypeormUsage(
  dir: string,
  options: TypeormUsageOptions,
  compiled: (sourceFile: string) => string,
): Promise<TypeormUsageResult> {
  const scriptDir = join(dir, 'src', 'joinery-usage');
  const source = join(scriptDir, 'usage.ts');
  return withTypeormDatabase(options.database, async (url) => {
    try {
      await mkdir(scriptDir, { recursive: true });
      await writeFile(source, renderTypeormUsageScript(options, dir, scriptDir, url));
      const build = await execa(tscBin, ['-p', dir], { cwd: dir, reject: false });
      if (build.exitCode !== 0)
        throw new Error(`tsc -p ${dir} failed:\n${build.stdout}\n${build.stderr}`);
      const run = await execa(process.execPath, [compiled(source)], {
        cwd: dir,
        reject: false,
        env: { FORCE_COLOR: '0' },
      });
      const prefix = 'JOINERY_USAGE_RESULT ';
      const line = String(run.stdout)
        .split('\n')
        .find((l) => l.startsWith(prefix));
      if (run.exitCode !== 0 || !line)
        throw new Error(`usage failed (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
      return JSON.parse(line.slice(prefix.length)) as TypeormUsageResult;
    } finally {
      await rm(scriptDir, { recursive: true, force: true });
      await rm(join(dir, 'dist'), { recursive: true, force: true });
    }
  });
}
