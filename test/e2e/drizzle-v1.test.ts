/**
 * drizzle-orm 1.x (`defineRelations`): the built CLI adds `through` many-to-many relations on both
 * sides, drizzle-kit 1.x generates the migration, and the relational queries run on PGlite.
 * Plain resources there put their belongs_to into defineRelations() as one()/many() pairs.
 * --helpers there types its database as 1.x's PgAsyncDatabase; the helpers run both ways.
 * The 1.x packages come from test/drizzle-v1-deps (npm test installs them when missing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery, runTsx, typecheck } from '../support/cli.js';
import { cleanup, copyDrizzleV1Fixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { recordedEntries } from '../support/manifest.js';

/** Writes `source` as src/usage.ts, type-checks the project, runs it; what it printed, parsed. */
async function typecheckAndRun(dir: string, source: string): Promise<unknown> {
  await writeFile(path.join(dir, 'src/usage.ts'), source);
  const checked = await typecheck(dir);
  expect(checked.stdout + checked.stderr).toBe('');
  expect(checked.exitCode).toBe(0);
  const run = await runTsx(dir, 'src/usage.ts');
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

const USAGE = `import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

import { relations } from './db/relations.js';
import { events, userEvents, users } from './db/schema.js';
import {
  appendEventUsers,
  loadEventUsers,
  loadUserEvents,
  NotFoundError,
  removeUserEvents,
  setUserEvents,
} from './db/user-event.helpers.js';

const client = new PGlite();
const db = drizzle({ client, relations });
await migrate(db, { migrationsFolder: './drizzle' });
const [ada, grace] = await db.insert(users).values([{ name: 'Ada' }, { name: 'Grace' }]).returning();
const [alpha, beta] = await db.insert(events).values([{ title: 'Alpha' }, { title: 'Beta' }]).returning();
await db.insert(userEvents).values([
  { userId: ada!.id, eventId: alpha!.id, role: 'host' },
  { userId: ada!.id, eventId: beta!.id, role: 'guest' },
  { userId: grace!.id, eventId: alpha!.id, role: 'guest' },
]);
const loaded = await db.query.users.findFirst({
  where: { id: ada!.id },
  with: { events: true, userEvents: true, posts: true },
});
const inverse = await db.query.events.findFirst({ where: { id: alpha!.id }, with: { users: true } });
const roles = (rows: { title: string; userEvent: { role: string } }[]) =>
  rows.map((event) => event.title + ':' + event.userEvent.role).sort();
const helpers = {
  loaded: roles(await loadUserEvents(db, ada!.id)),
  loadedBack: (await loadEventUsers(db, alpha!.id)).map((user) => user.name).sort(),
  afterRemove: await removeUserEvents(db, ada!.id, [beta!.id]).then(async () => roles(await loadUserEvents(db, ada!.id))),
  afterAppend: await appendEventUsers(db, beta!.id, [grace!.id, grace!.id], { role: 'speaker' }).then(async () =>
    roles(await loadUserEvents(db, grace!.id)),
  ),
  afterSet: await setUserEvents(db, grace!.id, [beta!.id], { role: 'host' }).then(async () =>
    roles(await loadUserEvents(db, grace!.id)),
  ),
  notFound: await setUserEvents(db, grace!.id, [alpha!.id, '00000000-0000-4000-8000-000000000000'], { role: 'x' }).then(
    () => 'no error',
    (error: unknown) => (error instanceof NotFoundError ? error.resource + ' ' + error.ids.length : String(error)),
  ),
  unchanged: roles(await loadUserEvents(db, grace!.id)),
};
await db.delete(users).where(eq(users.id, ada!.id));
const left = await db.select().from(userEvents);
console.log(JSON.stringify({
  events: loaded!.events.map((event) => event.title).sort(),
  roles: loaded!.userEvents.map((link) => link.role).sort(),
  inverse: inverse!.users.map((user) => user.name).sort(),
  linksAfterDelete: left.length,
  helpers,
}));
await client.close();
`;

describe('gen resource in a drizzle-orm 1.x project (defineRelations)', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = await copyDrizzleV1Fixture();
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string:required',
      '--helpers',
    ]);
    expect(result.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(result.exitCode).toBe(0);
    stdout = result.stdout;
  });
  afterAll(() => cleanup(dir));

  it('adds through relations on both sides and keeps the existing ones', async () => {
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain('// A user writes posts');
    expect(relations).toContain('posts: r.many.posts()');
    expect(relations).toContain(
      'events: r.many.events({\n      from: r.users.id.through(r.userEvents.userId),\n      to: r.events.id.through(r.userEvents.eventId),\n    })',
    );
    expect(relations).toContain(
      'users: r.many.users({\n      from: r.events.id.through(r.userEvents.eventId),\n      to: r.users.id.through(r.userEvents.userId),\n    })',
    );
    expect(relations).toContain('user: r.one.users({ from: r.userEvents.userId, to: r.users.id })');
    expect(stdout).toMatch(/migration drizzle\/\d+_create_user_events_join_table\/migration\.sql/);
    expect(stdout).toContain('db = drizzle({ client, relations })');
    expect(stdout).toContain('created src/db/user-event.helpers.ts');
    expect(stdout).toContain('await appendUserEvents(db, userId, eventIds, { role })');
  });

  it('type-checks against drizzle-orm 1.x and the relational queries run on PGlite', async () => {
    expect(await typecheckAndRun(dir, USAGE)).toEqual({
      events: ['Alpha', 'Beta'],
      roles: ['guest', 'host'],
      inverse: ['Ada', 'Grace'],
      linksAfterDelete: 1,
      helpers: {
        loaded: ['Alpha:host', 'Beta:guest'],
        loadedBack: ['Ada', 'Grace'],
        afterRemove: ['Alpha:host'],
        afterAppend: ['Alpha:guest', 'Beta:speaker'],
        afterSet: ['Beta:speaker'],
        notFound: 'Event 1',
        unchanged: ['Beta:speaker'],
      },
    });
  });

  it('a second identical run changes nothing', async () => {
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string:required',
      '--helpers',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('is current: nothing to change');
  });
});

