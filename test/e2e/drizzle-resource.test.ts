/**
 * Plain resources (issue #7) with the built CLI on temp copies of the Drizzle fixtures: a new
 * table with uuid, uuid v7 or integer keys, belongs_to with each on-delete rule, what is missing
 * added to existing resources, idempotent re-runs, bad input; then tsc against the real
 * drizzle-orm, the migrations applied with drizzle's migrator, and the usage round trip on PGlite,
 * better-sqlite3 and (when DATABASE_URL is set) the PostgreSQL server. One generated project per
 * fixture is shared by the assertions.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrizzleKit, runJoinery, typecheck } from '../support/cli.js';
import { hasPostgres, migrateDrizzleProject } from '../support/databases.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { drizzlePgliteScript, runProjectScript } from '../support/project-script.js';
import { runResourceUsage } from '../support/resource-usage.js';

const NOTHING = { added: [], removed: [], changed: [] };

/** The issue's command, verbatim. */
const ISSUE_COMMAND = [
  'gen',
  'resource',
  'Works',
  'Event',
  '--uuid-primary-key',
  'id',
  '-a',
  'title:string:required',
  '-a',
  'starts_at:utc_datetime',
  '--timestamps',
];

const TICKETS_PG = [
  'gen',
  'resource',
  'Works.Ticket',
  '--uuid-v7-primary-key',
  'id',
  '-a',
  'code:string:required',
  '-r',
  'belongs_to:event:Works.Event:required',
  '-r',
  'belongs_to:holder:Accounts.User:on_delete_set_null',
  '--on-delete',
  'cascade',
];

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function run(dir: string, args: string[]) {
  const result = await runJoinery(dir, args);
  if (result.exitCode !== 0) throw new Error(`joinery ${args.join(' ')}:\n${result.stderr}`);
  return result;
}

