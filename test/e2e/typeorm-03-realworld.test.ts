/**
 * TypeORM 0.3.x as real projects write it (fixtures/typeorm-03-realworld): the primary key
 * inherited from an abstract base entity or through a mixin, decorators between `@Entity` and the
 * class, `*.entity.ts` files loaded by a `dist/src/**\/*.entity.js` glob (tsconfig `rootDir: .`),
 * plain `@Column()` typed by decorator metadata, kebab-case migration file names and a
 * package.json migration script that builds first. Proven the way the project's users find out:
 * tsc, the compiled DataSource initializes and finds every entity, TypeORM 0.3's runner and schema
 * diff on SQLite / PostgreSQL / MariaDB, the usage round trip, a second run, check, and
 * `joinery migrate` through the project's own script.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runJoinery } from '../support/cli.js';
import { cleanup, copyTypeorm03Fixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import { generateCurrent, roundTrip, UNCHANGED } from '../support/typeorm-generate.js';
import {
  runBuiltTypeormUsage,
  type TypeormDatabase,
  type TypeormUsageOptions,
} from '../support/typeorm-usage.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function copy(): Promise<string> {
  const dir = await copyTypeorm03Fixture('typeorm-03-realworld');
  copies.push(dir);
  return dir;
}

const FAVORITES = ['gen', 'resource', 'User', 'UserArticle', '--primary-key', 'user_id,article_id'];

/** The join generated, type-checked against TypeORM 0.3; a second run and check change nothing. */
const generate = generateCurrent;

const usage = (database: TypeormDatabase): TypeormUsageOptions => ({
  database,
  optionsImport: `import { AppDataSource } from '../../ormconfig.js'`,
  optionsExpression: 'AppDataSource.options',
  left: {
    className: 'UserEntity',
    module: 'src/user/user.entity.ts',
    values: [
      { username: 'ada', email: 'ada@example.com' },
      { username: 'grace', email: 'grace@example.com' },
    ],
  },
  right: {
    className: 'ArticleEntity',
    module: 'src/article/article.entity.ts',
    values: [
      { slug: 'alpha', title: 'Alpha' },
      { slug: 'beta', title: 'Beta' },
    ],
  },
  joinEntity: {
    className: 'UserArticleEntity',
    module: 'src/user/user-article.entity.ts',
    // the project's naming: singular tables (`user`, `article`), camelCase columns (`createdAt`)
    table: 'user_article',
  },
  leftKey: 'userId',
  rightKey: 'articleId',
  leftRelation: 'user',
  rightRelation: 'article',
  collection: 'userArticles',
});

/** dist/src/joinery-usage/usage.js for src/joinery-usage/usage.ts (rootDir `.`, outDir dist). */
const compiled = (dir: string) => (source: string) =>
  join(dir, 'dist', source.slice(dir.length + 1)).replace(/\.ts$/, '.js');

function expectRoundTrip(result: Awaited<ReturnType<typeof runBuiltTypeormUsage>>): void {
  expect(result.entities).toEqual(['ArticleEntity', 'UserArticleEntity', 'UserEntity']);
  expect(result.migrations).toEqual([
    'CreateUsersAndArticles1700000000000',
    expect.stringMatching(/^CreateUserArticleJoinTable\d{13}$/),
  ]);
  // TypeORM's own schema diff: the entities and the migrations agree.
  expect(result.pending).toEqual([]);
  expect(result).toMatchObject(roundTrip(['Alpha', 'Beta'], ['ada', 'grace']));
}

