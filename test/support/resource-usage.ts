/**
 * The usage round trip of generated plain resources (Drizzle): inside a project copy, apply its
 * migrations, insert users, an event and two tickets (each ticket belongs_to an event and a
 * holder, and on SQLite a seller), load them with their relations through `db.query`, then delete
 * referenced rows to see each on-delete rule do its work: restrict refuses, set null clears the
 * key, cascade deletes.
 */
import { join } from 'node:path';

import { createPostgresDatabase, migrationsFolderOf } from './databases.js';
import { runMainReporting, runProjectScript, specifier } from './project-script.js';

export interface ResourceUsageOptions {
  dialect: 'pglite' | 'sqlite' | 'postgres';
  /** Relative to the project: the schema barrel. */
  schemaModule: string;
  /** Fields the event row gets besides its title, given the two users (`{ organizerId: u1.id }`). */
  eventExtra: string;
  /** Fields each ticket gets besides code, event and holder, given the users. */
  ticketExtra: string;
  /** The has-many on users listing the tickets a user holds: `tickets` or `holderTickets`. */
  heldTickets: string;
  typecheck?: boolean;
}

export interface ResourceUsageResult {
  /** Labels loaded through the belongs_to relations of ticket 1. */
  ticketEvent: string;
  ticketHolder: string | null;
  /** Tickets loaded through the event's has-many, and user 2's held tickets. */
  eventTickets: number;
  heldTickets: number;
  /** Deleting user 1 is refused while it is referenced under restrict. */
  restrictRefused: boolean;
  /** After deleting user 2 (set null): ticket 1's holder key, and tickets left. */
  holderAfterDelete: unknown;
  ticketsAfterHolderDelete: number;
  /** After deleting the event (cascade): tickets left. */
  ticketsAfterEventDelete: number;
  /** The tickets' ids, in insertion order. */
  ticketIds: unknown[];
}

function renderScript(
  dir: string,
  scriptDir: string,
  options: ResourceUsageOptions,
  databaseUrl: string,
): string {
  const schema = specifier(scriptDir, join(dir, options.schemaModule));
  const client = specifier(scriptDir, join(dir, 'src/db/client.ts'));
  const setup = {
    pglite: [
      `import { PGlite } from '@electric-sql/pglite'`,
      `import { migrate } from 'drizzle-orm/pglite/migrator'`,
      `import { createDb } from '${client}'`,
      `const client = new PGlite()`,
      `const db = createDb(client)`,
      `const close = () => client.close()`,
    ],
    sqlite: [
      `import Database from 'better-sqlite3'`,
      `import { migrate } from 'drizzle-orm/better-sqlite3/migrator'`,
      `import { createDb } from '${client}'`,
      `const client = new Database(':memory:')`,
      `client.pragma('foreign_keys = ON')`,
      `const db = createDb(client)`,
      `const close = async () => { client.close() }`,
    ],
    postgres: [
      `import pg from 'pg'`,
      `import { drizzle } from 'drizzle-orm/node-postgres'`,
      `import { migrate } from 'drizzle-orm/node-postgres/migrator'`,
      `const pool = new pg.Pool({ connectionString: ${JSON.stringify(databaseUrl)} })`,
      `const db = drizzle(pool, { schema })`,
      `const close = () => pool.end()`,
    ],
  }[options.dialect];
  return `// Written by joinery's test harness: plain resources, used for real.
import { count, eq } from 'drizzle-orm'
import * as schema from '${schema}'
${setup.join('\n')}

async function fails(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return false
  } catch {
    return true
  }
}

async function main() {
  await migrate(db, { migrationsFolder: ${JSON.stringify(migrationsFolderOf(dir))} })
  const [u1, u2] = await db
    .insert(schema.users)
    .values([
      { name: 'Ada Lovelace', email: 'ada@example.com' },
      { name: 'Grace Hopper', email: 'grace@example.com' },
    ])
    .returning()
  if (!u1 || !u2) throw new Error('no users')
  const [event] = await db.insert(schema.events).values({ title: 'Launch', ${options.eventExtra} }).returning()
  if (!event) throw new Error('no event')
  const [t1] = await db.insert(schema.tickets).values({ code: 'A1', eventId: event.id, holderId: u2.id, ${options.ticketExtra} }).returning()
  const [t2] = await db.insert(schema.tickets).values({ code: 'A2', eventId: event.id, ${options.ticketExtra} }).returning()
  if (!t1 || !t2) throw new Error('no tickets')

  const ticket = await db.query.tickets.findFirst({
    where: eq(schema.tickets.id, t1.id),
    with: { event: true, holder: true },
  })
  const withTickets = await db.query.events.findFirst({
    where: eq(schema.events.id, event.id),
    with: { tickets: true },
  })
  const holder = await db.query.users.findFirst({
    where: eq(schema.users.id, u2.id),
    with: { ${options.heldTickets}: true },
  })
  if (!ticket || !withTickets || !holder) throw new Error('relational query found nothing')

  const restrictRefused = await fails(() => db.delete(schema.users).where(eq(schema.users.id, u1.id)))
  await db.delete(schema.users).where(eq(schema.users.id, u2.id))
  const after = await db.query.tickets.findFirst({ where: eq(schema.tickets.id, t1.id) })
  const tickets = async () => Number((await db.select({ n: count() }).from(schema.tickets))[0]?.n ?? -1)
  const ticketsAfterHolderDelete = await tickets()
  await db.delete(schema.events).where(eq(schema.events.id, event.id))

  return {
    ticketEvent: ticket.event.title,
    ticketHolder: ticket.holder?.name ?? null,
    eventTickets: withTickets.tickets.length,
    heldTickets: holder.${options.heldTickets}.length,
    restrictRefused,
    holderAfterDelete: after?.holderId,
    ticketsAfterHolderDelete,
    ticketsAfterEventDelete: await tickets(),
    ticketIds: [t1.id, t2.id],
  }
}

${runMainReporting('JOINERY_RESOURCE_RESULT')}`;
}

export async function runResourceUsage(
  dir: string,
  options: ResourceUsageOptions,
): Promise<ResourceUsageResult> {
  const database = options.dialect === 'postgres' ? await createPostgresDatabase() : undefined;
  try {
    return await runProjectScript<ResourceUsageResult>(dir, {
      folder: '.joinery-resource-usage',
      file: 'usage.ts',
      marker: 'JOINERY_RESOURCE_RESULT',
      render: (scriptDir) => renderScript(dir, scriptDir, options, database?.url ?? ''),
      typecheck: options.typecheck ?? options.dialect !== 'postgres',
    });
  } finally {
    await database?.drop();
  }
}
