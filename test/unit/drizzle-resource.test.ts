/**
 * Drizzle plain resources: the transforms they add (`before → after`, and a second run changes
 * nothing), then the planner on fixture copies, asserting on the change set: placement, key
 * styles, what an existing table gains, --ignore-if-exists, --conflicts replace, a second plan
 * after writing is empty, and the errors.
 */
import { genFlags } from '../support/gen-flags.js';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Project, type SourceFile } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { loadProject } from '../../src/project/project.js';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import { toResourceModel } from '../../src/resource/resource-model.js';
import { buildResourceSpec, type GenResourceFlags } from '../../src/flags/parse-flags.js';
import { planDrizzleResource } from '../../src/targets/drizzle/plan-resource.js';
import { addColumnReferences } from '../../src/targets/drizzle/transforms/add-column-references.js';
import { addManyRelation } from '../../src/targets/drizzle/transforms/add-many-relation.js';
import { addOneRelation } from '../../src/targets/drizzle/transforms/add-one-relation.js';
import { addTableIndex } from '../../src/targets/drizzle/transforms/add-table-index.js';
import { cleanup, copyFixture } from '../support/fixture.js';

function doTest(before: string, transform: (file: SourceFile) => unknown, after: string): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/schema.ts', before);
  transform(file);
  expect(file.getFullText()).toBe(after);
  transform(file);
  expect(file.getFullText()).toBe(after);
}

const organizer = {
  table: 'events',
  property: 'organizer',
  target: 'users',
  field: 'organizerId',
  reference: 'id',
};

describe('addOneRelation', () => {
  it('adds one() and the helper to an existing relations()', () => {
    doTest(
      `export const eventsRelations = relations(events, ({ many }) => ({
  tickets: many(tickets),
}));
`,
      (file) => addOneRelation(file, organizer),
      `export const eventsRelations = relations(events, ({ many, one }) => ({
  tickets: many(tickets),
  organizer: one(users, { fields: [events.organizerId], references: [users.id] })
}));
`,
    );
  });

  it('names the relation when asked, and says missing without a relations() for the table', () => {
    doTest(
      `export const eventsRelations = relations(events, ({ one }) => ({}));
`,
      (file) => addOneRelation(file, { ...organizer, relationName: 'events_organizer' }),
      `export const eventsRelations = relations(events, ({ one }) => ({
  organizer: one(users, { fields: [events.organizerId], references: [users.id], relationName: 'events_organizer' })
}));
`,
    );
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile(
      '/x.ts',
      'export const usersRelations = relations(users, () => ({}));\n',
    );
    expect(addOneRelation(file, organizer)).toEqual({
      status: 'missing',
      anchor: 'the object returned by relations(events, ...)',
    });
  });
});

describe('addManyRelation with a relationName', () => {
  it('pairs the many() with its one()', () => {
    doTest(
      `export const usersRelations = relations(users, ({ many }) => ({
  posts: many(posts),
}));
`,
      (file) =>
        addManyRelation(file, {
          table: 'users',
          property: 'holderTickets',
          target: 'tickets',
          relationName: 'tickets_holder',
        }),
      `export const usersRelations = relations(users, ({ many }) => ({
  posts: many(posts),
  holderTickets: many(tickets, { relationName: 'tickets_holder' })
}));
`,
    );
  });
});

describe('addTableIndex', () => {
  const index = { table: 'events', key: 'organizerId', name: 'events_organizer_id_idx' };

  it('creates the extra-config array when the table has none', () => {
    doTest(
      `export const events = pgTable('events', {
  organizerId: uuid('organizer_id'),
});
`,
      (file) => addTableIndex(file, index),
      `export const events = pgTable('events', {
  organizerId: uuid('organizer_id'),
}, (t) => [index('events_organizer_id_idx').on(t.organizerId)]);
`,
    );
  });

  it('appends to an existing array, under its parameter name; leaves an indexed column alone', () => {
    doTest(
      `export const events = pgTable('events', { a: text() }, (table) => [unique().on(table.a)]);
`,
      (file) => addTableIndex(file, index),
      `export const events = pgTable('events', { a: text() }, (table) => [unique().on(table.a), index('events_organizer_id_idx').on(table.organizerId)]);
`,
    );
    const indexed = `export const events = pgTable('events', { a: text() }, (t) => [index('mine').on(t.organizerId)]);
`;
    doTest(
      indexed,
      (file) => expect(addTableIndex(file, index)).toEqual({ status: 'present' }),
      indexed,
    );
  });

  it('adds a property to the old object form', () => {
    doTest(
      `export const events = pgTable('events', { a: text() }, (t) => ({ i: index('i').on(t.a) }));\n`,
      (file) => addTableIndex(file, index),
      `export const events = pgTable('events', { a: text() }, (t) => ({ i: index('i').on(t.a),\n  eventsOrganizerIdIdx: index('events_organizer_id_idx').on(t.organizerId)\n}));\n`,
    );
  });
});

