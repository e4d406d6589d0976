import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { FixtureName } from './fixture.js';
import type { DrizzleUsageOptions } from './usage.js';

/**
 * Hand-written join tables in the shape joinery is meant to generate, applied to a COPY of a
 * fixture. They let the harness (migrations + usage script) be validated without joinery, and
 * serve as a readable picture of the expected output. Never apply them to fixtures/ itself.
 */

export type RightTable = 'events' | 'tasks' | 'topics';

interface Names {
  singular: string; // event
  join: string; // userEvents
  table: string; // user_events
  key: string; // eventId
  column: string; // event_id
  relations: string; // eventsRelations
}

function namesOf(right: RightTable): Names {
  const singular = right.slice(0, -1);
  const pascal = singular[0]!.toUpperCase() + singular.slice(1);
  return {
    singular,
    join: `user${pascal}s`,
    table: `user_${singular}s`,
    key: `${singular}Id`,
    column: `${singular}_id`,
    relations: `${right}Relations`,
  };
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`handwritten join: nothing changed in ${file}`);
  await writeFile(file, after);
}

function insertAfter(text: string, anchor: string, addition: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`handwritten join: anchor not found: ${anchor}`);
  return text.slice(0, at + anchor.length) + addition + text.slice(at + anchor.length);
}

/** Adds `many(join)` to usersRelations as the first relation. */
const addManyToUsers = (text: string, n: Names) =>
  insertAfter(
    text,
    'export const usersRelations = relations(users, ({ many }) => ({',
    `\n  ${n.join}: many(${n.join}),`,
  );

async function pgDomains(dir: string, right: RightTable, n: Names): Promise<void> {
  const joinFile = `user-${n.singular}`;
  await writeFile(
    join(dir, 'src/accounts', `${joinFile}.ts`),
    `import { relations } from 'drizzle-orm'
import { index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core'

import { ${right} } from '../works/${n.singular}.js'
import { users } from './user.js'

export const ${n.join} = pgTable(
  '${n.table}',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ${n.key}: uuid('${n.column}')
      .notNull()
      .references(() => ${right}.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.${n.key}] }),
    index('${n.table}_${n.column}_idx').on(t.${n.key}),
  ],
)

export const ${n.join}Relations = relations(${n.join}, ({ one }) => ({
  user: one(users, { fields: [${n.join}.userId], references: [users.id] }),
  ${n.singular}: one(${right}, { fields: [${n.join}.${n.key}], references: [${right}.id] }),
}))
`,
  );
  await edit(join(dir, 'src/accounts/user.ts'), (t) =>
    addManyToUsers(
      insertAfter(
        t,
        "import { sessions } from './session.js'",
        `\nimport { ${n.join} } from './${joinFile}.js'`,
      ),
      n,
    ),
  );
  await edit(
    join(dir, `src/works/${n.singular}.ts`),
    (t) =>
      `import { relations } from 'drizzle-orm'\n` +
      t.replace(
        /(from 'drizzle-orm\/pg-core'\n)/,
        `$1\nimport { ${n.join} } from '../accounts/${joinFile}.js'\n`,
      ) +
      `\nexport const ${n.relations} = relations(${right}, ({ many }) => ({\n  ${n.join}: many(${n.join}),\n}))\n`,
  );
  await edit(
    join(dir, 'src/db/schema.ts'),
    (t) => t + `export * from '../accounts/${joinFile}.js'\n`,
  );
}