describe('plain resources on drizzle-pg-domains (PGlite)', () => {
  let dir: string;
  const out: Record<string, string> = {};

  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
    // The fixture has an Event; the issue's command creates one, so start from a project without.
    await rm(path.join(dir, 'src/works/event.ts'));
    const barrel = path.join(dir, 'src/db/schema.ts');
    await writeFile(barrel, (await readFile(barrel, 'utf8')).replace(/^.*event\.js'\n/m, ''));
    await rm(path.join(dir, 'drizzle'), { recursive: true });
    const init = await runDrizzleKit(dir, ['generate', '--name', 'init']);
    expect(init.exitCode, init.stderr).toBe(0);

    out.event = (await run(dir, ISSUE_COMMAND)).stdout;
    out.organizer = (
      await run(dir, [
        'gen',
        'resource',
        'Works',
        'Event',
        '-r',
        'belongs_to:organizer:Accounts.User',
      ])
    ).stdout;
    out.tickets = (await run(dir, TICKETS_PG)).stdout;
    out.venues = (
      await run(dir, [
        'gen',
        'resource',
        'Places',
        'Venue',
        '--integer-primary-key',
        'id',
        '-a',
        'name:string:required',
      ])
    ).stdout;
    out.nickname = (
      await run(dir, ['gen', 'resource', 'Accounts', 'User', '-a', 'nickname:string'])
    ).stdout;
  });
  afterAll(() => cleanup(dir));

  it("creates the issue's Event in the domain folder, with its migration and the barrel export", async () => {
    expect(out.event).toContain('created src/works/event.ts');
    expect(out.event).toMatch(/migration drizzle\/0001_create_events_table\.sql/);
    expect(out.event).toContain('await db.insert(events).values({ title }).returning()');
    const source = await readFile(path.join(dir, 'src/works/event.ts'), 'utf8');
    expect(source).toContain("id: uuid('id').primaryKey().defaultRandom(),");
    expect(source).toContain("title: text('title').notNull(),");
    expect(source).toContain(
      "startsAt: timestamp('starts_at', { withTimezone: true, precision: 0 }),",
    );
    expect(source).toMatch(/insertedAt: timestamp\('inserted_at', \{ withTimezone: true \}\)/);
    expect(source).not.toMatch(/;\s*$/m); // the project's Prettier: no semicolons
    expect(await readFile(path.join(dir, 'src/db/schema.ts'), 'utf8')).toContain(
      "export * from '../works/event.js'",
    );
  });

  it('adds a belongs_to to the existing Event: column, index, one() and the inverse many()', async () => {
    expect(out.organizer).toContain('updated src/works/event.ts');
    expect(out.organizer).toContain('updated src/accounts/user.ts');
    expect(out.organizer).toMatch(/migration drizzle\/0002_add_organizer_id_to_events\.sql/);
    expect(out.organizer).toContain('is refused while events refer to it (restrict');
    const event = await readFile(path.join(dir, 'src/works/event.ts'), 'utf8');
    expect(event).toMatch(
      /organizerId: uuid\('organizer_id'\)\.references\(\(\) => users\.id, \{\s*onDelete: 'restrict',?\s*\}\)/,
    );
    expect(event).toContain("index('events_organizer_id_idx').on(t.organizerId)");
    expect(event).toMatch(/organizer: one\(users, \{/);
    const user = await readFile(path.join(dir, 'src/accounts/user.ts'), 'utf8');
    expect(user).toContain('events: many(events)');
    expect(user).toContain('// A user can be signed in on several devices at once'); // comments kept
    // The import groups keep their blank line.
    expect(user).toMatch(/pg-core'\n\nimport \{ events \} from '\.\.\/works\/event\.js'/);
  });

  it('creates Tickets with a uuid v7 key made in code and --on-delete for the rest', async () => {
    expect(out.tickets).toContain('created src/works/ticket.ts');
    expect(out.tickets).toContain('created src/db/uuidv7.ts');
    expect(out.tickets).toContain('Keys are uuid v7, made by src/db/uuidv7.ts');
    const ticket = await readFile(path.join(dir, 'src/works/ticket.ts'), 'utf8');
    expect(ticket).toMatch(
      /id: uuid\('id'\)\s*\.primaryKey\(\)\s*\.\$defaultFn\(\(\) => uuidv7\(\)\)/,
    );
    expect(ticket).toContain("import { uuidv7 } from '../db/uuidv7.js'");
    expect(ticket).toMatch(
      /eventId: uuid\('event_id'\)\s*\.notNull\(\)\s*\.references\(\(\) => events\.id, \{ onDelete: 'cascade' \}\)/,
    );
    expect(ticket).toMatch(
      /holderId: uuid\('holder_id'\)\.references\(\(\) => users\.id, \{\s*onDelete: 'set null',?\s*\}\)/,
    );
  });

  it('puts a new domain in a folder of its own and follows the integer key style', async () => {
    expect(out.venues).toContain('created src/places/venue.ts');
    const venue = await readFile(path.join(dir, 'src/places/venue.ts'), 'utf8');
    expect(venue).toContain("id: integer('id').primaryKey().generatedAlwaysAsIdentity(),");
    expect(await readFile(path.join(dir, 'src/db/schema.ts'), 'utf8')).toContain(
      "export * from '../places/venue.js'",
    );
  });

  it('adds an attribute to the hand-written User', async () => {
    expect(out.nickname).toMatch(/migration drizzle\/0005_add_nickname_to_users\.sql/);
    const user = await readFile(path.join(dir, 'src/accounts/user.ts'), 'utf8');
    expect(user).toContain("nickname: text('nickname'),");
    expect(user.match(/nickname:/g)).toHaveLength(1);
  });

  it('every command again changes nothing; joinery check is clean', async () => {
    const before = await snapshotTree(dir);
    for (const args of [ISSUE_COMMAND, TICKETS_PG]) {
      const again = await run(dir, args);
      expect(again.stdout).toContain('is current: nothing to change');
    }
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout + check.stderr).toContain('current');
    expect(check.exitCode).toBe(0);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(NOTHING);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const before = await snapshotTree(dir);
    const gadget = (...more: string[]) =>
      runJoinery(dir, ['gen', 'resource', 'Works', 'Gadget', ...more]);
    const noKey = await gadget('-a', 'name:string');
    expect(noKey.exitCode).toBe(2);
    expect(noKey.stderr).toContain('Works.Gadget does not exist yet');
    expect(noKey.stderr).toContain('--uuid-primary-key id');
    const unknown = await gadget('--uuid-primary-key', 'id', '-r', 'belongs_to:owner:Accounts.Usr');
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toContain('Resource Accounts.Usr not found (did you mean "User"?)');
    const setNullRequired = await gadget(
      '--uuid-primary-key',
      'id',
      '-r',
      'belongs_to:owner:Accounts.User:required:on_delete_set_null',
    );
    expect(setNullRequired.exitCode).toBe(2);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(NOTHING);
  });

  it('type-checks against the real drizzle-orm', async () => {
    const result = await typecheck(dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('the migrations create the keys, foreign keys with their rules and the indexes', async () => {
    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const events = await db.inspectTable('events');
      expect(events.columns.map((column) => column.name)).toEqual([
        'id',
        'title',
        'starts_at',
        'inserted_at',
        'updated_at',
        'organizer_id',
      ]);
      expect(events.foreignKeys).toEqual([
        { columns: ['organizer_id'], refTable: 'users', refColumns: ['id'], onDelete: 'restrict' },
      ]);
      expect(events.indexes.map((index) => index.name)).toContain('events_organizer_id_idx');
      const tickets = await db.inspectTable('tickets');
      expect(tickets.columns.find((column) => column.name === 'id')?.type).toBe('uuid');
      expect(tickets.foreignKeys.map((fk) => [fk.columns.join(), fk.onDelete]).sort()).toEqual([
        ['event_id', 'cascade'],
        ['holder_id', 'set null'],
      ]);
      const venues = await db.inspectTable('venues');
      expect(venues.columns.find((column) => column.name === 'id')?.type).toBe('integer');
      const users = await db.inspectTable('users');
      expect(users.columns.map((column) => column.name)).toContain('nickname');
    } finally {
      await db.close();
    }
  });

  const usage = {
    schemaModule: 'src/db/schema.ts',
    eventExtra: 'organizerId: u1.id',
    ticketExtra: '',
    heldTickets: 'tickets',
  };
  const expectRoundTrip = (result: Awaited<ReturnType<typeof runResourceUsage>>) => {
    expect(result).toMatchObject({
      ticketEvent: 'Launch',
      ticketHolder: 'Grace Hopper',
      eventTickets: 2,
      heldTickets: 1,
      restrictRefused: true,
      holderAfterDelete: null,
      ticketsAfterHolderDelete: 2,
      ticketsAfterEventDelete: 0,
    });
    const [first, second] = result.ticketIds as string[];
    expect(first).toMatch(UUID_V7);
    expect(second).toMatch(UUID_V7);
    expect(first! < second!).toBe(true); // time-ordered
  };

  it('round trip on PGlite: insert, load with relations, restrict / set null / cascade', async () => {
    expectRoundTrip(await runResourceUsage(dir, { dialect: 'pglite', ...usage }));
  });

  // Needs a PostgreSQL server; CI sets DATABASE_URL.
  it.runIf(hasPostgres())('round trip on the PostgreSQL server (DATABASE_URL)', async () => {
    expectRoundTrip(await runResourceUsage(dir, { dialect: 'postgres', ...usage }));
  });
});

describe('plain resources on drizzle-sqlite (better-sqlite3, casing, separate relations file)', () => {
  let dir: string;
  const out: Record<string, string> = {};
  const TICKETS_SQLITE = [
    'gen',
    'resource',
    'Works',
    'Ticket',
    '--uuid-v7-primary-key',
    'id',
    '-a',
    'code:string:required',
    '-r',
    'belongs_to:event:Works.Event:required:on_delete_cascade',
    '-r',
    'belongs_to:holder:Accounts.User:on_delete_set_null',
    '-r',
    'belongs_to:seller:Accounts.User',
    '--timestamps',
  ];

  beforeAll(async () => {
    dir = await copyFixture('drizzle-sqlite');
    out.tickets = (await run(dir, TICKETS_SQLITE)).stdout;
    out.venues = (
      await run(dir, [
        'gen',
        'resource',
        'Works',
        'Venue',
        '--uuid-primary-key',
        'id',
        '-a',
        'name:string',
      ])
    ).stdout;
    out.counter = (
      await run(dir, ['gen', 'resource', 'Works', 'Counter', '--integer-primary-key', 'id'])
    ).stdout;
  });
  afterAll(() => cleanup(dir));

  it('places tables like the project: named like siblings, no column names, relations apart', async () => {
    expect(out.tickets).toContain('created src/db/schema/tickets.ts');
    expect(out.tickets).toContain('created src/db/schema/uuidv7.ts');
    const tickets = await readFile(path.join(dir, 'src/db/schema/tickets.ts'), 'utf8');
    expect(tickets).toMatch(
      /id: text\(\)\s*\.primaryKey\(\)\s*\.\$defaultFn\(\(\) => uuidv7\(\)\)/,
    );
    expect(tickets).toMatch(/eventId: integer\(\)\s*\.notNull\(\)/);
    expect(tickets).toContain("index('tickets_seller_id_idx').on(t.sellerId)");
    expect(tickets).not.toContain('relations(');
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain('export const ticketsRelations = relations(tickets');
    // Two belongs_to to users: each pair named so drizzle can tell them apart.
    expect(relations).toMatch(
      /holderTickets: many\(tickets, \{ relationName: 'tickets_holder' \}\)/,
    );
    expect(relations).toMatch(/relationName: 'tickets_seller'/);
    expect(relations).toContain('tickets: many(tickets)');
    const barrel = await readFile(path.join(dir, 'src/db/schema/index.ts'), 'utf8');
    expect(barrel).toMatch(/export \* from '\.\/topics';\nexport \* from '\.\/tickets';/);
    const venues = await readFile(path.join(dir, 'src/db/schema/venues.ts'), 'utf8');
    expect(venues).toMatch(
      /id: text\(\)\s*\.primaryKey\(\)\s*\.\$defaultFn\(\(\) => crypto\.randomUUID\(\)\)/,
    );
    const counters = await readFile(path.join(dir, 'src/db/schema/counters.ts'), 'utf8');
    expect(counters).toContain('id: integer().primaryKey({ autoIncrement: true }),');
  });

  it('a second run changes nothing', async () => {
    const before = await snapshotTree(dir);
    expect((await run(dir, TICKETS_SQLITE)).stdout).toContain('is current: nothing to change');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(NOTHING);
  });

  it('type-checks, migrates, and the round trip runs on better-sqlite3', async () => {
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    const db = await migrateDrizzleProject(dir, 'sqlite');
    try {
      const tickets = await db.inspectTable('tickets');
      expect(tickets.foreignKeys.map((fk) => [fk.columns.join(), fk.onDelete]).sort()).toEqual([
        ['event_id', 'cascade'],
        ['holder_id', 'set null'],
        ['seller_id', 'restrict'],
      ]);
      expect(tickets.indexes.map((index) => index.name).sort()).toEqual([
        'sqlite_autoindex_tickets_1',
        'tickets_event_id_idx',
        'tickets_holder_id_idx',
        'tickets_seller_id_idx',
      ]);
    } finally {
      await db.close();
    }
    const result = await runResourceUsage(dir, {
      dialect: 'sqlite',
      schemaModule: 'src/db/schema/index.ts',
      eventExtra: '',
      ticketExtra: 'sellerId: u1.id',
      heldTickets: 'holderTickets',
    });
    expect(result).toMatchObject({
      ticketEvent: 'Launch',
      ticketHolder: 'Grace Hopper',
      eventTickets: 2,
      heldTickets: 1,
      restrictRefused: true,
      holderAfterDelete: null,
      ticketsAfterHolderDelete: 2,
      ticketsAfterEventDelete: 0,
    });
    expect(result.ticketIds[0]).toMatch(UUID_V7);
  });
});

describe('a second belongs_to to the same destination (drizzle-pg-single: posts.author → users)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-single');
  });
  afterAll(() => cleanup(dir));

  it('names both pairs; the existing query and the new one both load on PGlite', async () => {
    const result = await run(dir, [
      'gen',
      'resource',
      'Accounts',
      'Post',
      '-r',
      'belongs_to:editor:Accounts.User',
      '--yes',
    ]);
    expect(result.stdout).toMatch(/migration drizzle\/\d+_add_editor_id_to_posts\.sql/);
    const schema = await readFile(path.join(dir, 'src/db/schema.ts'), 'utf8');
    expect(schema).toContain('posts: many(posts, { relationName: "posts_author" }),');
    expect(schema).toContain('editorPosts: many(posts, { relationName: "posts_editor" }),');
    const loaded = await runProjectScript<{ written: string[]; edited: string[]; author: string }>(
      dir,
      drizzlePgliteScript(
        dir,
        `
const [ada, grace] = await db
  .insert(schema.users)
  .values([
    { name: 'Ada', email: 'ada@example.com' },
    { name: 'Grace', email: 'grace@example.com' },
  ])
  .returning();
await db.insert(schema.posts).values({ body: 'Hello', userId: ada!.id, editorId: grace!.id });
// Before the names, Drizzle refused both: "There are multiple relations between posts and users".
const writer = await db.query.users.findFirst({
  where: (t, { eq }) => eq(t.id, ada!.id),
  with: { posts: true },
});
const editor = await db.query.users.findFirst({
  where: (t, { eq }) => eq(t.id, grace!.id),
  with: { editorPosts: true },
});
const post = await db.query.posts.findFirst({ with: { author: true, editor: true } });
report({
  written: writer!.posts.map((p) => p.body),
  edited: editor!.editorPosts.map((p) => p.body),
  author: post!.author.name + '/' + post!.editor?.name,
});
`,
      ),
    );
    expect(loaded).toEqual({ written: ['Hello'], edited: ['Hello'], author: 'Ada/Grace' });
  });
});