describe('addColumnReferences', () => {
  it('adds references() to a column without one and leaves the others', () => {
    doTest(
      `export const events = pgTable('events', {
  organizerId: uuid('organizer_id'),
  venueId: uuid('venue_id').references(() => venues.id),
});
`,
      (file) =>
        addColumnReferences(file, 'events', {
          organizerId: ".references(() => users.id, { onDelete: 'restrict' })",
          venueId: '.never()',
          missing: '.never()',
        }),
      `export const events = pgTable('events', {
  organizerId: uuid('organizer_id').references(() => users.id, { onDelete: 'restrict' }),
  venueId: uuid('venue_id').references(() => venues.id),
});
`,
    );
  });
});

// The planner, on copies of the fixtures (it reads only; the copies let a test write a plan).

const temps: string[] = [];
afterAll(() => cleanup(...temps));

const flags = genFlags;
const OPTIONS = {
  ignoreIfExists: false,
  migration: true,
  replace: false,
  migrationName: undefined,
};

async function plan(dir: string, given: GenResourceFlags, options = OPTIONS) {
  const project = loadProject(dir);
  const changes = new ChangeSet(project.root, { read: project.readSource });
  const resource = toResourceModel(buildResourceSpec(given));
  const planned = await planDrizzleResource(project, resource, changes, options);
  const text = (file: string) => changes.read(path.join(dir, file)) ?? '';
  const changed = changes.listChanges().map((change) => changes.relative(change.file));
  return { planned, changes, changed, text };
}

async function fixture(name: string): Promise<string> {
  const dir = await copyFixture(name);
  temps.push(dir);
  return dir;
}

async function write(changes: ChangeSet): Promise<void> {
  for (const change of changes.listChanges()) {
    await mkdir(path.dirname(change.file), { recursive: true });
    await writeFile(change.file, change.after);
  }
}

