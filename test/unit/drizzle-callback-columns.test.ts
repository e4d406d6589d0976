/**
 * Tables whose columns come from a callback, `createTable('post', (d) => ({ id: d.integer() }))`
 * (create-t3-app's form): the scan reads their columns, keys and parameter; generated columns
 * are called on that parameter and import no builder; the key-column repair reads `d.varchar()`
 * chains as it reads `varchar()` ones. `before → after`, and a second run changes nothing.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Project, type SourceFile } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { loadProject } from '../../src/project/project.js';
import { toResourceModel } from '../../src/resource/resource-model.js';
import { planDrizzleJoin } from '../../src/targets/drizzle/plan-join.js';
import { planDrizzleResource } from '../../src/targets/drizzle/plan-resource.js';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import {
  builderCall,
  builderImports,
  columnsParameterBeside,
} from '../../src/targets/drizzle/column-code.js';
import { parseSchemaFiles, type DrizzleTable } from '../../src/targets/drizzle/schema-model.js';
import { addColumnReferences } from '../../src/targets/drizzle/transforms/add-column-references.js';
import { ensureKeyColumns } from '../../src/targets/drizzle/transforms/ensure-key-columns.js';
import { cleanup, copyFixture } from '../support/fixture.js';
import { genFlags } from '../support/gen-flags.js';

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
  // No `casing` in drizzle.config: a property's SQL name is the property itself.
  type Style = Parameters<typeof builderCall>[2];
  const callback = { namedColumns: true, builders: 'd' } as Style;
  const plain = { namedColumns: true, builders: undefined } as Style;
  const bare = { namedColumns: false, builders: 'd' } as Style;

  it("calls the builder on the callback's parameter and imports nothing for it", () => {
    const varchar = { builder: 'varchar', options: '{ length: 255 }' };
    expect(builderCall(varchar, 'user_id', callback)).toBe("d.varchar('user_id', { length: 255 })");
    expect(builderCall(varchar, 'userId', bare)).toBe('d.varchar({ length: 255 })');
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

// The planners on a copy of the create-t3-app fixture, asserting on the change set.

const temps: string[] = [];
afterAll(() => cleanup(...temps));

const OPTIONS = {
  ignoreIfExists: false,
  migration: true,
  replace: false,
  migrationName: undefined,
};
const SCHEMA = 'src/server/db/schema.ts';
const T3_IMPORT = 'import { index, pgTableCreator, primaryKey } from "drizzle-orm/pg-core";';

async function t3Copy(): Promise<string> {
  const dir = await copyFixture('drizzle-pg-t3');
  temps.push(dir);
  return dir;
}

async function planJoin(dir: string, attributes: string[] = []) {
  const project = loadProject(dir);
  const changes = new ChangeSet(project.root, { read: project.readSource });
  const model = toJoinModel(
    buildResourceSpec(
      genFlags(['Accounts', 'UserPost'], { primaryKey: ['user_id,post_id'], attributes }),
    ),
  );
  await planDrizzleJoin(project, model, changes, OPTIONS);
  return changes;
}

async function planResource(dir: string, names: string[], relationships: string[]) {
  const project = loadProject(dir);
  const changes = new ChangeSet(project.root, { read: project.readSource });
  const model = toResourceModel(buildResourceSpec(genFlags(names, { relationships })));
  await planDrizzleResource(project, model, changes, OPTIONS);
  return changes;
}

async function write(changes: ChangeSet): Promise<void> {
  for (const change of changes.listChanges()) {
    await mkdir(path.dirname(change.file), { recursive: true });
    await writeFile(change.file, change.after);
  }
}

/** The planned text of the schema, from `export const <variable> =` to the end of its call. */
function declaration(changes: ChangeSet, dir: string, variable: string): string {
  const text = changes.read(path.join(dir, SCHEMA)) ?? '';
  const start = text.indexOf(`export const ${variable} = `);
  expect(start, variable).toBeGreaterThan(-1);
  return text.slice(start, text.indexOf('\n);\n', start) + 3);
}

