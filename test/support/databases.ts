import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/** Where a drizzle project's migrations are applied: embedded PGlite, better-sqlite3, or a server. */
export type DatabaseKind = 'pglite' | 'sqlite' | 'postgres';

export interface ColumnInfo {
  name: string;
  /** As the database reports it, lower-cased (e.g. `uuid`, `integer`, `character varying`). */
  type: string;
  notNull: boolean;
}

export interface ForeignKeyInfo {
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** Lower-case: `cascade`, `no action`, `restrict`, `set null`, `set default`. */
  onDelete: string;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary-key column names in key order. */
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  /** Every index, including the ones backing the primary key and unique constraints. */
  indexes: IndexInfo[];
}

export interface MigratedDatabase {
  kind: DatabaseKind;
  /** Raw SQL; placeholders are `$1` for Postgres kinds and `?` for SQLite. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** User tables (drizzle's own migrations table excluded), sorted. */
  tables(): Promise<string[]>;
  inspectTable(name: string): Promise<TableInfo>;
  /** Rows in drizzle's migrations table, i.e. how many migrations the migrator applied. */
  appliedMigrations(): Promise<number>;
  /** Closes the connection; for `postgres` also drops the temporary database. */
  close(): Promise<void>;
}

export interface MigrateOptions {
  /** Defaults to the `out` of the project's drizzle.config.ts, else `drizzle`. */
  migrationsFolder?: string;
  /** For `postgres`: the server to create a temporary database on. Defaults to DATABASE_URL. */
  databaseUrl?: string;
  /** For `sqlite`: a database file instead of an in-memory database. */
  sqliteFile?: string;
}

/** Reads `out: '...'` from a project's drizzle.config.ts; `drizzle` when absent. */
export function migrationsFolderOf(dir: string): string {
  for (const name of ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.mjs']) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const match = /\bout\s*:\s*['"`]([^'"`]+)['"`]/.exec(readFileSync(file, 'utf8'));
    if (match?.[1]) return isAbsolute(match[1]) ? match[1] : join(dir, match[1]);
  }
  return join(dir, 'drizzle');
}

/** True when a Postgres server is configured for the tests. */
export function hasPostgres(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

export interface TemporaryPostgresDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the server of `baseUrl` (default DATABASE_URL).
 * `drop()` removes it, disconnecting any client still connected.
 */
export async function createPostgresDatabase(
  baseUrl: string | undefined = process.env.DATABASE_URL,
): Promise<TemporaryPostgresDatabase> {
  if (!baseUrl) throw new Error('createPostgresDatabase: DATABASE_URL is not set');
  const name = `joinery_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

const PG_ON_DELETE: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const pgColumnsOf = (relation: string, attnums: string, alias: string) =>
  `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(${attnums}) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum) AS ${alias}`;

function postgresInspector(query: Query): Pick<MigratedDatabase, 'tables' | 'inspectTable'> {
  return {
    async tables() {
      const rows = await query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      return rows.map((r) => r.name);
    },
    async inspectTable(name) {
      const regclass = `"public"."${name.replaceAll('"', '""')}"`;
      const columns = await query<{ name: string; type: string; nullable: string }>(
        `SELECT column_name AS name, data_type AS type, is_nullable AS nullable
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
         ORDER BY ordinal_position`,
        [name],
      );
      if (columns.length === 0) throw new Error(`no table ${name}`);
      const indexes = await query<{
        name: string;
        columns: string[];
        unique: boolean;
        primary: boolean;
      }>(
        `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
                ${pgColumnsOf('ix.indrelid', 'ix.indkey::int2[]', 'columns')}
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
         WHERE ix.indrelid = $1::regclass ORDER BY i.relname`,
        [regclass],
      );
      const foreignKeys = await query<{
        columns: string[];
        ref_table: string;
        ref_columns: string[];
        on_delete: string;
      }>(
        `SELECT c.conname, c.confrelid::regclass::text AS ref_table, c.confdeltype AS on_delete,
                ${pgColumnsOf('c.conrelid', 'c.conkey', 'columns')},
                ${pgColumnsOf('c.confrelid', 'c.confkey', 'ref_columns')}
         FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = $1::regclass ORDER BY c.conname`,
        [regclass],
      );
      return {
        name,
        columns: columns.map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          notNull: c.nullable === 'NO',
        })),
        primaryKey: indexes.find((i) => i.primary)?.columns ?? [],
        foreignKeys: foreignKeys.map((f) => ({
          columns: f.columns,
          refTable: f.ref_table.replace(/^public\./, '').replaceAll('"', ''),
          refColumns: f.ref_columns,
          onDelete: PG_ON_DELETE[f.on_delete] ?? f.on_delete,
        })),
        indexes: indexes.map((i) => ({
          ...i,
          unique: Boolean(i.unique),
          primary: Boolean(i.primary),
        })),
      };
    },
  };
}