async function pgSingle(dir: string, right: RightTable, n: Names): Promise<void> {
  const keyType = right === 'topics' ? 'varchar' : 'integer';
  const keyCol = (column: string) =>
    keyType === 'varchar' ? `varchar("${column}", { length: 255 })` : `integer("${column}")`;
  await edit(join(dir, 'src/db/schema.ts'), (t) => {
    let out = t;
    if (!out.includes('  index,\n')) out = insertAfter(out, 'import {\n', '  index,\n');
    if (!out.includes('  primaryKey,\n'))
      out = out.replace('  serial,\n', '  primaryKey,\n  serial,\n');
    out = addManyToUsers(out, n);
    return (
      out +
      `
export const ${n.join} = createTable(
  "${n.table}",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ${n.key}: ${keyCol(n.column)}
      .notNull()
      .references(() => ${right}.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.${n.key}] }),
    index("app_${n.table}_${n.column}_idx").on(t.${n.key}),
  ],
);

export const ${n.join}Relations = relations(${n.join}, ({ one }) => ({
  user: one(users, { fields: [${n.join}.userId], references: [users.id] }),
  ${n.singular}: one(${right}, {
    fields: [${n.join}.${n.key}],
    references: [${right}.id],
  }),
}));

export const ${n.relations} = relations(${right}, ({ many }) => ({
  ${n.join}: many(${n.join}),
}));
`
    );
  });
}

async function sqlite(dir: string, right: RightTable, n: Names): Promise<void> {
  const joinFile = `user-${right}`;
  await writeFile(
    join(dir, 'src/db/schema', `${joinFile}.ts`),
    `import { index, integer, primaryKey, sqliteTable } from 'drizzle-orm/sqlite-core';

import { ${right} } from './${right}';
import { users } from './users';

export const ${n.join} = sqliteTable(
    '${n.table}',
    {
        userId: integer()
            .notNull()
            .references(() => users.id, { onDelete: 'cascade' }),
        ${n.key}: integer()
            .notNull()
            .references(() => ${right}.id, { onDelete: 'cascade' }),
    },
    (t) => [
        primaryKey({ columns: [t.userId, t.${n.key}] }),
        index('${n.table}_${n.column}_idx').on(t.${n.key}),
    ],
);
`,
  );
  await edit(join(dir, 'src/db/schema/index.ts'), (t) =>
    t.replace(
      "export * from '../relations';",
      `export * from './${joinFile}';\nexport * from '../relations';`,
    ),
  );
  await edit(join(dir, 'src/db/relations.ts'), (t) => {
    const withImports = insertAfter(
      t,
      "import { posts } from './schema/posts';",
      `\nimport { ${right} } from './schema/${right}';\nimport { ${n.join} } from './schema/${joinFile}';`,
    );
    return (
      insertAfter(
        withImports,
        'export const usersRelations = relations(users, ({ many }) => ({',
        `\n    ${n.join}: many(${n.join}),`,
      ) +
      `
export const ${n.join}Relations = relations(${n.join}, ({ one }) => ({
    user: one(users, { fields: [${n.join}.userId], references: [users.id] }),
    ${n.singular}: one(${right}, {
        fields: [${n.join}.${n.key}],
        references: [${right}.id],
    }),
}));

export const ${n.relations} = relations(${right}, ({ many }) => ({
    ${n.join}: many(${n.join}),
}));
`
    );
  });
}

/**
 * Writes the join table User<Right> by hand into a fixture copy (table, relations on both sides,
 * barrel export) and returns the `runDrizzleUsage` options that exercise it. Run
 * `drizzle-kit generate --name create_user_<right>_join_table` afterwards for the migration.
 */
export async function writeHandwrittenJoin(
  dir: string,
  fixture: FixtureName,
  right: RightTable,
): Promise<Omit<DrizzleUsageOptions, 'dialect'>> {
  const n = namesOf(right);
  if (fixture === 'drizzle-pg-domains') await pgDomains(dir, right, n);
  else if (fixture === 'drizzle-pg-single') await pgSingle(dir, right, n);
  else await sqlite(dir, right, n);
  return {
    join: n.join,
    left: 'users',
    right,
    leftKey: 'userId',
    rightKey: n.key,
    leftRelation: 'user',
    rightRelation: n.singular,
    ...(fixture === 'drizzle-pg-single' && right === 'topics'
      ? {
          rightValues: [
            { id: 'alpha', name: 'Alpha' },
            { id: 'beta', name: 'Beta' },
          ],
        }
      : {}),
  };
}
