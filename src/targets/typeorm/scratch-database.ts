/**
 * The empty database `joinery check` applies a TypeORM project's migrations to, by the project's
 * driver type:
 *
 * - SQLite: an in-memory better-sqlite3 database.
 * - PostgreSQL: with `DATABASE_URL` set, a scratch database created on that server for this run
 *   (a name of its own, dropped afterwards, also when the run fails or is interrupted, and left
 *   behind only by a kill no process can catch; the next run on the same machine drops those);
 *   without it, PGlite in memory, served over the Postgres wire protocol by
 *   `@electric-sql/pglite-socket` so the project's own `pg` driver connects to it.
 * - MySQL/MariaDB: with `MYSQL_URL` set, a scratch database on that server likewise; without it,
 *   a note (there is no embedded MySQL).
 *
 * The server databases are created and dropped here, with the project's own driver (`pg`,
 * `mysql2`), not in the child that runs TypeORM: a child that times out or crashes cannot leave
 * its database behind. PGlite, in contrast, lives and dies inside the child.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes, createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode } from '../../errors.js';
import type { Project } from '../../project/project.js';

/** What the child is told to connect to. */
export type ChildDatabase =
  | {
      kind: 'options';
      options: Record<string, unknown>;
      /** A server's scratch database: the child checks it is connected there before it runs anything. */
      database?: string;
    }
  /** Module URLs the child loads PGlite and its socket server from. */
  | { kind: 'pglite'; pglite: string; socket: string; contrib: string[] };

export interface ScratchDatabase {
  /** As `--verbose` and messages name it: `a scratch database joinery_check_… on 127.0.0.1:5432`. */
  label: string;
  child: ChildDatabase;
  /**
   * Aborted when SIGINT/SIGTERM arrives while a server's scratch database exists (check holds no
   * lock, so the signal would otherwise end the process at once and leave the database behind):
   * whoever runs on it stops, the database is dropped, then the process exits 130/143.
   */
  interrupted: AbortSignal;
  /** Drops the scratch database (nothing for embedded ones); safe to call twice. */
  dispose(): Promise<void>;
}

const SQLITE_LABEL = 'an in-memory SQLite database (better-sqlite3)';
const PGLITE_LABEL = 'PGlite (in memory, over the Postgres wire protocol)';
const PREFIX = 'joinery_check_';

/** The scratch database for a driver type, or a note saying why there is none. */
export async function openScratchDatabase(
  project: Project,
  driverType: string | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<ScratchDatabase | { note: string }> {
  if (driverType === 'better-sqlite3' || driverType === 'sqlite') {
    return embedded(SQLITE_LABEL, {
      kind: 'options',
      options: { type: 'better-sqlite3', database: ':memory:' },
    });
  }
  if (driverType === 'postgres') {
    if (env.DATABASE_URL) return serverDatabase(project, 'postgres', env.DATABASE_URL);
    const modules = pgliteModules(project);
    if (!modules) {
      return {
        note: 'TypeORM schema diff not run: set DATABASE_URL to run it on a scratch database of that Postgres server, or install @electric-sql/pglite and @electric-sql/pglite-socket (dev dependencies) to run it on PGlite; the migrations were checked against their recorded checksums.',
      };
    }
    return embedded(PGLITE_LABEL, { kind: 'pglite', ...modules });
  }
  if (driverType === 'mysql' || driverType === 'mariadb') {
    if (env.MYSQL_URL) return serverDatabase(project, driverType, env.MYSQL_URL);
    return {
      note: `TypeORM schema diff not run: set MYSQL_URL to a MySQL/MariaDB server (\`mysql://user@host:3306/db\`) and joinery check applies the migrations to a scratch database there (there is no embedded MySQL); the migrations were checked against their recorded checksums.`,
    };
  }
  return {
    note: `TypeORM schema diff not run: ${driverType ?? 'this'} projects are not applied to a database yet; the migrations were checked against their recorded checksums.`,
  };
}

function embedded(label: string, child: ChildDatabase): ScratchDatabase {
  return {
    label,
    child,
    interrupted: new AbortController().signal,
    dispose: async () => undefined,
  };
}

/** From before the database exists until it is dropped: a signal drops it, then exits. */
function dropOnSignal(drop: () => Promise<void>): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  const on = (code: number) => () => {
    controller.abort();
    void drop().finally(() => process.exit(code));
  };
  const handlers = { SIGINT: on(ExitCode.interrupted), SIGTERM: on(ExitCode.terminated) };
  process.once('SIGINT', handlers.SIGINT);
  process.once('SIGTERM', handlers.SIGTERM);
  return {
    signal: controller.signal,
    stop() {
      process.off('SIGINT', handlers.SIGINT);
      process.off('SIGTERM', handlers.SIGTERM);
    },
  };
}

