/**
 * Drizzle on a MySQL/MariaDB server (MYSQL_URL) for the tests: a uniquely named database per
 * use, the project's migrations applied with drizzle's own mysql2 migrator, what the server then
 * reports about a table, and the printed usage run for real against the project's schema.
 */
import { join } from 'node:path';

import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';

import { migrationsFolderOf } from './databases.js';
import { runMainReporting, runProjectScript, specifier } from './project-script.js';
import { createMysqlDatabase, type TemporaryDatabase } from './typeorm-usage.js';

export { createMysqlDatabase, type TemporaryDatabase };

/**
 * The server the MySQL cases run on. They never skip: without MYSQL_URL they fail, saying what
 * they need (CI always sets it; .ci/run starts MariaDB).
 */
export function mysqlUrl(): string {
  const url = process.env.MYSQL_URL;
  if (!url) {
    throw new Error(
      'MYSQL_URL is not set: the Drizzle MySQL cases need a MariaDB or MySQL server, e.g. MYSQL_URL=mysql://root@127.0.0.1:3306/test (.ci/run starts MariaDB and sets it).',
    );
  }
  return url;
}

export interface MysqlTable {
  /** `bigint(20) unsigned`, `varchar(36)`, as the server reports them. */
  columns: Record<string, { type: string; notNull: boolean }>;
  primaryKey: string[];
  /** `user_id -> users.id on delete CASCADE`, sorted. */
  foreignKeys: string[];
  /** Non-primary indexes as `name(col, …)`, sorted. */
  indexes: string[];
}

export interface MigratedMysql {
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  inspect(table: string): Promise<MysqlTable>;
  close(): Promise<void>;
}

/** A fresh database with the project's migrations applied by drizzle's mysql2 migrator. */
export async function migrateMysqlProject(
  dir: string,
  migrationsFolder = migrationsFolderOf(dir),
): Promise<MigratedMysql> {
  const database = await createMysqlDatabase(mysqlUrl());
  const connection = await mysql.createConnection(database.url);
  try {
    await migrate(drizzle(connection), { migrationsFolder });
  } catch (error) {
    await connection.end();
    await database.drop();
    throw error;
  }
  return mysqlInspector(connection, database);
}

function mysqlInspector(connection: mysql.Connection, database: TemporaryDatabase): MigratedMysql {
  const query = async <T>(sql: string, params: unknown[] = []) =>
    (await connection.query(sql, params))[0] as T[];
  return {
    url: database.url,
    query,
    async inspect(table) {
      const columns = await query<{ name: string; type: string; nullable: string }>(
        `SELECT column_name AS name, column_type AS type, is_nullable AS nullable
         FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?
         ORDER BY ordinal_position`,
        [table],
      );
      if (columns.length === 0) throw new Error(`no table ${table}`);
      const indexes = await query<{ name: string; column: string; seq: number }>(
        `SELECT index_name AS name, column_name AS \`column\`, seq_in_index AS seq
         FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?
         ORDER BY index_name, seq_in_index`,
        [table],
      );
      const foreignKeys = await query<{
        column: string;
        refTable: string;
        refColumn: string;
        rule: string;
      }>(
        `SELECT k.column_name AS \`column\`, k.referenced_table_name AS refTable,
                k.referenced_column_name AS refColumn, r.delete_rule AS rule
         FROM information_schema.key_column_usage k
         JOIN information_schema.referential_constraints r
           ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
         WHERE k.table_schema = DATABASE() AND k.table_name = ?`,
        [table],
      );
      const byIndex = new Map<string, string[]>();
      for (const row of indexes)
        byIndex.set(row.name, [...(byIndex.get(row.name) ?? []), row.column]);
      return {
        columns: Object.fromEntries(
          columns.map((c) => [c.name, { type: c.type, notNull: c.nullable === 'NO' }]),
        ),
        primaryKey: byIndex.get('PRIMARY') ?? [],
        foreignKeys: foreignKeys
          .map((f) => `${f.column} -> ${f.refTable}.${f.refColumn} on delete ${f.rule}`)
          .sort(),
        indexes: [...byIndex]
          .filter(([name]) => name !== 'PRIMARY')
          .map(([name, cols]) => `${name}(${cols.join(', ')})`)
          .sort(),
      };
    },
    async close() {
      await connection.end().catch(() => undefined);
      await database.drop();
    },
  };
}

type Row = Record<string, unknown>;

export interface MysqlUsageOptions {
  /** The schema barrel and the module exporting `createDb(pool)`, relative to the project. */
  schemaModule: string;
  clientModule: string;
  /** Two users and two events to insert (a varchar key without default is given here). */
  users: [Row, Row];
  events: [Row, Row];
}

export interface MysqlUsageResult {
  joinTable: string;
  /** Event titles loaded through user 1, and user names loaded through event 1, sorted. */
  eventsOfUser: string[];
  usersOfEvent: string[];
  /** Links of user 1 after the printed append of both events, once more (kept, not doubled). */
  linksAfterAppendAgain: number;
  /** The same links loaded by db.query with { userEvents: true }. */
  linksLoaded: number;
  duplicateRejected: boolean;
  /** Linking a user that does not exist fails (false where the project has no foreign keys). */
  foreignKeyEnforced: boolean;
  linksAfterRemove: number;
  /** Links of user 1 after deleting user 1 alone: 0 with ON DELETE CASCADE. */
  linksAfterUserDelete: number;
}

