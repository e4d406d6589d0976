/**
 * Tables whose columns come from a callback, `createTable('post', (d) => ({ id: d.integer() }))`
 * (create-t3-app's form): the scan reads their columns, keys and parameter; generated columns
 * are called on that parameter and import no builder; the key-column repair reads `d.varchar()`
 * chains as it reads `varchar()` ones. `before → after`, and a second run changes nothing.
 */
import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import {
  builderCall,
  builderImports,
  columnsParameterBeside,
} from '../../src/targets/drizzle/column-code.js';
import { parseSchemaFiles, type DrizzleTable } from '../../src/targets/drizzle/schema-model.js';
import { addColumnReferences } from '../../src/targets/drizzle/transforms/add-column-references.js';
import { ensureKeyColumns } from '../../src/targets/drizzle/transforms/ensure-key-columns.js';

/** Whitespace collapsed: ts-morph re-indents a rewritten chain, and Prettier formats it after. */
const squash = (text: string) => text.replace(/\s+(?=\.)/g, '').replace(/\s+/g, ' ');

function doTest(
  before: string,
  transform: (file: SourceFile) => unknown,
  after: string,
  normalize = (text: string) => text,
): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/schema.ts', before);
  transform(file);
  expect(normalize(file.getFullText())).toBe(normalize(after));
  transform(file);
  expect(normalize(file.getFullText())).toBe(normalize(after));
}

function tablesOf(files: Record<string, string>): DrizzleTable[] {
  return parseSchemaFiles(Object.keys(files), (file) => files[file]).tables;
}

const t3Schema = `import { index, pgTableCreator } from "drizzle-orm/pg-core";
export const createTable = pgTableCreator((name) => \`t3app_\${name}\`);
export const users = createTable("user", (d) => ({
  id: d
    .varchar({ length: 255 })
    .notNull()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  email: d.varchar({ length: 255 }).notNull(),
}));
export const posts = createTable(
  "post",
  (d) => ({
    id: d.integer().primaryKey().generatedByDefaultAsIdentity(),
    createdById: d.varchar({ length: 255 }).notNull().references(() => users.id),
  }),
  (t) => [index("created_by_idx").on(t.createdById)],
);
export const tags = createTable("tag", (columns) => {
  return { id: columns.serial().primaryKey(), label: columns.text().notNull() };
});
export const notes = createTable("note", ({ integer, text }) => ({
  id: integer().primaryKey(),
  body: text(),
}));
`;

describe('reading tables with callback columns', () => {
  const tables = tablesOf({ '/src/server/db/schema.ts': t3Schema });
  const table = (variable: string) => tables.find((candidate) => candidate.variable === variable)!;

  it('reads their columns, keys and builder options as it reads a columns object', () => {
    expect(tables.map((candidate) => [candidate.variable, candidate.name])).toEqual([
      ['users', 'user'],
      ['posts', 'post'],
      ['tags', 'tag'],
      ['notes', 'note'],
    ]);
    expect(table('users').columns).toMatchObject([
      {
        key: 'id',
        sqlName: undefined,
        builder: 'varchar',
        options: '{ length: 255 }',
        primaryKey: true,
      },
      { key: 'email', builder: 'varchar', primaryKey: false, required: true },
    ]);
    expect(table('posts').columns.map((column) => [column.key, column.builder])).toEqual([
      ['id', 'integer'],
      ['createdById', 'varchar'],
    ]);
    expect(table('posts').columns[0]).toMatchObject({ primaryKey: true, required: false });
    // A callback with a block body returns its object.
    expect(table('tags').columns.map((column) => column.key)).toEqual(['id', 'label']);
    expect(table('notes').columns.map((column) => column.builder)).toEqual(['integer', 'text']);
  });

  it("records the callback's parameter, and none for an object or a destructured parameter", () => {
    expect(tables.map((candidate) => candidate.columnsParameter)).toEqual([
      'd',
      'd',
      'columns',
      undefined,
    ]);
    const [plain] = tablesOf({
      '/a.ts': "export const a = pgTable('a', { id: integer('id').primaryKey() });\n",
    });
    expect(plain!.columnsParameter).toBeUndefined();
  });
});

