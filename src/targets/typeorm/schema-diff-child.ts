/**
 * Run by `joinery check` in its own process (`node --import tsx`, in the project's root), so the
 * project's TypeScript data source, its entities and its own typeorm load as the project runs
 * them: applies the project's migrations to an empty embedded database and prints, as JSON, the
 * SQL TypeORM's own schema builder would still run (the diff `migration:generate` would write),
 * and the tables the DataSource has entities for (a recorded table without one was not compared).
 * argv: the data source file, then the database to connect to (`ChildDatabase`, JSON): options
 * that point the DataSource at it, or PGlite, which this process starts in memory and serves over
 * the Postgres wire protocol on a free local port, so the project's own `pg` driver connects.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildDatabase } from './scratch-database.js';

interface DataSourceLike {
  options: Record<string, unknown>;
  setOptions(options: Record<string, unknown>): unknown;
  initialize(): Promise<unknown>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  runMigrations(options: { transaction: 'all' | 'each' | 'none' }): Promise<unknown>;
  driver: { createSchemaBuilder(): { log(): Promise<{ upQueries: { query: string }[] }> } };
  entityMetadatas: { tableName: string }[];
  destroy(): Promise<unknown>;
}

function isDataSource(value: unknown): value is DataSourceLike {
  const candidate = value as Partial<DataSourceLike> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.setOptions === 'function' &&
    typeof candidate.runMigrations === 'function'
  );
}

interface PGliteInstance {
  close(): Promise<void>;
  dumpDataDir(compression: 'gzip'): Promise<Blob>;
}
interface PGliteModule {
  PGlite: {
    create(options: {
      extensions: Record<string, unknown>;
      loadDataDir?: Blob;
    }): Promise<PGliteInstance>;
  };
}
interface SocketModule {
  PGLiteSocketServer: new (options: {
    db: unknown;
    port: number;
    host: string;
    maxConnections: number;
  }) => { start(): Promise<void>; stop(): Promise<void>; getServerConn(): string };
}

/** PGlite in memory behind a socket server; the options that reach it, and how to stop it. */
async function servePglite(
  database: Extract<ChildDatabase, { kind: 'pglite' }>,
): Promise<{ options: Record<string, unknown>; stop(): Promise<void> }> {
  const { PGlite } = (await import(database.pglite)) as PGliteModule;
  const { PGLiteSocketServer } = (await import(database.socket)) as SocketModule;
  const extensions: Record<string, unknown> = {};
  for (const url of database.contrib) {
    Object.assign(extensions, (await import(url)) as Record<string, unknown>);
  }
  const db = await freshPglite(PGlite, extensions, await dataDirCache(database.pglite));
  // TypeORM's pool may hold a second connection (the schema builder's) beside the migrations'.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  return {
    options: {
      type: 'postgres',
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      ssl: false,
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Where an empty data directory of this PGlite version is kept: initdb is most of PGlite's start
 * (measured 21.6 s against 4.9 s for loading the saved directory, on this 2-core machine under
 * load), and every check would otherwise run it again.
 */
async function dataDirCache(pglite: string): Promise<string> {
  let version = 'unknown';
  try {
    const manifest = JSON.parse(await readFile(new URL('../package.json', pglite), 'utf8')) as {
      version?: string;
    };
    version = manifest.version ?? version;
  } catch {
    // keyed by the path alone
  }
  const key = createHash('sha256').update(`${pglite}\0${version}`).digest('hex').slice(0, 12);
  return path.join(tmpdir(), `joinery-pglite-${version}-${key}.tar.gz`);
}

/** An empty in-memory PGlite: from the saved empty data directory, else made (and saved). */
async function freshPglite(
  PGlite: PGliteModule['PGlite'],
  extensions: Record<string, unknown>,
  cache: string,
): Promise<PGliteInstance> {
  const saved = await readFile(cache).catch(() => undefined);
  if (saved) {
    try {
      return await PGlite.create({ extensions, loadDataDir: new Blob([saved]) });
    } catch {
      // unreadable (cut short, another version): made again below
    }
  }
  const db = await PGlite.create({ extensions });
  try {
    const dump = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
    // Written whole, then renamed: a concurrent check reads the old file or the new one.
    const partial = `${cache}.${process.pid}.partial`;
    await writeFile(partial, dump);
    await rename(partial, cache);
  } catch {
    // no cache this time; the next check makes it
  }
  return db;
}

/**
 * The project's data source module. A CommonJS project is loaded through `require`, with its
 * TypeScript compiled by TypeScript itself (as ts-node and tsc do, from its tsconfig's decorator
 * settings): esbuild, under tsx, emits no decorator metadata, so every untyped `@Column()` would
 * fail (`ColumnTypeUndefinedError`) although the project's own runner loads it. tsx stays
 * registered for module resolution (tsconfig paths). ESM projects load through tsx as they run.
 */
async function loadDataSourceModule(file: string): Promise<Record<string, unknown>> {
  if (!isCommonJsProject(process.cwd())) {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
  const { ts } = await import('ts-morph');
  const settings = ts.getParsedCommandLineOfConfigFile(
    path.join(process.cwd(), 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )?.options;
  const compilerOptions = {
    ...settings,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    experimentalDecorators: settings?.experimentalDecorators ?? true,
    emitDecoratorMetadata: settings?.emitDecoratorMetadata ?? true,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const extensions = (require('node:module') as { _extensions: Record<string, CompileHook> })
    ._extensions;
  const compile: CompileHook = (module, filename) => {
    const source = readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
  };
  for (const extension of ['.ts', '.cts']) extensions[extension] = compile;
  return require(file) as Record<string, unknown>;
}

type CompileHook = (
  module: { _compile(code: string, filename: string): void },
  filename: string,
) => void;

/** No `"type": "module"` in the project's package.json: its .ts files are CommonJS. */
function isCommonJsProject(root: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      type?: string;
    };
    return manifest.type !== 'module';
  } catch {
    return true;
  }
}

async function main(): Promise<void> {
  const [file, spec] = process.argv.slice(2);
  const database = JSON.parse(spec!) as ChildDatabase;
  const loaded = await loadDataSourceModule(file!);
  const dataSource = [loaded.default, ...Object.values(loaded)].find(isDataSource);
  if (!dataSource) throw new Error(`${file} exports no DataSource.`);
  const served = database.kind === 'pglite' ? await servePglite(database) : undefined;
  try {
    // A new DataSource of the project's own class, never the project's instance re-pointed:
    // drivers copy their connection options when the DataSource is made (MySQL's does), so
    // `setOptions` would leave it connected wherever the project's own options say.
    const DataSource = dataSource.constructor as new (
      options: Record<string, unknown>,
    ) => DataSourceLike;
    const scratch = new DataSource({
      ...dataSource.options,
      ...(database.kind === 'pglite' ? served!.options : database.options),
      synchronize: false,
      migrationsRun: false,
      dropSchema: false,
      logging: false,
    });
    await scratch.initialize();
    try {
      if (database.kind === 'options' && database.database) {
        await assertConnectedTo(scratch, database.database);
      }
      await createDataSourceSchema(scratch);
      await scratch.runMigrations({ transaction: 'all' });
      const sql = await scratch.driver.createSchemaBuilder().log();
      process.stdout.write(
        JSON.stringify({
          queries: sql.upQueries.map((query) => query.query),
          tables: scratch.entityMetadatas.map((metadata) => metadata.tableName),
        }),
      );
    } finally {
      await scratch.destroy();
    }
  } finally {
    await served?.stop();
  }
}

/**
 * A DataSource with `schema: 'app'` keeps TypeORM's migrations table in that schema, which
 * TypeORM does not create: on the project's database an administrator made it, so the empty
 * scratch database gets it too, as that administrator would have.
 */
async function createDataSourceSchema(dataSource: DataSourceLike): Promise<void> {
  const { type, schema } = dataSource.options;
  if (type !== 'postgres' || typeof schema !== 'string' || schema === '') return;
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
}

/** Migrations run only in the scratch database: stop before anything runs anywhere else. */
async function assertConnectedTo(dataSource: DataSourceLike, expected: string): Promise<void> {
  const type = String(dataSource.options.type);
  const sql =
    type === 'postgres' ? 'SELECT current_database() AS name' : 'SELECT DATABASE() AS name';
  const [row] = await dataSource.query(sql);
  const name = row ? String(Object.values(row)[0]) : undefined;
  if (name !== expected) {
    throw new Error(
      `connected to database ${name ?? '(none)'}, not the scratch database ${expected}; nothing was run.`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