describe('typeorm-03-realworld (TypeORM 0.3: base entity, mixin, extra decorators, dist/src globs)', () => {
  it('generates the join for entities whose key is inherited, in the glob, in the project style', async () => {
    const dir = await copy();
    const stdout = await generate(dir, FAVORITES);
    expect(stdout).toContain('created src/user/user-article.entity.ts');
    expect(stdout).toContain('updated src/user/user.entity.ts');
    expect(stdout).toContain('updated src/article/article.entity.ts');
    // The project's migrations are named in kebab case; the class keeps TypeORM's name.
    const migrations = await readdir(join(dir, 'src/migrations'));
    const created = migrations.filter(
      (file) => file !== '1700000000000-create-users-and-articles.ts',
    );
    expect(created).toEqual([expect.stringMatching(/^\d{13}-create-user-article-join-table\.ts$/)]);
    expect(stdout).toContain(`created src/migrations/${created[0]}`);
    const migration = await readFile(join(dir, 'src/migrations', created[0]!), 'utf8');
    expect(migration).toMatch(/export class CreateUserArticleJoinTable\d{13} implements/);
    // The primary keys come from AbstractEntity (directly, and through the SoftDeletable mixin).
    const entity = await readFile(join(dir, 'src/user/user-article.entity.ts'), 'utf8');
    // camelCase columns without a naming strategy: the property is the column (`userId`).
    expect(entity).toContain(`@PrimaryColumn('uuid')\n  userId!: string;`);
    expect(entity).toContain(`@ManyToOne(() => ArticleEntity, (article) => article.userArticles`);
    // The project's entity classes end in Entity (UserEntity, ArticleEntity): the join's too.
    expect(entity).toContain('export class UserArticleEntity {');
    expect(await readFile(join(dir, 'src/article/article.entity.ts'), 'utf8')).toMatch(
      /@OneToMany\(\s*\(\) => UserArticleEntity,\s*\(userArticleEntity\) => userArticleEntity\.article,?\s*\)/,
    );
    // The globs cover the new entity: nothing registered, the DataSource left as it was.
    expect(await readFile(join(dir, 'ormconfig.ts'), 'utf8')).not.toContain('UserArticle');

    // `User` and `UserEntity` name the same resource, when growing it too; names derived from
    // `UserEntity` drop the suffix (UserTag, user_id), and the singular table names the migration.
    const grow = await runJoinery(dir, [
      'gen',
      'resource',
      'User',
      'User',
      '-a',
      'nickname:string',
      '--dry-run',
    ]);
    expect(grow.stderr).toBe('');
    expect(grow.exitCode).toBe(0);
    expect(grow.stdout).toContain('+  nickname');
    expect(grow.stdout).toMatch(/would create src\/migrations\/\d{13}-add-nickname-to-user\.ts/);
    const viaClass = await runJoinery(dir, [
      ...[
        'gen',
        'resource',
        'User',
        'UserEntity',
        '-r',
        'many_to_many:articles:Article.ArticleEntity',
      ],
      '--dry-run',
    ]);
    expect(viaClass.stderr).toBe('');
    expect(viaClass.exitCode).toBe(0);
    // The same join as the one generated: only its entry learns the relationships' names.
    expect(viaClass.stdout.match(/^ {2}would .*$/gm)).toEqual([
      expect.stringMatching(/^ {2}would update joinery\/\w+\.\w+\.json$/),
    ]);
  });

  it("refuses an entity that carries the join's name but is no join, changing nothing; a run without migration prints no 'apply' line", async () => {
    const dir = await copy();
    await writeFile(
      join(dir, 'src/user/user-tag.entity.ts'),
      `import { Column, Entity } from 'typeorm';

import { AbstractEntity } from '../common/abstract.entity';

// A tag a user made: its own id, not a join.
@Entity('user_tags')
export class UserTag extends AbstractEntity {
  @Column()
  label: string;
}
`,
    );
    // A run that makes no migration says nothing of applying one.
    const noMigration = await runJoinery(dir, [...FAVORITES, '--no-migration']);
    expect(noMigration.exitCode).toBe(0);
    expect(noMigration.stdout).toContain('Use it with TypeORM');
    expect(noMigration.stdout).not.toContain('Apply the migration');
    const before = await snapshotTree(dir);
    const run = await runJoinery(dir, [
      'gen',
      'resource',
      'User',
      'UserTag',
      '--primary-key',
      'user_id,article_id',
    ]);
    expect(run.exitCode).toBe(2);
    // The shared rule (src/rules/existing-table.ts) refuses it before the TypeORM planner looks.
    expect(run.stderr).toContain(
      'table user_tags (src/user/user-tag.entity.ts:6) exists and is not a join of userId and articleId; User.UserTag would take it over.',
    );
    expect(run.stderr).toContain('Pass --table <another_name> for the join.');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  });

  it("sqlite: joinery migrate runs the project's own script (build, then typeorm on dist); the compiled DataSource finds every entity, TypeORM 0.3 diffs clean, the usage runs", async () => {
    const dir = await copy();
    const config = join(dir, 'ormconfig.ts');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace(
        /type: 'postgres',\n\s*url: process\.env\.DATABASE_URL,/,
        `type: 'better-sqlite3',\n  database: 'app.sqlite',`,
      ),
    );
    await generate(dir, FAVORITES);
    const run = await runJoinery(dir, ['migrate']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('npm run build');
    expect(run.stdout).toMatch(
      /Migration CreateUsersAndArticles1700000000000 has been executed successfully/,
    );
    expect(run.stdout).toMatch(
      /Migration CreateUserArticleJoinTable\d{13} has been executed successfully/,
    );
    const { default: Database } = await import('better-sqlite3');
    const client = new Database(join(dir, 'app.sqlite'), { readonly: true });
    try {
      const tables = client
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all();
      expect(tables).toContainEqual({ name: 'user_article' });
    } finally {
      client.close();
    }
    // The usage runs on a fresh in-memory database, migrated by TypeORM's runner.
    expectRoundTrip(await runBuiltTypeormUsage(dir, usage('sqlite'), compiled(dir)));

    // A new entity in a new domain goes where the globs load it: UserEntity gains
    // @OneToMany(() => Workspace), so a Workspace the DataSource did not find would stop
    // initialize() ("Entity metadata for UserEntity#workspaces was not found").
    const workspace = await runJoinery(dir, [
      ...['gen', 'resource', 'Workspace', 'Workspace', '--uuid-primary-key', 'id'],
      ...['-a', 'name:string:required', '-r', 'belongs_to:owner:User.User:required'],
    ]);
    expect(workspace.stderr).toBe('');
    expect(workspace.exitCode).toBe(0);
    expect(workspace.stdout).toContain('created src/workspace/workspace.entity.ts');
    const again = await runJoinery(dir, ['migrate']);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(
      /Migration CreateWorkspaceTable\d{13} has been executed successfully/,
    );
    const reopened = new Database(join(dir, 'app.sqlite'), { readonly: true });
    try {
      const columns = reopened.prepare(`PRAGMA table_info('workspace')`).all();
      expect(columns.map((column) => (column as { name: string }).name)).toEqual([
        'id',
        'name',
        'ownerId',
      ]);
    } finally {
      reopened.close();
    }
  });

  for (const [database, available] of [
    ['postgres', hasPostgres],
    ['mariadb', hasMysql],
  ] as const) {
    // Run where their servers are configured (CI sets DATABASE_URL and MYSQL_URL).
    it.runIf(available)(
      `${database}: the compiled DataSource finds every entity; TypeORM 0.3 migrates, diffs clean, and the usage runs`,
      async () => {
        const dir = await copy();
        await retargetDataSource(dir, 'ormconfig.ts', database);
        await generate(dir, FAVORITES);
        expectRoundTrip(await runBuiltTypeormUsage(dir, usage(database), compiled(dir)));
      },
    );
  }

  // The fork's drivers are postgres and sqlite3 (a native module not installed here): run on the
  // PostgreSQL server where it is configured (CI sets DATABASE_URL).
  it.runIf(hasPostgres)(
    '@n8n/typeorm: the fork is TypeORM, and the generated code imports from it',
    async () => {
      const dir = await copy();
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        scripts: Record<string, string>;
      };
      delete manifest.dependencies.typeorm;
      manifest.dependencies['@n8n/typeorm'] = '^0.11.0';
      manifest.scripts = { build: 'tsc -p tsconfig.json' };
      await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
      for (const file of [
        'ormconfig.ts',
        'src/common/abstract.entity.ts',
        'src/common/soft-delete.mixin.ts',
        'src/user/user.entity.ts',
        'src/article/article.entity.ts',
        'src/migrations/1700000000000-create-users-and-articles.ts',
      ]) {
        const text = await readFile(join(dir, file), 'utf8');
        await writeFile(join(dir, file), text.replace(/from 'typeorm';/g, "from '@n8n/typeorm';"));
      }
      const stdout = await generate(dir, FAVORITES);
      expect(stdout).toContain('created src/user/user-article.entity.ts');
      const entity = await readFile(join(dir, 'src/user/user-article.entity.ts'), 'utf8');
      expect(entity).toContain("} from '@n8n/typeorm';");
      expect(entity).not.toContain("from 'typeorm'");
      const migration = (await readdir(join(dir, 'src/migrations'))).find((file) =>
        file.endsWith('-create-user-article-join-table.ts'),
      )!;
      expect(await readFile(join(dir, 'src/migrations', migration), 'utf8')).toContain(
        "} from '@n8n/typeorm';",
      );
      expect(await readFile(join(dir, 'src/user/user.entity.ts'), 'utf8')).not.toContain(
        "from 'typeorm'",
      );
      expectRoundTrip(
        await runBuiltTypeormUsage(
          dir,
          { ...usage('postgres'), ormModule: '@n8n/typeorm' },
          compiled(dir),
        ),
      );
    },
  );
});