describe('columns written for a callback table', () => {
  const callback = { namedColumns: true, builders: 'd' };
  const plain = { namedColumns: true, builders: undefined };

  it("calls the builder on the callback's parameter and imports nothing for it", () => {
    const varchar = { builder: 'varchar', options: '{ length: 255 }' };
    expect(builderCall(varchar, 'user_id', callback)).toBe("d.varchar('user_id', { length: 255 })");
    expect(builderCall(varchar, 'user_id', { namedColumns: false, builders: 'd' })).toBe(
      'd.varchar({ length: 255 })',
    );
    expect(builderCall(varchar, 'user_id', plain)).toBe("varchar('user_id', { length: 255 })");
    expect(builderImports(callback, 'drizzle-orm/pg-core', 'varchar', 'integer')).toEqual([]);
    expect(builderImports(plain, 'drizzle-orm/pg-core', 'varchar')).toEqual([
      ['drizzle-orm/pg-core', 'varchar'],
    ]);
  });

  it('takes the form of the tables in the same file, else of the fallback table, else the majority', () => {
    const table = (file: string, columnsParameter: string | undefined) =>
      ({ file, columnsParameter }) as DrizzleTable;
    const tables = [table('/a.ts', 'd'), table('/a.ts', 'd'), table('/b.ts', undefined)];
    expect(columnsParameterBeside(tables, '/a.ts', tables[2])).toBe('d');
    expect(columnsParameterBeside(tables, '/b.ts', tables[0])).toBeUndefined();
    expect(columnsParameterBeside(tables, '/new.ts', tables[2])).toBeUndefined();
    expect(columnsParameterBeside(tables, '/new.ts', tables[0])).toBe('d');
    expect(columnsParameterBeside(tables, '/new.ts', undefined)).toBe('d');
    expect(columnsParameterBeside([], '/new.ts', undefined)).toBeUndefined();
  });
});

const callbackJoin = `export const userPosts = createTable(
  "user_post",
  (d) => ({
    userId: d
      .varchar({ length: 255 })
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: d
      .integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
  }),
  (t) => [primaryKey({ columns: [t.userId, t.postId] })],
);
`;

const keys = [
  {
    key: 'userId',
    sqlName: undefined,
    builder: 'varchar',
    expression: 'd.varchar({ length: 255 }).notNull().references(() => users.id)',
    index: 0,
  },
  {
    key: 'postId',
    sqlName: undefined,
    builder: 'integer',
    expression: "d.integer().notNull().references(() => posts.id, { onDelete: 'cascade' })",
    index: 1,
  },
];

describe('ensureKeyColumns on a callback table', () => {
  it('changes nothing on a complete join', () => {
    doTest(callbackJoin, (file) => ensureKeyColumns(file, 'userPosts', keys), callbackJoin);
  });

  it('puts back a removed .notNull(), the cascade and a removed key column', () => {
    const damaged = callbackJoin
      .replace(
        '      .notNull()\n      .references(() => users.id, { onDelete: "cascade" })',
        '      .references(() => users.id)',
      )
      .replace(/ {4}postId: d\n[^]*?\}\),\n(?= {2}\}\))/, '');
    expect(damaged).not.toContain('postId: d');
    let result: unknown;
    doTest(
      damaged,
      (file) => (result ??= ensureKeyColumns(file, 'userPosts', keys)),
      `export const userPosts = createTable(
  "user_post",
  (d) => ({
    userId: d.varchar({ length: 255 }).notNull().references(() => users.id, { onDelete: 'cascade' }),
    postId: d.integer().notNull().references(() => posts.id, { onDelete: 'cascade' })
  }),
  (t) => [primaryKey({ columns: [t.userId, t.postId] })],
);
`,
      squash,
    );
    expect(result).toEqual({
      result: {
        status: 'added',
        added: ['not null userId', 'on delete userId', 'column postId'],
      },
      conflicts: [],
    });
  });

  it('reports another builder on the parameter as a type conflict and changes nothing', () => {
    const retyped = callbackJoin.replace(
      'postId: d\n      .integer()',
      'postId: d\n      .bigint()',
    );
    let result: ReturnType<typeof ensureKeyColumns> | undefined;
    doTest(retyped, (file) => (result ??= ensureKeyColumns(file, 'userPosts', keys)), retyped);
    expect(result?.conflicts).toEqual([
      { key: 'postId', line: 8, what: 'type', expected: 'integer', found: 'bigint' },
    ]);
  });
});

describe('addColumnReferences on a callback table', () => {
  it("adds references() to the callback's column", () => {
    doTest(
      'export const comments = createTable("comment", (d) => ({\n  postId: d.integer().notNull(),\n}));\n',
      (file) =>
        addColumnReferences(file, 'comments', {
          postId: ".references(() => posts.id, { onDelete: 'restrict' })",
        }),
      'export const comments = createTable("comment", (d) => ({\n  postId: d.integer().notNull().references(() => posts.id, { onDelete: \'restrict\' }),\n}));\n',
    );
  });
});
