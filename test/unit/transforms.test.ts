import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { addManyRelation } from '../../src/targets/drizzle/transforms/add-many-relation.js';
import { addReexport } from '../../src/targets/drizzle/transforms/add-reexport.js';
import {
  addJoinRowRelations,
  addThroughRelation,
  ensureInRelationsSchema,
  findDefineRelations,
} from '../../src/targets/drizzle/transforms/add-through-relations.js';
import { ensureImport } from '../../src/transforms/ensure-import.js';
import { mergeModule } from '../../src/targets/drizzle/transforms/merge-module.js';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';

/** Applies `transform` to `before`; expects `after`, and that a second run changes nothing. */
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

const many = { table: 'users', property: 'userEvents', target: 'userEvents' };

describe('addManyRelation', () => {
  it.each([
    [
      'adds many() beside existing relations, keeping comments',
      `export const usersRelations = relations(users, ({ many }) => ({
    // sign-in sessions
    sessions: many(sessions),
}));
`,
      `export const usersRelations = relations(users, ({ many }) => ({
    // sign-in sessions
    sessions: many(sessions),
    userEvents: many(userEvents)
}));
`,
    ],
    [
      'adds many to the destructured helpers',
      `export const usersRelations = relations(users, ({ one }) => ({
    profile: one(profiles),
}));
`,
      `export const usersRelations = relations(users, ({ one, many }) => ({
    profile: one(profiles),
    userEvents: many(userEvents)
}));
`,
    ],
    [
      'uses helpers.many for a named helpers parameter',
      `export const usersRelations = relations(users, (h) => ({ profile: h.one(profiles) }));
`,
      `export const usersRelations = relations(users, (h) => ({ profile: h.one(profiles),
  userEvents: h.many(userEvents)
}));
`,
    ],
    [
      'handles a block body with return',
      `export const usersRelations = relations(users, ({ many }) => {
    return { posts: many(posts) };
});
`,
      `export const usersRelations = relations(users, ({ many }) => {
    return { posts: many(posts),
        userEvents: many(userEvents)
    };
});
`,
    ],
    [
      'keeps an aliased many',
      `export const usersRelations = relations(users, ({ many: hasMany }) => ({}));
`,
      `export const usersRelations = relations(users, ({ many: hasMany }) => ({
  userEvents: hasMany(userEvents)
}));
`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, (file) => addManyRelation(file, many), after);
  });

  it('changes nothing when the property is there', () => {
    const text = `export const usersRelations = relations(users, ({ many }) => ({ userEvents: many(userEvents) }));\n`;
    doTest(
      text,
      (file) => expect(addManyRelation(file, many)).toEqual({ status: 'present' }),
      text,
    );
  });

  it('reports missing when the table has no relations()', () => {
    const text = `export const eventsRelations = relations(events, ({ many }) => ({}));\n`;
    doTest(
      text,
      (file) =>
        expect(addManyRelation(file, many)).toEqual({
          status: 'missing',
          anchor: 'the object returned by relations(users, ...)',
        }),
      text,
    );
  });
});

describe('ensureImport (drizzle cases)', () => {
  it.each([
    [
      'adds a new import',
      `const a = 1;\n`,
      `import { userEvents } from './user-event.js';\n\nconst a = 1;\n`,
    ],
    [
      'extends a sorted import of the same module in order',
      `import { x } from './user-event.js';\n`,
      `import { userEvents, x } from './user-event.js';\n`,
    ],
    [
      'appends to an unsorted import',
      `import { z, a } from './user-event.js';\n`,
      `import { z, a, userEvents } from './user-event.js';\n`,
    ],
    [
      'changes nothing when imported from another specifier',
      `import { userEvents } from '@/accounts/user-event';\n`,
      `import { userEvents } from '@/accounts/user-event';\n`,
    ],
    [
      'changes nothing when declared locally',
      `export const userEvents = 1;\n`,
      `export const userEvents = 1;\n`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, (file) => ensureImport(file, './user-event.js', 'userEvents'), after);
  });
});

describe('addReexport', () => {
  it.each([
    [
      'adds the re-export after its sibling',
      `export * from './user.js';\nexport * from './event.js';\n`,
      `export * from './user.js';\nexport * from './user-event.js';\nexport * from './event.js';\n`,
    ],
    [
      'appends when the sibling is absent',
      `export * from './x.js';\n`,
      `export * from './x.js';\nexport * from './user-event.js';\n`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, (file) => addReexport(file, './user-event.js', './user.js'), after);
  });
});

describe('mergeModule', () => {
  const rendered = `import { index, pgTable } from 'drizzle-orm/pg-core';
import { users } from './schema';

/** the join */
export const userEvents = pgTable('user_events', {});
`;

  it('merges imports and appends declarations the file lacks, once', () => {
    doTest(
      `import { pgTable, uuid } from 'drizzle-orm/pg-core';\n\nexport const users = pgTable('users', {});\n`,
      (file) => mergeModule(file, rendered),
      `import { index, pgTable, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable('users', {});

/** the join */
export const userEvents = pgTable('user_events', {});
`,
    );
  });
});

describe('addThroughRelation (drizzle-orm 1.x)', () => {
  const relation = {
    join: 'userEvents',
    from: { table: 'users', key: 'id', joinKey: 'userId' },
    to: { table: 'events', key: 'id', joinKey: 'eventId' },
    property: 'events',
  };

  it('adds the through relation to an existing table entry', () => {
    doTest(
      `export const relations = defineRelations(schema, (r) => ({
  users: {
    posts: r.many.posts(),
  },
}));
`,
      (file) => addThroughRelation(file, relation),
      `export const relations = defineRelations(schema, (r) => ({
  users: {
    posts: r.many.posts(),
    events: r.many.events({ from: r.users.id.through(r.userEvents.userId), to: r.events.id.through(r.userEvents.eventId) })
  },
}));
`,
    );
  });

  it('creates the table entry when absent', () => {
    doTest(
      `export const relations = defineRelations(schema, (r) => ({}));
`,
      (file) => addThroughRelation(file, relation),
      `export const relations = defineRelations(schema, (r) => ({
  users: {
    events: r.many.events({ from: r.users.id.through(r.userEvents.userId), to: r.events.id.through(r.userEvents.eventId) })
  }
}));
`,
    );
  });

  it('lists the join table in an explicit schema object', () => {
    doTest(
      `export const relations = defineRelations({ users, events }, (r) => ({}));
`,
      (file) => ensureInRelationsSchema(findDefineRelations(file)!, 'userEvents'),
      `export const relations = defineRelations({ users, events,
  userEvents
}, (r) => ({}));
`,
    );
  });

  it('adds the plain pair for join rows with attributes', () => {
    doTest(
      `export const relations = defineRelations(schema, (r) => ({}));
`,
      (file) =>
        addJoinRowRelations(file, {
          join: 'userEvents',
          sides: [{ table: 'users', key: 'id', joinKey: 'userId', relationship: 'user' }],
        }),
      `export const relations = defineRelations(schema, (r) => ({
  users: {
    userEvents: r.many.userEvents({ from: r.users.id, to: r.userEvents.userId })
  },
  userEvents: {
    user: r.one.users({ from: r.userEvents.userId, to: r.users.id })
  }
}));
`,
    );
  });
});