const VENUE = [
  'gen',
  'resource',
  'Works',
  'Venue',
  '--uuid-v7-primary-key',
  'id',
  '-a',
  'name:string:required',
  '-r',
  'belongs_to:owner:Accounts.User:required',
  '-r',
  'belongs_to:manager:Accounts.User',
  '-r',
  'belongs_to:event:Works.Event:on_delete_cascade',
];
const EVENT_HOST = ['gen', 'resource', 'Works', 'Event', '-r', 'belongs_to:host:Accounts.User'];

const RESOURCE_USAGE = `import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

import { relations } from './db/relations.js';
import { events, users, venues } from './db/schema.js';

const client = new PGlite();
const db = drizzle({ client, relations });
await migrate(db, { migrationsFolder: './drizzle' });
const [ada, grace] = await db.insert(users).values([{ name: 'Ada' }, { name: 'Grace' }]).returning();
const [alpha] = await db.insert(events).values({ title: 'Alpha', hostId: ada!.id }).returning();
const [hall] = await db
  .insert(venues)
  .values({ name: 'Hall', ownerId: ada!.id, managerId: grace!.id, eventId: alpha!.id })
  .returning();
const [yard] = await db.insert(venues).values({ name: 'Yard', ownerId: grace!.id }).returning();
const venue = await db.query.venues.findFirst({
  where: { id: hall!.id },
  with: { owner: true, manager: true, event: true },
});
// optional: false makes the owner non-null in the type: no ?. needed
const ownerName: string = venue!.owner.name;
const owners = await db.query.users.findFirst({
  where: { id: ada!.id },
  with: { ownerVenues: true, managerVenues: true, events: true },
});
const managers = await db.query.users.findFirst({ where: { id: grace!.id }, with: { managerVenues: true } });
const hosted = await db.query.events.findFirst({ where: { id: alpha!.id }, with: { host: true, venues: true } });
let restricted = false;
try {
  await db.delete(users).where(eq(users.id, grace!.id));
} catch {
  restricted = true;
}
await db.delete(events).where(eq(events.id, alpha!.id));
const left = await db.select().from(venues);
console.log(JSON.stringify({
  ownerName,
  manager: venue!.manager?.name,
  event: venue!.event?.title,
  ownerVenues: owners!.ownerVenues.map((v) => v.name),
  adaManages: owners!.managerVenues.length,
  hosts: owners!.events.map((e) => e.title),
  graceManages: managers!.managerVenues.map((v) => v.name),
  host: hosted!.host?.name,
  eventVenues: hosted!.venues.map((v) => v.name),
  restricted,
  leftAfterCascade: left.map((v) => v.name),
  v7Ordered: hall!.id < yard!.id && hall!.id[14] === '7',
}));
await client.close();
`;