describe('planning into a schema of callback tables (drizzle-pg-t3)', () => {
  it('writes a new join on the parameter, its extra attribute too, and imports no builder', async () => {
    const dir = await t3Copy();
    const changes = await planJoin(dir, ['role:text']);
    const join = declaration(changes, dir, 'userPosts');
    expect(join).toMatch(/^export const userPosts = createTable\(\n\s+'\w+',\n\s+\(d\) => \(\{\n/);
    expect(join).toMatch(/userId: d\.varchar\([^)]*\{ length: 255 \}\)\.notNull\(\)/);
    expect(join).toMatch(/postId: d\.integer\([^)]*\)\.notNull\(\)/);
    expect(join).toMatch(/role: d\.text\([^)]*\),\n\s+\}\),\n\s+\(t\) => \[/);
    expect(changes.read(path.join(dir, SCHEMA))).toContain(T3_IMPORT);
  });

  it('adds a column to an existing callback join on its parameter; then nothing is left to add', async () => {
    const dir = await t3Copy();
    await write(await planJoin(dir));
    const grown = await planJoin(dir, ['joined_at:utc_datetime']);
    const join = declaration(grown, dir, 'userPosts');
    expect(join).toMatch(/joinedAt: d\.timestamp\([^)]*\)/);
    expect(grown.read(path.join(dir, SCHEMA))).toContain(T3_IMPORT);
    await write(grown);
    expect((await planJoin(dir, ['joined_at:utc_datetime'])).listChanges()).toEqual([]);
  });

  it('adds a belongs_to column to the existing callback table posts on its parameter', async () => {
    const dir = await t3Copy();
    const changes = await planResource(
      dir,
      ['Accounts', 'Post'],
      ['belongs_to:editor:Accounts.User'],
    );
    const posts = declaration(changes, dir, 'posts');
    expect(posts).toMatch(
      /editorId: d\.varchar\([^)]*\{ length: 255 \}\)\.references\(\(\) => users\.id/,
    );
    expect(changes.read(path.join(dir, SCHEMA))).toContain(T3_IMPORT);
  });
});

describe('callback tables on SQLite and MySQL', () => {
  async function project(dialect: string, schema: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'joinery-callback-columns-'));
    temps.push(dir);
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ dependencies: { 'drizzle-orm': '^0.45.4' } }),
      'drizzle.config.ts': `export default { dialect: '${dialect}', schema: './src/schema.ts' };`,
      'src/schema.ts': schema,
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    return dir;
  }

  async function planUserEvents(dir: string): Promise<string> {
    const loaded = loadProject(dir);
    const changes = new ChangeSet(loaded.root, { read: loaded.readSource });
    const model = toJoinModel(
      buildResourceSpec(genFlags(['Accounts', 'UserEvent'], { primaryKey: ['user_id,event_id'] })),
    );
    await planDrizzleJoin(loaded, model, changes, OPTIONS);
    return changes.read(path.join(dir, 'src/schema.ts')) ?? '';
  }

  it("SQLite: the join's keys are called on the project's parameter name", async () => {
    const imports = "import { sqliteTable } from 'drizzle-orm/sqlite-core';";
    const dir = await project(
      'sqlite',
      `${imports}
export const users = sqliteTable('users', (t) => ({ id: t.integer('id').primaryKey({ autoIncrement: true }) }));
export const events = sqliteTable('events', (t) => ({ id: t.text('id').primaryKey() }));
`,
    );
    const schema = await planUserEvents(dir);
    expect(schema).toMatch(/sqliteTable\(\n\s+'user_events',\n\s+\(t\) => \(\{/);
    expect(schema).toContain("userId: t.integer('user_id').notNull()");
    expect(schema).toContain("eventId: t.text('event_id').notNull()");
    expect(schema).toMatch(
      /^import \{ index, primaryKey, sqliteTable \} from 'drizzle-orm\/sqlite-core';$/m,
    );
  });

  it('MySQL: a bigint unsigned key keeps its options on the parameter', async () => {
    const dir = await project(
      'mysql',
      `import { mysqlTable } from 'drizzle-orm/mysql-core';
export const users = mysqlTable('users', (c) => ({
  id: c.bigint('id', { mode: 'number', unsigned: true }).primaryKey().autoincrement(),
}));
export const events = mysqlTable('events', (c) => ({ id: c.varchar('id', { length: 36 }).primaryKey() }));
`,
    );
    const schema = await planUserEvents(dir);
    expect(schema).toContain(
      "userId: c.bigint('user_id', { mode: 'number', unsigned: true }).notNull()",
    );
    expect(schema).toContain("eventId: c.varchar('event_id', { length: 36 }).notNull()");
    expect(schema).toMatch(
      /^import \{ index, mysqlTable, primaryKey \} from 'drizzle-orm\/mysql-core';$/m,
    );
  });
});