/** Resolves a module from the project first, then from joinery's own install. */
function resolveModule(project: Project, specifier: string): string | undefined {
  for (const base of [path.join(project.root, 'package.json'), import.meta.url]) {
    try {
      return pathToFileURL(createRequire(base).resolve(specifier)).href;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

function pgliteModules(
  project: Project,
): { pglite: string; socket: string; contrib: string[] } | undefined {
  const pglite = resolveModule(project, '@electric-sql/pglite');
  const socket = resolveModule(project, '@electric-sql/pglite-socket');
  if (!pglite || !socket) return undefined;
  // Migrations that create uuid defaults ask for one of these; PGlite ships them as contrib,
  // beside the entry `require` resolved (the CommonJS build, like the socket server's).
  const contrib = ['uuid_ossp', 'pgcrypto']
    .map((name) => new URL(`./contrib/${name}.cjs`, pglite))
    .filter((url) => existsSync(fileURLToPath(url)))
    .map((url) => url.href);
  return { pglite, socket, contrib };
}

/** A short tag of this machine, so a sweep only drops what this machine left behind. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

/** `joinery_check_<host>_<pid>_<random>`: 63 characters at most, as Postgres allows. */
function scratchName(): string {
  return `${PREFIX}${HOST}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Whether a process of this machine is still running (so its scratch database is in use). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names of scratch databases that a run on this machine left behind (killed before it dropped them). */
function leftBehind(names: string[]): string[] {
  return names.filter((name) => {
    const match = new RegExp(`^${PREFIX}${HOST}_(\\d+)_[0-9a-f]{8}$`).exec(name);
    return match !== null && !alive(Number(match[1]));
  });
}

interface AdminConnection {
  query(sql: string): Promise<Record<string, unknown>[]>;
  end(): Promise<void>;
}

type ServerKind = 'postgres' | 'mysql' | 'mariadb';

async function connectAdmin(
  project: Project,
  kind: ServerKind,
  url: string,
): Promise<AdminConnection> {
  const require = createRequire(path.join(project.root, 'package.json'));
  if (kind === 'postgres') {
    const pg = require('pg') as {
      Client: new (options: { connectionString: string }) => {
        connect(): Promise<void>;
        query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
        end(): Promise<void>;
      };
    };
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return { query: async (sql) => (await client.query(sql)).rows, end: () => client.end() };
  }
  const mysql = require('mysql2/promise') as {
    createConnection(url: string): Promise<{
      query(sql: string): Promise<[unknown, unknown]>;
      end(): Promise<void>;
    }>;
  };
  const connection = await mysql.createConnection(url);
  return {
    query: async (sql) => {
      const [rows] = await connection.query(sql);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    end: () => connection.end(),
  };
}

const quoted = (kind: ServerKind, name: string) =>
  kind === 'postgres' ? `"${name}"` : `\`${name}\``;

async function dropDatabase(admin: AdminConnection, kind: ServerKind, name: string) {
  if (kind !== 'postgres') {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(kind, name)}`);
    return;
  }
  try {
    // FORCE (Postgres 13+) ends a connection the killed child may have left open.
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(kind, name)} WITH (FORCE)`);
  } catch {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted(kind, name)}`);
  }
}

async function serverDatabase(
  project: Project,
  kind: ServerKind,
  baseUrl: string,
): Promise<ScratchDatabase | { note: string }> {
  const variable = kind === 'postgres' ? 'DATABASE_URL' : 'MYSQL_URL';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { note: `TypeORM schema diff not run: ${variable} is not a URL.` };
  }
  const server = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  let admin: AdminConnection;
  try {
    admin = await connectAdmin(project, kind, baseUrl);
  } catch (error) {
    return {
      note: `TypeORM schema diff not run: could not connect to ${variable} (${server}): ${(error as Error).message}`,
    };
  }
  const name = scratchName();
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= (async () => {
      try {
        await dropDatabase(admin, kind, name);
      } finally {
        await admin.end().catch(() => undefined);
      }
    })();
    return dropped;
  };
  // Watched before CREATE DATABASE: the database may exist before the server answers.
  const watch = dropOnSignal(drop);
  try {
    const listing =
      kind === 'postgres'
        ? await admin.query(
            `SELECT datname AS name FROM pg_database WHERE datname LIKE '${PREFIX}%'`,
          )
        : await admin.query(`SHOW DATABASES LIKE '${PREFIX}%'`);
    const names = listing.map((row) => String(Object.values(row)[0]));
    for (const stale of leftBehind(names)) await dropDatabase(admin, kind, stale);
    await admin.query(`CREATE DATABASE ${quoted(kind, name)}`);
  } catch (error) {
    watch.stop();
    await admin.end().catch(() => undefined);
    return {
      note: `TypeORM schema diff not run: could not create a scratch database on ${variable} (${server}): ${(error as Error).message}`,
    };
  }
  const scratch = new URL(url.href);
  scratch.pathname = `/${name}`;
  return {
    label: `a scratch database ${name} on ${variable} (${server})`,
    child: { kind: 'options', options: { type: kind, url: scratch.href }, database: name },
    interrupted: watch.signal,
    async dispose() {
      try {
        await drop();
      } finally {
        watch.stop();
      }
    },
  };
}
