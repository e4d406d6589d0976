/**
 * The transforms that grow an existing join resource: `before → after`, and a second run changes
 * nothing. The user's own code in the file is kept as it is.
 */
import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import { addTableColumns } from '../../src/targets/drizzle/transforms/add-table-columns.js';
import { ensureJoinConstraints } from '../../src/targets/drizzle/transforms/ensure-join-constraints.js';
import { addEntityColumns } from '../../src/targets/typeorm/transforms/add-entity-columns.js';
import { addKeyIndex } from '../../src/targets/typeorm/transforms/add-key-index.js';

function doTest(before: string, transform: (file: SourceFile) => unknown, after: string): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/join.ts', before);
  transform(file);
  expect(file.getFullText()).toBe(after);
  transform(file);
  expect(file.getFullText()).toBe(after);
}

const drizzleJoin = `export const userEvents = pgTable(
  'user_events',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.eventId] }), index('user_events_event_id_idx').on(t.eventId)],
);

// mine: a helper the user added
export const isOwner = (row: { role: string | null }) => row.role === 'owner';
`;

const constraints = {
  table: 'userEvents',
  sourceKey: 'userId',
  targetKey: 'eventId',
  indexName: 'user_events_event_id_idx',
  references: {
    userId: ".references(() => users.id, { onDelete: 'cascade' })",
    eventId: ".references(() => events.id, { onDelete: 'cascade' })",
  },
};

describe('addTableColumns', () => {
  it('adds the missing columns after the last one and keeps the rest of the file', () => {
    doTest(
      drizzleJoin,
      (file) =>
        addTableColumns(file, 'userEvents', [
          { key: 'role', expression: "text('role').notNull()" },
          { key: 'userId', expression: 'never()' },
        ]),
      drizzleJoin.replace(
        "{ onDelete: 'cascade' }),\n  },",
        "{ onDelete: 'cascade' }),\n    role: text('role').notNull()\n  },",
      ),
    );
  });

  it("reads a column callback's object too, and says 'missing' when there is no such table", () => {
    doTest(
      "export const t = sqliteTable('t', (c) => ({\n  a: c.integer(),\n}));\n",
      (file) => addTableColumns(file, 't', [{ key: 'b', expression: 'c.text()' }]),
      "export const t = sqliteTable('t', (c) => ({\n  a: c.integer(),\n  b: c.text()\n}));\n",
    );
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile(
      '/x.ts',
      'export const a = 1;\n',
    );
    expect(addTableColumns(file, 'userEvents', [])).toEqual({
      status: 'missing',
      anchor: 'the columns object of userEvents',
    });
  });
});

describe('ensureJoinConstraints', () => {
  it('changes nothing on a complete join table', () => {
    doTest(drizzleJoin, (file) => ensureJoinConstraints(file, constraints), drizzleJoin);
  });

  it('puts back a removed index, primary key and foreign key', () => {
    const damaged = drizzleJoin
      .replace(", index('user_events_event_id_idx').on(t.eventId)", '')
      .replace('primaryKey({ columns: [t.userId, t.eventId] })', '')
      .replace(".references(() => events.id, { onDelete: 'cascade' })", '');
    let result: unknown;
    doTest(
      damaged,
      (file) => (result ??= ensureJoinConstraints(file, constraints)),
      damaged
        .replace(
          "eventId: uuid('event_id').notNull(),",
          "eventId: uuid('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),",
        )
        .replace(
          '(t) => [],',
          "(t) => [primaryKey({ columns: [t.userId, t.eventId] }), index('user_events_event_id_idx').on(t.eventId)],",
        ),
    );
    expect(result).toEqual({
      status: 'added',
      added: ['foreign key eventId', 'primary key', 'index user_events_event_id_idx'],
    });
  });

  it('adds the extra-config callback when the table has none', () => {
    doTest(
      "export const userEvents = pgTable('user_events', {\n  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),\n  eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }),\n});\n",
      (file) => ensureJoinConstraints(file, constraints),
      "export const userEvents = pgTable('user_events', {\n  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),\n  eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }),\n}, (t) => [primaryKey({ columns: [t.userId, t.eventId] }), index('user_events_event_id_idx').on(t.eventId)]);\n",
    );
  });

  it('adds what is missing to the old object form, as a property named after it', () => {
    doTest(
      "export const userEvents = pgTable('user_events', { userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }), eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }) }, (table) => ({ pk: primaryKey(table.userId, table.eventId) }));\n",
      (file) => ensureJoinConstraints(file, constraints),
      "export const userEvents = pgTable('user_events', { userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }), eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }) }, (table) => ({ pk: primaryKey(table.userId, table.eventId),\n  userEventsEventIdIdx: index('user_events_event_id_idx').on(table.eventId)\n}));\n",
    );
  });

  it('reports a missing anchor for an extra config it cannot read, rather than guessing', () => {
    const file = new Project({ useInMemoryFileSystem: true }).createSourceFile(
      '/x.ts',
      "export const userEvents = pgTable('user_events', { userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }), eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }) }, sharedConfig);\n",
    );
    expect(ensureJoinConstraints(file, constraints)).toEqual({
      status: 'missing',
      anchor: 'the extra config of userEvents (neither an array nor an object)',
    });
  });
});