describe('plain resources in a drizzle-orm 1.x project (belongs_to through defineRelations)', () => {
  let dir: string;
  let created: { stdout: string; stderr: string; exitCode: number };
  beforeAll(async () => {
    dir = await copyDrizzleV1Fixture();
    created = await runJoinery(dir, VENUE);
  });
  afterAll(() => cleanup(dir));

  it('creates the table and adds one() with its many() back, paired by alias when a target is named twice', async () => {
    expect(created.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(created.exitCode).toBe(0);
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain('posts: r.many.posts()');
    expect(relations).toMatch(
      /owner: r\.one\.users\(\{\s*from: r\.venues\.ownerId,\s*to: r\.users\.id,\s*optional: false,\s*alias: 'venues_owner',?\s*\}\)/,
    );
    expect(relations).toContain(
      "ownerVenues: r.many.venues({ from: r.users.id, to: r.venues.ownerId, alias: 'venues_owner' })",
    );
    expect(relations).toContain('event: r.one.events({ from: r.venues.eventId, to: r.events.id })');
    expect(relations).toContain(
      'venues: r.many.venues({ from: r.events.id, to: r.venues.eventId })',
    );
    const schema = await readFile(path.join(dir, 'src/db/schema.ts'), 'utf8');
    expect(schema).not.toContain('relations(');
    expect(created.stdout).toMatch(/migration drizzle\/\d+_create_venues_table\/migration\.sql/);
    expect(created.stdout).toContain('db = drizzle({ client, relations })');
    expect(created.stdout).toContain('where: { id: venue.id }');
    expect(created.stdout).toContain('Deleting an event deletes its venues');
  });

  it('grows an existing table by a belongs_to, its column, migration and relations', async () => {
    const grown = await runJoinery(dir, EVENT_HOST);
    expect(grown.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(grown.exitCode).toBe(0);
    expect(grown.stdout).toMatch(/migration drizzle\/\d+_add_host_id_to_events\/migration\.sql/);
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain('host: r.one.users({ from: r.events.hostId, to: r.users.id })');
    expect(relations).toContain('events: r.many.events({ from: r.users.id, to: r.events.hostId })');
  });

  it('type-checks against drizzle-orm 1.x; loads, restricts and cascades on PGlite', async () => {
    expect(await typecheckAndRun(dir, RESOURCE_USAGE)).toEqual({
      ownerName: 'Ada',
      manager: 'Grace',
      event: 'Alpha',
      ownerVenues: ['Hall'],
      adaManages: 0,
      hosts: ['Alpha'],
      graceManages: ['Hall'],
      host: 'Ada',
      eventVenues: ['Hall'],
      restricted: true,
      leftAfterCascade: ['Yard'],
      v7Ordered: true,
    });
  });

  it('a second run of each command changes nothing', async () => {
    for (const args of [VENUE, EVENT_HOST]) {
      const again = await runJoinery(dir, args);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toContain('is current: nothing to change');
    }
  });
});

const NAMED_USAGE = `import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

import { relations } from './db/relations.js';
import { events, userEvents, users } from './db/schema.js';

const client = new PGlite();
const db = drizzle({ client, relations });
await migrate(db, { migrationsFolder: './drizzle' });
const [ada] = await db.insert(users).values({ name: 'Ada' }).returning();
const [alpha, beta] = await db.insert(events).values([{ title: 'Alpha' }, { title: 'Beta' }]).returning();
await db.insert(userEvents).values([
  { userId: ada!.id, eventId: alpha!.id },
  { userId: ada!.id, eventId: beta!.id },
]);
const loaded = await db.query.users.findFirst({ where: { id: ada!.id }, with: { attended: true } });
const back = await db.query.events.findFirst({ where: { id: alpha!.id }, with: { users: true } });
console.log(JSON.stringify({
  attended: loaded!.attended.map((event) => event.title).sort(),
  users: back!.users.map((user) => user.name),
}));
await client.close();
`;

describe('a named many_to_many in a drizzle-orm 1.x project (-r many_to_many:attended:Works.Event)', () => {
  let dir: string;
  const args = ['gen', 'resource', 'Accounts', 'User', '-r', 'many_to_many:attended:Works.Event'];
  beforeAll(async () => {
    dir = await copyDrizzleV1Fixture();
  });
  afterAll(() => cleanup(dir));

  it('names the through relation as asked, records the name, and check finds it current', async () => {
    const result = await runJoinery(dir, args);
    expect(result.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('with: { attended: true }');
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain(
      'attended: r.many.events({\n      from: r.users.id.through(r.userEvents.userId),',
    );
    expect(relations).toContain(
      'users: r.many.users({\n      from: r.events.id.through(r.userEvents.eventId),',
    );
    expect(relations).not.toMatch(/^\s+events: r\.many\.events/m);
    const manifest = await recordedEntries(dir);
    expect(manifest['Accounts.UserEvent'].manyToManyNames).toEqual({ user: 'attended' });
    const check = await runJoinery(dir, ['check']);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    const again = await runJoinery(dir, args);
    expect(again.stdout).toContain('is current: nothing to change');
  });

  it('type-checks and loads the events through the name on PGlite', async () => {
    expect(await typecheckAndRun(dir, NAMED_USAGE)).toEqual({
      attended: ['Alpha', 'Beta'],
      users: ['Ada'],
    });
  });
});

describe('--helpers in a drizzle-orm 1.x SQLite project (drizzle-v1-sqlite)', () => {
  it('is refused with exit 2 and changes nothing: 1.x helpers are generated for Postgres only', async () => {
    const dir = await copyDrizzleV1Fixture('drizzle-v1-sqlite');
    try {
      const before = await snapshotTree(dir);
      const result = await runJoinery(dir, [
        'gen',
        'resource',
        'Accounts',
        'UserEvent',
        '--primary-key',
        'user_id,event_id',
        '--helpers',
        '--yes',
      ]);
      expect(result.stderr).toContain(
        '--helpers: relationship helpers for drizzle-orm 1.x (defineRelations) are generated for Postgres projects only',
      );
      expect(result.stderr).toContain('without --helpers');
      expect(result.exitCode).toBe(2);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    } finally {
      await cleanup(dir);
    }
  });
});