function sqliteInspector(query: Query): Pick<MigratedDatabase, 'tables' | 'inspectTable'> {
  const quote = (name: string) => `'${name.replaceAll("'", "''")}'`;
  return {
    async tables() {
      const rows = await query<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name`,
      );
      return rows.map((r) => r.name);
    },
    async inspectTable(name) {
      const columns = await query<{ name: string; type: string; notnull: number; pk: number }>(
        `PRAGMA table_info(${quote(name)})`,
      );
      if (columns.length === 0) throw new Error(`no table ${name}`);
      const fkRows = await query<{
        id: number;
        seq: number;
        table: string;
        from: string;
        to: string;
        on_delete: string;
      }>(`PRAGMA foreign_key_list(${quote(name)})`);
      const byId = new Map<number, ForeignKeyInfo>();
      for (const row of [...fkRows].sort((a, b) => a.id - b.id || a.seq - b.seq)) {
        const fk = byId.get(row.id) ?? {
          columns: [],
          refTable: row.table,
          refColumns: [],
          onDelete: row.on_delete.toLowerCase(),
        };
        fk.columns.push(row.from);
        fk.refColumns.push(row.to);
        byId.set(row.id, fk);
      }
      const indexList = await query<{ name: string; unique: number; origin: string }>(
        `PRAGMA index_list(${quote(name)})`,
      );
      const indexes: IndexInfo[] = [];
      for (const index of indexList) {
        const cols = await query<{ seqno: number; name: string }>(
          `PRAGMA index_info(${quote(index.name)})`,
        );
        indexes.push({
          name: index.name,
          columns: cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
          unique: index.unique === 1,
          primary: index.origin === 'pk',
        });
      }
      const primaryKey = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      return {
        name,
        columns: columns.map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          notNull: c.notnull === 1 || c.pk > 0,
        })),
        primaryKey,
        foreignKeys: [...byId.values()],
        indexes: indexes.sort((a, b) => (a.name < b.name ? -1 : 1)),
      };
    },
  };
}

/**
 * Applies a drizzle project's migrations folder with drizzle's own migrator on a fresh database:
 * in-memory PGlite, in-memory better-sqlite3, or a temporary database on the DATABASE_URL server.
 * Throws when a migration fails. Call `close()` on the result.
 */
export async function migrateDrizzleProject(
  dir: string,
  kind: DatabaseKind,
  options: MigrateOptions = {},
): Promise<MigratedDatabase> {
  const migrationsFolder = options.migrationsFolder ?? migrationsFolderOf(dir);

  if (kind === 'sqlite') {
    const client = new Database(options.sqliteFile ?? ':memory:');
    client.pragma('foreign_keys = ON');
    try {
      migrateSqlite(drizzleSqlite({ client }), { migrationsFolder });
    } catch (error) {
      client.close();
      throw error;
    }
    const query: Query = async <T>(sql: string, params: unknown[] = []) => {
      const statement = client.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    };
    return {
      kind,
      query,
      ...sqliteInspector(query),
      async appliedMigrations() {
        const rows = await query<{ n: number }>('SELECT count(*) AS n FROM __drizzle_migrations');
        return Number(rows[0]?.n ?? 0);
      },
      async close() {
        client.close();
      },
    };
  }

  let query: Query;
  let close: () => Promise<void>;
  if (kind === 'pglite') {
    const client = new PGlite();
    try {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    } catch (error) {
      await client.close();
      throw error;
    }
    query = async <T>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows;
    close = () => client.close();
  } else {
    const database = await createPostgresDatabase(options.databaseUrl);
    const client = new pg.Client({ connectionString: database.url });
    try {
      await client.connect();
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } catch (error) {
      await client.end().catch(() => undefined);
      await database.drop();
      throw error;
    }
    query = async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as T[];
    close = async () => {
      await client.end().catch(() => undefined);
      await database.drop();
    };
  }
  return {
    kind,
    query,
    ...postgresInspector(query),
    async appliedMigrations() {
      const rows = await query<{ n: number | string }>(
        'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
      );
      return Number(rows[0]?.n ?? 0);
    },
    close,
  };
}