/**
 * The printed usage for users ⟷ events on a fresh migrated database: create a join row, append
 * (ON DUPLICATE KEY UPDATE, twice), load both ways with db.query, remove, delete a user.
 */
export function renderMysqlUsageScript(
  dir: string,
  options: MysqlUsageOptions,
  scriptDir: string,
  url: string,
): string {
  const module = (file: string) => specifier(scriptDir, join(dir, file));
  const json = (value: unknown) => JSON.stringify(value);
  return `// Written by joinery's test harness: the printed MySQL usage, run for real.
import { and, count, eq, getTableName, inArray, sql } from 'drizzle-orm'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql from 'mysql2/promise'
import { createDb } from '${module(options.clientModule)}'
import { events, userEvents, users } from '${module(options.schemaModule)}'

const pool = mysql.createPool(${json(url)})
const db = createDb(pool)
const close = () => pool.end()

async function fails(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return false
  } catch {
    return true
  }
}

// No RETURNING in MySQL: insert, then read each row back by its given id or the one drizzle reports.
async function insertUsers(values: (typeof users.$inferInsert)[]) {
  const returned = (await db.insert(users).values(values).$returningId()) as { id?: unknown }[]
  const ids = values.map((v, i) => (v.id ?? returned[i]?.id) as (typeof users.$inferSelect)['id'])
  return Promise.all(ids.map(async (id) => (await db.select().from(users).where(eq(users.id, id)))[0]!))
}
async function insertEvents(values: (typeof events.$inferInsert)[]) {
  const returned = (await db.insert(events).values(values).$returningId()) as { id?: unknown }[]
  const ids = values.map((v, i) => (v.id ?? returned[i]?.id) as (typeof events.$inferSelect)['id'])
  return Promise.all(ids.map(async (id) => (await db.select().from(events).where(eq(events.id, id)))[0]!))
}

async function main() {
  await migrate(db, { migrationsFolder: ${json(migrationsFolderOf(dir))} })
  const [u1, u2] = await insertUsers(${json(options.users)})
  const [e1, e2] = await insertEvents(${json(options.events)})
  if (!u1 || !u2 || !e1 || !e2) throw new Error('insert found no rows')
  const userId = u1.id
  const eventIds = [e1.id, e2.id]

  // Create a join row
  await db.insert(userEvents).values({ userId, eventId: e1.id })
  await db.insert(userEvents).values({ userId: u2.id, eventId: e1.id })
  // Append events (Ash's type: :append): existing links are kept, as printed
  for (let i = 0; i < 2; i++) {
    await db
      .insert(userEvents)
      .values(eventIds.map((eventId) => ({ userId, eventId })))
      .onDuplicateKeyUpdate({ set: { userId: sql\`\${userEvents.userId}\` } })
  }
  const linksOf = async (id: typeof userId) =>
    Number((await db.select({ n: count() }).from(userEvents).where(eq(userEvents.userId, id)))[0]?.n ?? -1)
  const linksAfterAppendAgain = await linksOf(userId)
  const duplicateRejected = await fails(() => db.insert(userEvents).values({ userId, eventId: e1.id }))
  const missing = (typeof userId === 'number' ? 987654321 : 'no-such-user') as typeof userId
  const foreignKeyEnforced = await fails(() => db.insert(userEvents).values({ userId: missing, eventId: e2.id }))
  await db.delete(userEvents).where(eq(userEvents.userId, missing))

  // Load a user's events and an event's users through the join, as printed
  const eventsOfUser = await db
    .select({ event: events })
    .from(userEvents)
    .innerJoin(events, eq(events.id, userEvents.eventId))
    .where(eq(userEvents.userId, userId))
    .then((rows) => rows.map((row) => row.event.title).sort())
  const usersOfEvent = await db
    .select({ user: users })
    .from(userEvents)
    .innerJoin(users, eq(users.id, userEvents.userId))
    .where(eq(userEvents.eventId, e1.id))
    .then((rows) => rows.map((row) => String(row.user.name)).sort())
  // and one level of db.query, which MariaDB runs in the planetscale mode the clients use
  const withLinks = await db.query.users.findFirst({ where: (t, { eq }) => eq(t.id, userId), with: { userEvents: true } })
  const linksLoaded = withLinks?.userEvents.length ?? -1

  // Remove events from the user (the events themselves stay)
  await db.delete(userEvents).where(and(eq(userEvents.userId, userId), inArray(userEvents.eventId, [e2.id])))
  const linksAfterRemove = await linksOf(userId)

  await db.delete(users).where(eq(users.id, userId))
  const linksAfterUserDelete = await linksOf(userId)

  return {
    joinTable: getTableName(userEvents),
    eventsOfUser,
    usersOfEvent,
    linksAfterAppendAgain,
    linksLoaded,
    duplicateRejected,
    foreignKeyEnforced,
    linksAfterRemove,
    linksAfterUserDelete,
  }
}

${runMainReporting('JOINERY_MYSQL_USAGE')}`;
}

/** Runs the printed usage inside the project copy on a temporary database (dropped after). */
export async function runMysqlUsage(
  dir: string,
  options: MysqlUsageOptions,
): Promise<MysqlUsageResult> {
  const database = await createMysqlDatabase(mysqlUrl());
  try {
    return await runProjectScript<MysqlUsageResult>(dir, {
      folder: '.joinery-mysql',
      file: 'usage.ts',
      marker: 'JOINERY_MYSQL_USAGE',
      render: (scriptDir) => renderMysqlUsageScript(dir, options, scriptDir, database.url),
    });
  } finally {
    await database.drop();
  }
}