describe('planDrizzleResource', () => {
  it("appends to the single schema file, through the project's table creator and identity keys", async () => {
    const dir = await fixture('drizzle-pg-single');
    const { planned, changed, text } = await plan(
      dir,
      flags(['Works', 'Venue'], {
        integerPrimaryKey: 'id',
        attributes: ['name:string:required'],
        relationships: ['belongs_to:owner:Accounts.User:required'],
      }),
    );
    expect(changed).toEqual(['src/db/schema.ts']);
    expect(planned).toMatchObject({
      existed: false,
      altersSchema: true,
      migrationName: 'create_venues_table',
    });
    const schema = text('src/db/schema.ts');
    expect(schema).toContain('export const venues = createTable(');
    expect(schema).toContain("id: integer('id').primaryKey().generatedAlwaysAsIdentity(),");
    expect(schema).toContain(
      "ownerId: integer('owner_id').notNull().references(() => users.id, { onDelete: 'restrict' }),",
    );
    expect(schema).toMatch(/posts: many\(posts\),\s*venues: many\(venues\)/);
    expect(schema).toMatch(/import \{\s*index,\s*integer,/);
  });

  it('grows an existing table by what it lacks; after writing, a second plan is empty', async () => {
    const dir = await fixture('drizzle-pg-domains');
    const given = flags(['Works', 'Event'], {
      attributes: ['title:string:required', 'capacity:integer'],
      relationships: ['belongs_to:organizer:Accounts.User'],
    });
    const first = await plan(dir, given);
    expect(first.changed.sort()).toEqual(['src/accounts/user.ts', 'src/works/event.ts']);
    expect(first.planned).toMatchObject({
      existed: true,
      altersSchema: true,
      migrationName: 'add_capacity_organizer_id_to_events',
      inverseFiles: [path.join(dir, 'src/accounts/user.ts')],
    });
    const event = first.text('src/works/event.ts');
    expect(event.match(/title:/g)).toHaveLength(1);
    expect(event).toContain("capacity: integer('capacity')");
    expect(event).toContain('export const eventsRelations = relations(events, ({ one }) => ({');
    await write(first.changes);
    const second = await plan(dir, given);
    expect(second.changed).toEqual([]);
    expect(second.planned.altersSchema).toBe(false);
  });

  it("names the foreign-key index and the migration after an existing table's own SQL name", async () => {
    const dir = await fixture('drizzle-pg-domains');
    const eventFile = path.join(dir, 'src/works/event.ts');
    const source = await readFile(eventFile, 'utf8');
    await writeFile(eventFile, source.replace("pgTable('events'", "pgTable('calendar_events'"));
    const { text, planned } = await plan(
      dir,
      flags(['Works', 'Event'], { relationships: ['belongs_to:organizer:Accounts.User'] }),
    );
    expect(text('src/works/event.ts')).toContain("index('calendar_events_organizer_id_idx')");
    expect(planned.migrationName).toBe('add_organizer_id_to_calendar_events');
  });

  it('a second belongs_to to the same destination names both pairs, so Drizzle can tell them apart', async () => {
    const dir = await fixture('drizzle-pg-single');
    const given = flags(['Accounts', 'Post'], {
      relationships: ['belongs_to:editor:Accounts.User'],
    });
    const first = await plan(dir, given);
    const schema = first.text('src/db/schema.ts');
    expect(schema).toContain("posts: many(posts, { relationName: 'posts_author' }),");
    expect(schema).toContain("editorPosts: many(posts, { relationName: 'posts_editor' })");
    expect(schema).toMatch(/author: one\(users, \{[^}]*relationName: 'posts_author'/);
    expect(schema).toMatch(/editor: one\(users, \{[^}]*relationName: 'posts_editor'/);
    expect(first.planned).toMatchObject({
      belongsTo: [expect.objectContaining({ inverse: 'editorPosts' })],
    });
    await write(first.changes);
    expect((await plan(dir, given)).changed).toEqual([]);
  });

  it('--ignore-if-exists plans nothing; --conflicts replace regenerates the table', async () => {
    const dir = await fixture('drizzle-sqlite');
    const given = flags(['Works', 'Event'], { attributes: ['title:string:required'] });
    const ignored = await plan(dir, given, { ...OPTIONS, ignoreIfExists: true });
    expect(ignored.changed).toEqual([]);
    expect(ignored.planned.existed).toBe(true);
    const replaced = await plan(
      dir,
      { ...given, integerPrimaryKey: 'id' },
      { ...OPTIONS, replace: true },
    );
    expect(replaced.changed).toEqual(['src/db/schema/events.ts']);
    expect(replaced.planned.migrationName).toBe('update_events_table');
    const events = replaced.text('src/db/schema/events.ts');
    // The file held only the table: it is rewritten whole, from the template.
    expect(events).not.toContain('startsAt');
    expect(events).toContain('id: integer().primaryKey({ autoIncrement: true }),');
  });

  it('refuses a key flag that contradicts the key an existing table has (exit 2)', async () => {
    const dir = await fixture('drizzle-pg-domains');
    await expect(
      plan(dir, flags(['Works', 'Event'], { integerPrimaryKey: 'id' })),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(
        'events exists with the key id (uuid); joinery does not change it to the integer key id',
      ),
    });
    const same = await plan(dir, flags(['Works', 'Event'], { uuidPrimaryKey: 'id' }));
    expect(same.planned.warnings).toEqual([]);
  });

  it('uses the uuid package for v7 keys when the project has it', async () => {
    const dir = await fixture('drizzle-pg-domains');
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    pkg.dependencies.uuid = '^11.0.0';
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg));
    const { planned, changed, text } = await plan(
      dir,
      flags(['Works', 'Ticket'], { uuidV7PrimaryKey: 'id' }),
    );
    expect(changed).not.toContain('src/db/uuidv7.ts');
    expect(planned.uuidv7Source).toBe("the uuid package's v7()");
    expect(text('src/works/ticket.ts')).toContain("import { v7 as uuidv7 } from 'uuid';");
  });

  it('refuses a new resource without a key (exit 2)', async () => {
    const dir = await fixture('drizzle-pg-domains');
    await expect(plan(dir, flags(['Works', 'Gadget'], {}))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('Works.Gadget does not exist yet') as unknown,
    });
  });

  it('drizzle-orm 1.x: relations go into defineRelations(), none into the table file', async () => {
    const v1 = await fixture('drizzle-v1-pg');
    const given = flags(['Works', 'Gadget'], {
      uuidPrimaryKey: 'id',
      relationships: ['belongs_to:owner:Accounts.User:required'],
    });
    const { changed, text } = await plan(v1, given);
    expect(changed.sort()).toEqual(['src/db/relations.ts', 'src/db/schema.ts']);
    expect(text('src/db/schema.ts')).not.toContain('relations(');
    const relations = text('src/db/relations.ts');
    expect(relations).toContain(
      'owner: r.one.users({ from: r.gadgets.ownerId, to: r.users.id, optional: false })',
    );
    expect(relations).toContain(
      'gadgets: r.many.gadgets({ from: r.users.id, to: r.gadgets.ownerId })',
    );
  });

  it('drizzle-orm 1.x without a defineRelations() yet: creates relations.ts listing the tables', async () => {
    const v1 = await fixture('drizzle-v1-pg');
    await rm(path.join(v1, 'src/db/relations.ts'));
    const { changed, text, planned } = await plan(
      v1,
      flags(['Works', 'Gadget'], {
        uuidPrimaryKey: 'id',
        relationships: ['belongs_to:owner:Accounts.User'],
      }),
    );
    expect(changed.sort()).toEqual(['src/db/relations.ts', 'src/db/schema.ts']);
    const relations = text('src/db/relations.ts');
    expect(relations).toMatch(/defineRelations\(\{ gadgets, users \}, \(r\) => \(\{/);
    expect(relations).toContain('owner: r.one.users({ from: r.gadgets.ownerId, to: r.users.id })');
    expect(planned.warnings).toEqual([
      'Created relations.ts with defineRelations(); pass it to drizzle({ client, relations }).',
    ]);
  });
});
