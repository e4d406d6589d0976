/**
 * The create-t3-app shape (fixtures/drizzle-pg-t3): one schema file, tables made by
 * `pgTableCreator((name) => \`t3app_${name}\`)` with singular names and callback columns
 * `(d) => ({ ... })` without SQL names and without `casing` (so SQL columns are camelCase), a
 * NextAuth `user` whose varchar id is made in code, `relations()`, `tablesFilter`, a `~/*` alias,
 * Prettier defaults. A join and a plain resource with belongs_to are generated and proven as the
 * app would use them: `tsc`, drizzle-kit's own migrate on PGlite (and drizzle's migrator on the
 * server when DATABASE_URL is set), the schema entry and the aliased client imported with Node,
 * the usage joinery printed run verbatim, a second run and `check` with nothing to do, and
 * drizzle-kit generate finding nothing left to migrate.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importWithNode,
  runDrizzleKit,
  runJoinery,
  typecheck,
  type RunResult,
} from '../support/cli.js';
import { hasPostgres, migrateDrizzleProject, type DatabaseKind } from '../support/databases.js';
import { cleanup, copyFixture, snapshotTree } from '../support/fixture.js';
import { drizzlePgliteScript, runProjectScript } from '../support/project-script.js';

const SCHEMA = 'src/server/db/schema.ts';
const JOIN = ['gen', 'resource', 'Accounts', 'UserPost', '--primary-key', 'user_id,post_id'];
const RESOURCE = [
  ...['gen', 'resource', 'Blog', 'Comment', '--integer-primary-key', 'id'],
  ...['-a', 'body:text:required'],
  ...['-r', 'belongs_to:post:Post:required', '-r', 'belongs_to:author:Accounts.User'],
];

const dirs: string[] = [];
afterAll(async () => cleanup(...dirs));

function expectWritten(result: RunResult): void {
  expect(result.stderr).not.toMatch(/error|warning/i);
  expect(result.exitCode).toBe(0);
}

/** The printed usage's code blocks by their heading (`// Load a user with its posts` → code). */
function printedBlocks(stdout: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let heading: string | undefined;
  for (const line of stdout.split('\n')) {
    const comment = /^\s{2}\/\/ (.+)$/.exec(line);
    if (comment) {
      heading = comment[1]!;
      blocks.set(heading, '');
    } else if (line.trim() === '' || !line.startsWith('  ')) {
      heading = undefined;
    } else if (heading) {
      blocks.set(heading, `${blocks.get(heading)}${line}\n`);
    }
  }
  return blocks;
}

function block(blocks: Map<string, string>, heading: RegExp): string {
  const found = [...blocks].find(([name]) => heading.test(name));
  expect(found, `a printed usage block ${heading}`).toBeDefined();
  return found![1];
}