const typeormJoin = `@Entity('user_events')
export class UserEvent {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @PrimaryColumn('uuid', { name: 'event_id' })
  @Index()
  eventId!: string;

  @ManyToOne(() => User, (user) => user.userEvents, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user!: Relation<User>;

  // mine: a method the user added
  describe(): string {
    return this.userId;
  }
}
`;

describe('addEntityColumns', () => {
  it('adds @Column properties after the last column, a blank line apart, keeping user code', () => {
    doTest(
      typeormJoin,
      (file) =>
        addEntityColumns(file, 'UserEvent', [
          {
            columnName: 'role',
            property: 'role',
            decorator: 'Column',
            args: "'varchar'",
            tsType: 'string',
          },
          {
            columnName: 'joined_at',
            property: 'joinedAt',
            decorator: 'Column',
            args: "'timestamptz', { name: 'joined_at', nullable: true }",
            tsType: 'Date | null',
          },
        ]),
      typeormJoin.replace(
        '  eventId!: string;\n',
        "  eventId!: string;\n\n  @Column('varchar')\n  role!: string;\n\n  @Column('timestamptz', { name: 'joined_at', nullable: true })\n  joinedAt!: Date | null;\n",
      ),
    );
  });

  it('counts a column as present by its name option or its property', () => {
    const source = typeormJoin.replace(
      '  eventId!: string;\n',
      "  eventId!: string;\n\n  @Column('varchar', { name: 'role' })\n  myRole!: string;\n",
    );
    doTest(
      source,
      (file) =>
        addEntityColumns(file, 'UserEvent', [
          {
            columnName: 'role',
            property: 'role',
            decorator: 'Column',
            args: "'varchar'",
            tsType: 'string',
          },
          {
            columnName: 'user_id',
            property: 'userId',
            decorator: 'Column',
            args: "'uuid'",
            tsType: 'string',
          },
        ]),
      source,
    );
  });
});

describe('addKeyIndex', () => {
  it('puts @Index() back under the second key, and leaves an existing one', () => {
    const without = typeormJoin.replace('  @Index()\n', '');
    doTest(without, (file) => addKeyIndex(file, 'UserEvent', 'eventId'), typeormJoin);
    doTest(typeormJoin, (file) => addKeyIndex(file, 'UserEvent', 'eventId'), typeormJoin);
  });

  it('accepts a class-level @Index naming the key first', () => {
    const classLevel = typeormJoin
      .replace('  @Index()\n', '')
      .replace("@Entity('user_events')", "@Entity('user_events')\n@Index(['eventId'])");
    doTest(classLevel, (file) => addKeyIndex(file, 'UserEvent', 'eventId'), classLevel);
  });
});