describe('create-t3-app shape: callback columns, pgTableCreator, camelCase SQL columns (drizzle-pg-t3)', () => {
  let dir: string;
  let joinRun: RunResult;
  let resourceRun: RunResult;
  let schema: string;

  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-t3');
    dirs.push(dir);
    joinRun = await runJoinery(dir, [...JOIN, '-y']);
    resourceRun = await runJoinery(dir, [...RESOURCE, '-y']);
    schema = await readFile(path.join(dir, SCHEMA), 'utf8');
  }, 240_000);

  it('writes the join in the callback form with no new column-builder import', () => {
    expectWritten(joinRun);
    expect(joinRun.stdout).toContain(`updated ${SCHEMA}`);
    // The fixture's own imports, unchanged: `d` carries the builders.
    expect(schema).toContain(
      'import { index, pgTableCreator, primaryKey } from "drizzle-orm/pg-core";',
    );
    expect(schema).not.toMatch(/^import \{[^}]*\b(?:varchar|integer|text)\b/m);
    expect(schema).toMatch(/export const userPosts = createTable\(\n\s+"\w+",\n\s+\(d\) => \(\{\n/);
    const join = schema.slice(schema.indexOf('export const userPosts = '));
    expect(join).toMatch(/userId: d\s*\.varchar\([^)]*\{ length: 255 \}\)\s*\.notNull\(\)/);
    expect(join).toMatch(/postId: d\s*\.integer\([^)]*\)\s*\.notNull\(\)/);
    expect(join).toContain('.references(() => users.id, { onDelete: "cascade" })');
    expect(join).toContain('.references(() => posts.id, { onDelete: "cascade" })');
    expect(schema).toMatch(/accounts: many\(accounts\),\n\s+userPosts: many\(userPosts\),/);
    expect(schema).toContain('export const postsRelations = relations(posts, ({ many }) => ({');
  });

  it('names the join as the project names its tables and columns: singular, camelCase (waits for the sql-naming convention)', () => {
    expect(schema).toMatch(/export const userPosts = createTable\(\n\s+"user_post",/);
    const join = schema.slice(schema.indexOf('export const userPosts = '));
    // Under drizzle's default naming the property is the SQL name: no name argument.
    expect(join).toContain('userId: d\n      .varchar({ length: 255 })');
    expect(join).toMatch(/postId: d\s*\.integer\(\)/);
  });

  it('writes the plain resource and its belongs_to columns in the callback form too', () => {
    expectWritten(resourceRun);
    const comments = schema.slice(schema.indexOf('export const comments = '));
    expect(comments).toMatch(/^export const comments = createTable\(\n\s+"\w+",\n\s+\(d\) => \(\{/);
    // The project's identity style (generatedByDefaultAsIdentity), on the parameter.
    expect(comments).toMatch(
      /id: d\s*\.integer\([^)]*\)\s*\.primaryKey\(\)\s*\.generatedByDefaultAsIdentity\(\)/,
    );
    expect(comments).toMatch(/body: d\.text\([^)]*\)\.notNull\(\)/);
    expect(comments).toMatch(
      /postId: d\s*\.integer\([^)]*\)\s*\.notNull\(\)\s*\.references\(\(\) => posts\.id/,
    );
    expect(comments).toMatch(
      /authorId: d\s*\.varchar\([^)]*\{ length: 255 \}\)\s*\.references\(\(\) => users\.id/,
    );
    expect(schema).not.toMatch(/^import \{[^}]*\b(?:varchar|integer|text)\b/m);
  });

  it('names the resource singular with camelCase columns (waits for the sql-naming convention)', () => {
    const comments = schema.slice(schema.indexOf('export const comments = '));
    expect(comments).toMatch(/^export const comments = createTable\(\n\s+"comment",/);
    expect(comments).toMatch(/postId: d\s*\.integer\(\)/);
  });

  it('type-checks, and the schema entry and the aliased client load under Node', async () => {
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    const loaded = await importWithNode(dir, SCHEMA);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout.trim().split(',')).toEqual(
      expect.arrayContaining([
        'comments',
        'commentsRelations',
        'postsRelations',
        'userPosts',
        'userPostsRelations',
      ]),
    );
    // src/server/api/post.ts reaches the schema through `~/server/db`, as the app does.
    const api = await importWithNode(dir, 'src/server/api/post.ts', { PGLITE_DIR: 'memory://' });
    expect(api.stderr).toBe('');
    expect(api.stdout.trim()).toBe('latestPost');
  });

  it("applies with drizzle-kit's own migrate on PGlite, as `npm run db:migrate` would", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'joinery-t3-pglite-'));
    try {
      const migrated = await runDrizzleKit(dir, ['migrate'], { PGLITE_DIR: dataDir });
      expect(migrated.stderr + migrated.stdout).toContain('migrations applied successfully');
      expect(migrated.exitCode).toBe(0);
      const client = new PGlite(dataDir);
      try {
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
        );
        expect(rows[0]!.n).toBe(3);
      } finally {
        await client.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  const kinds: DatabaseKind[] = hasPostgres() ? ['pglite', 'postgres'] : ['pglite'];
  it.each(kinds)('creates the join with a composite key and cascading keys (%s)', async (kind) => {
    const db = await migrateDrizzleProject(dir, kind);
    try {
      const tables = await db.tables();
      const joinTable = tables.find((table) => /^t3app_user_posts?$/.test(table));
      expect(joinTable, tables.join(', ')).toBeDefined();
      const info = await db.inspectTable(joinTable!);
      const keys = info.primaryKey;
      expect(keys).toHaveLength(2);
      expect(info.columns.map((column) => [column.name, column.type, column.notNull])).toEqual([
        [keys[0], 'character varying', true],
        [keys[1], 'integer', true],
      ]);
      expect(
        info.foreignKeys.map((fk) => [
          fk.columns.join(),
          fk.refTable,
          fk.refColumns.join(),
          fk.onDelete,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [keys[0], 't3app_user', 'id', 'cascade'],
          [keys[1], 't3app_post', 'id', 'cascade'],
        ]),
      );
      expect(info.indexes.some((index) => !index.primary && index.columns.join() === keys[1])).toBe(
        true,
      );
    } finally {
      await db.close();
    }
  });

  it('migrates to camelCase join columns on a singular table (waits for the sql-naming convention)', async () => {
    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      expect(await db.tables()).toEqual(
        expect.arrayContaining(['t3app_user_post', 't3app_comment']),
      );
      expect((await db.inspectTable('t3app_user_post')).primaryKey).toEqual(['userId', 'postId']);
    } finally {
      await db.close();
    }
  });

  it('runs the usage joinery printed, both ways, with the belongs_to and the cascades', async () => {
    const blocks = printedBlocks(joinRun.stdout);
    const load = block(blocks, /^Load a user with its posts/);
    const create = block(blocks, /^Create a join row/);
    const append = block(blocks, /^Append posts/);
    const remove = block(blocks, /^Remove posts/);
    expect(load).toContain('const postsOf = ');
    const usage = await runProjectScript<Record<string, unknown>>(
      dir,
      drizzlePgliteScript(
        dir,
        `import { and, eq, inArray } from 'drizzle-orm';
const { userPosts } = schema;
async function loadPosts(userId: string) {
${load}  return (postsOf ?? []).map((post) => post.name).sort();
}
async function createLink(userId: string, postId: number) {
${create}}
async function appendPosts(userId: string, postIds: number[]) {
${append}}
async function removePosts(userId: string, postIds: number[]) {
${remove}}

const [ada, grace, linus] = await db
  .insert(schema.users)
  .values(['Ada', 'Grace', 'Linus'].map((name) => ({ name, email: \`\${name}@example.com\` })))
  .returning();
const [hello, world] = await db
  .insert(schema.posts)
  .values([{ name: 'Hello', createdById: ada!.id }, { name: 'World', createdById: ada!.id }])
  .returning();
await createLink(ada!.id, hello!.id);
await appendPosts(ada!.id, [hello!.id, world!.id]);
await createLink(grace!.id, hello!.id);
await createLink(grace!.id, world!.id);
await createLink(linus!.id, world!.id);
const loaded = await loadPosts(ada!.id);
const post = await db.query.posts.findFirst({
  where: (t, { eq }) => eq(t.id, hello!.id),
  with: { userPosts: { with: { user: true } } },
});
await removePosts(ada!.id, [world!.id]);
const afterRemove = await loadPosts(ada!.id);
await db.insert(schema.comments).values({ body: 'First', postId: world!.id, authorId: grace!.id });
const comment = await db.query.comments.findFirst({ with: { post: true, author: true } });
// Either side's delete takes its links along.
await db.delete(schema.users).where(eq(schema.users.id, linus!.id));
await db.delete(schema.posts).where(eq(schema.posts.id, hello!.id));
const links = await db.select().from(userPosts);
report({
  loaded,
  usersOfHello: post?.userPosts.map((link) => link.user.name).sort(),
  afterRemove,
  comment: [comment?.post.name, comment?.author?.name],
  linksLeft: links.map((link) => [link.userId === grace!.id, link.postId === world!.id]),
});`,
        SCHEMA,
      ),
    );
    expect(usage).toEqual({
      loaded: ['Hello', 'World'],
      usersOfHello: ['Ada', 'Grace'],
      afterRemove: ['Hello'],
      comment: ['World', 'Grace'],
      linksLeft: [[true, true]],
    });
  }, 120_000);

  it('has nothing to do afterwards: a second run, joinery check, drizzle-kit generate', async () => {
    const before = await snapshotTree(dir);
    const again = await runJoinery(dir, [...JOIN, '-y']);
    expect(again.stdout).toContain('Accounts.UserPost is current: nothing to change.');
    expect(again.exitCode).toBe(0);
    const resourceAgain = await runJoinery(dir, [...RESOURCE, '-y']);
    expect(resourceAgain.stdout).toContain('Blog.Comment is current: nothing to change.');
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toContain('2 resources in joinery.json current');
    expect(check.exitCode).toBe(0);
    const generated = await runDrizzleKit(dir, ['generate']);
    expect(generated.stdout).toContain('No schema changes, nothing to migrate');
    expect(generated.exitCode).toBe(0);
    expect(await snapshotTree(dir)).toEqual(before);
  }, 240_000);

  it("check reports a callback join's key that lost .notNull() and its cascade; sync puts both back", async () => {
    const file = path.join(dir, SCHEMA);
    const generated = await readFile(file, 'utf8');
    const start = generated.indexOf('export const userPosts = ');
    const join = generated.slice(start);
    const key =
      /userId: d\s*\.varchar\([^)]*\)(\s*)\.notNull\(\)\s*\.references\(\(\) => users\.id, \{ onDelete: "cascade" \}\)/;
    expect(join).toMatch(key);
    const damaged = join.replace(key, (text, space: string) =>
      text.replace(`${space}.notNull()`, '').replace(', { onDelete: "cascade" }', ''),
    );
    await writeFile(file, generated.slice(0, start) + damaged);
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toContain('Accounts.UserPost is not current');
    expect(check.exitCode).toBe(1);
    const sync = await runJoinery(dir, ['sync', '-y']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(generated);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  }, 240_000);
});
