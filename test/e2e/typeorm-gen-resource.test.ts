/**
 * The built CLI on copies of the TypeORM fixtures: the reference command, then `tsc --noEmit`
 * against the real typeorm, TypeORM's own migration runner and schema diff on a real database,
 * and the reference's usage through the generated entities. A second run changes nothing.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runJoinery, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';
import {
  runTypeormUsage,
  type TypeormDatabase,
  type TypeormUsageOptions,
} from '../support/typeorm-usage.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function copy(name: string): Promise<string> {
  const dir = await copyFixture(name);
  copies.push(dir);
  return dir;
}

/** Runs the command; expects success, a clean type-check, and that a second run changes nothing. */
async function generate(dir: string, args: string[]): Promise<string> {
  const run = await runJoinery(dir, args);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const checked = await typecheck(dir);
  expect(checked.stdout + checked.stderr).toBe('');
  expect(checked.exitCode).toBe(0);

  const before = await snapshotTree(dir);
  const again = await runJoinery(dir, args);
  expect(again.exitCode).toBe(0);
  expect(again.stdout).toContain('is current: nothing to change');
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
  const check = await runJoinery(dir, [...args, '--check']);
  expect(check.exitCode).toBe(0);
  return run.stdout;
}

async function migrationFile(dir: string, folder: string, name: string): Promise<string> {
  const files = (await readdir(join(dir, folder))).filter((file) => file.endsWith(`-${name}.ts`));
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^\d{13}-/);
  return readFile(join(dir, folder, files[0]!), 'utf8');
}

const PEOPLE: TypeormUsageOptions['left']['values'] = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
];
const TITLES: TypeormUsageOptions['right']['values'] = [{ title: 'Alpha' }, { title: 'Beta' }];

function expectReferenceUsage(result: Awaited<ReturnType<typeof runTypeormUsage>>): void {
  expect(result.migrations.at(-1)).toMatch(/JoinTable\d{13}$/);
  // TypeORM's own schema diff: entities and migrations agree.
  expect(result.pending).toEqual([]);
  expect(result).toMatchObject({
    leftWithRights: ['Alpha', 'Beta'],
    rightWithLefts: ['Ada Lovelace', 'Grace Hopper'],
    duplicateRejected: true,
    foreignKeyEnforced: true,
    linksAfterAppend: 2,
    linksAfterRemove: 1,
    linksAfterLeftDelete: 0,
    rowsAfterLeftDelete: 2,
    rowsAfterRightDelete: 1,
    tableAfterUp: true,
    tableAfterDown: false,
  });
}

describe('typeorm-pg (uuid ids, entities glob, NodeNext .js imports)', () => {
  const usage = (database: TypeormDatabase): TypeormUsageOptions => ({
    database,
    optionsImport: `import { AppDataSource } from '../src/data-source.js'`,
    optionsExpression: 'AppDataSource.options',
    left: { className: 'User', module: 'src/entities/User.ts', values: PEOPLE },
    right: { className: 'Event', module: 'src/entities/Event.ts', values: TITLES },
    joinEntity: {
      className: 'UserEvent',
      module: 'src/entities/UserEvent.ts',
      table: 'user_events',
    },
    leftKey: 'userId',
    rightKey: 'eventId',
    leftRelation: 'user',
    rightRelation: 'event',
    collection: 'userEvents',
  });

  it('generates the join entity, both inverse sides and the migration; nothing registered under a glob', async () => {
    const dir = await copy('typeorm-pg');
    const stdout = await generate(dir, REFERENCE_ARGS);
    expect(stdout).toContain('created src/entities/UserEvent.ts');
    expect(stdout).toContain('updated src/entities/User.ts');
    expect(stdout).toContain('updated src/entities/Event.ts');
    expect(stdout).toMatch(/created src\/migrations\/\d{13}-CreateUserEventsJoinTable\.ts/);
    expect(stdout).toContain('Use it with TypeORM');
    expect(stdout).not.toContain('src/data-source.ts\n');

    const entity = await readFile(join(dir, 'src/entities/UserEvent.ts'), 'utf8');
    expect(entity).toContain(`@Entity('user_events')`);
    expect(entity).toContain(`@PrimaryColumn('uuid', { name: 'user_id' })`);
    expect(entity).toMatch(
      /@PrimaryColumn\('uuid', \{ name: 'event_id' \}\)\n\s+@Index\(\)\n\s+eventId!: string/,
    );
    expect(entity).toMatch(
      /@ManyToOne\(\(\) => User, \(user\) => user\.userEvents, \{\s+onDelete: 'CASCADE',?\s+\}\)/,
    );
    expect(entity).toContain('user!: Relation<User>');
    expect(entity).toContain(`from './User.js'`);
    expect(entity).not.toContain(';');

    const user = await readFile(join(dir, 'src/entities/User.ts'), 'utf8');
    expect(user).toContain('// Shown next to everything the user does');
    expect(user).toContain(
      '  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)\n  userEvents!: UserEvent[]\n',
    );
    expect(user).toContain(`import { UserEvent } from './UserEvent.js'`);
    const dataSource = await readFile(join(dir, 'src/data-source.ts'), 'utf8');
    expect(dataSource).not.toContain('UserEvent');

    const migration = await migrationFile(dir, 'src/migrations', 'CreateUserEventsJoinTable');
    expect(migration).toMatch(
      /export class CreateUserEventsJoinTable\d{13} implements MigrationInterface/,
    );
    expect(migration).toContain('new TableForeignKey(');
    expect(migration).toContain(`new TableIndex({ columnNames: ['event_id'] })`);
    expect(migration).not.toMatch(/\bname: '(FK|IDX|PK)_/);
    expect(migration).toContain(`await queryRunner.dropTable('user_events')`);

    if (hasPostgres) expectReferenceUsage(await runTypeormUsage(dir, usage('postgres')));
  });

  // Needs the MariaDB server; CI sets MYSQL_URL, so it runs there.
  it.skipIf(!hasMysql)('works on MariaDB: the same project pointed at type mariadb', async () => {
    const dir = await copy('typeorm-pg');
    await retargetDataSource(dir, 'src/data-source.ts', 'mariadb');
    await generate(dir, REFERENCE_ARGS);
    expectReferenceUsage(await runTypeormUsage(dir, usage('mariadb')));
  });

  for (const [database, available] of [
    ['postgres', hasPostgres],
    ['mariadb', hasMysql],
  ] as const) {
    // Runs only where the server is configured (CI sets DATABASE_URL and MYSQL_URL).
    it.runIf(available)(
      `${database}: extra attributes (string, datetime, map, array) and timestamps agree with TypeORM`,
      async () => {
        const dir = await copy('typeorm-pg');
        await retargetDataSource(dir, 'src/data-source.ts', database);
        await generate(dir, [
          'gen',
          'resource',
          'Accounts',
          'UserTopic',
          '--primary-key',
          'user_id,topic_id',
          '-a',
          'role:string:required',
          '-a',
          'joined_at:utc_datetime',
          '-a',
          'permissions:map',
          '-a',
          'tags:string:array',
          '--timestamps',
        ]);
        expectReferenceUsage(
          await runTypeormUsage(dir, {
            ...usage(database),
            right: {
              className: 'Topic',
              module: 'src/entities/Topic.ts',
              values: [{ name: 'Alpha' }, { name: 'Beta' }],
            },
            joinEntity: {
              className: 'UserTopic',
              module: 'src/entities/UserTopic.ts',
              table: 'user_topics',
            },
            rightKey: 'topicId',
            rightRelation: 'topic',
            collection: 'userTopics',
            joinValues: { role: 'member', permissions: { read: true }, tags: ['a'] },
          }),
        );
      },
    );
  }

  it('works on SQLite: the same project pointed at better-sqlite3 (uuid keys stored as varchar)', async () => {
    const dir = await copy('typeorm-pg');
    await retargetDataSource(dir, 'src/data-source.ts', 'sqlite');
    // A SQLite project's own initial migration stores uuid ids as varchar, as TypeORM does.
    const init = join(dir, 'src/migrations/1700000000000-Init.ts');
    await writeFile(
      init,
      (await readFile(init, 'utf8')).replaceAll(`type: 'uuid'`, `type: 'varchar'`),
    );
    await generate(dir, REFERENCE_ARGS);
    const migration = await migrationFile(dir, 'src/migrations', 'CreateUserEventsJoinTable');
    expect(migration).toContain(`{ name: 'user_id', type: 'varchar', isPrimary: true }`);
    expectReferenceUsage(await runTypeormUsage(dir, usage('sqlite')));
  });
});

describe('typeorm-nest (NestJS layout, explicit entities, forFeature per domain, CommonJS)', () => {
  const nestOptions = {
    optionsImport: `import { AppModule } from '../src/app.module.js'`,
    // The forRoot() options as the fixture's @nestjs/typeorm stand-in keeps them.
    optionsExpression:
      `(Reflect.getMetadata('imports', AppModule) as { providers?: { provide?: string; useValue?: unknown }[] }[])` +
      `.flatMap((entry) => entry.providers ?? []).find((provider) => provider.provide === 'TypeOrmModuleOptions')!.useValue`,
  };

  it('places the join in the Accounts domain, registers it in forRoot and the accounts forFeature', async () => {
    const dir = await copy('typeorm-nest');
    const stdout = await generate(dir, REFERENCE_ARGS);
    expect(stdout).toContain('created src/accounts/entities/user-event.entity.ts');
    expect(stdout).toContain('updated src/works/entities/event.entity.ts');

    const app = await readFile(join(dir, 'src/app.module.ts'), 'utf8');
    expect(app).toContain('entities: [User, Event, Task, UserEvent]');
    expect(app).toContain(`import { UserEvent } from './accounts/entities/user-event.entity';`);
    const accounts = await readFile(join(dir, 'src/accounts/accounts.module.ts'), 'utf8');
    expect(accounts).toContain('TypeOrmModule.forFeature([User, UserEvent])');
    const works = await readFile(join(dir, 'src/works/works.module.ts'), 'utf8');
    expect(works).not.toContain('UserEvent');
    const event = await readFile(join(dir, 'src/works/entities/event.entity.ts'), 'utf8');
    expect(event).toContain(
      `import { UserEvent } from '../../accounts/entities/user-event.entity';`,
    );
    expect(event).toContain(
      "import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';",
    );
    const entity = await readFile(join(dir, 'src/accounts/entities/user-event.entity.ts'), 'utf8');
    expect(entity).toContain('user!: User;');
    await migrationFile(dir, 'src/migrations', 'CreateUserEventsJoinTable');

    if (hasPostgres) {
      expectReferenceUsage(
        await runTypeormUsage(dir, {
          database: 'postgres',
          ...nestOptions,
          left: {
            className: 'User',
            module: 'src/accounts/entities/user.entity.ts',
            values: PEOPLE,
          },
          right: {
            className: 'Event',
            module: 'src/works/entities/event.entity.ts',
            values: TITLES,
          },
          joinEntity: {
            className: 'UserEvent',
            module: 'src/accounts/entities/user-event.entity.ts',
            table: 'user_events',
          },
          leftKey: 'userId',
          rightKey: 'eventId',
          leftRelation: 'user',
          rightRelation: 'event',
          collection: 'userEvents',
        }),
      );
    }
  });

  it('joins a uuid key with an integer key, with extra attributes and timestamps', async () => {
    const dir = await copy('typeorm-nest');
    const args = [
      'gen',
      'resource',
      'Accounts.UserTask',
      '--primary-key',
      'user_id,task_id',
      '-a',
      'role:string:required',
      '-a',
      'permissions:map',
      '--timestamps',
    ];
    await generate(dir, args);
    const entity = await readFile(join(dir, 'src/accounts/entities/user-task.entity.ts'), 'utf8');
    expect(entity).toContain(`@PrimaryColumn('integer', { name: 'task_id' })`);
    expect(entity).toContain('taskId!: number;');
    expect(entity).toContain(`@Column('jsonb', { nullable: true })`);
    expect(entity).toContain(`@CreateDateColumn({ name: 'inserted_at', type: 'timestamptz' })`);

    if (hasPostgres) {
      expectReferenceUsage(
        await runTypeormUsage(dir, {
          database: 'postgres',
          ...nestOptions,
          left: {
            className: 'User',
            module: 'src/accounts/entities/user.entity.ts',
            values: PEOPLE,
          },
          right: { className: 'Task', module: 'src/works/entities/task.entity.ts', values: TITLES },
          joinEntity: {
            className: 'UserTask',
            module: 'src/accounts/entities/user-task.entity.ts',
            table: 'user_tasks',
          },
          leftKey: 'userId',
          rightKey: 'taskId',
          leftRelation: 'user',
          rightRelation: 'task',
          collection: 'userTasks',
          joinValues: { role: 'owner' },
        }),
      );
    }
  });
});

describe('typeorm-sqlite (integer ids, explicit entity and migration class lists)', () => {
  const usage = (overrides: Partial<TypeormUsageOptions>): TypeormUsageOptions => ({
    database: 'sqlite',
    optionsImport: `import { dataSource } from '../src/db/data-source.js'`,
    optionsExpression: 'dataSource.options',
    left: { className: 'User', module: 'src/models/user.ts', values: PEOPLE },
    right: { className: 'Event', module: 'src/models/event.ts', values: TITLES },
    joinEntity: {
      className: 'UserEvent',
      module: 'src/models/user-event.ts',
      // the project's entities are `@Entity()` (tables `user`, `event`) with a `createdAt`
      // column: its naming, singular tables and camelCase columns, holds for the join
      table: 'user_event',
    },
    leftKey: 'userId',
    rightKey: 'eventId',
    leftRelation: 'user',
    rightRelation: 'event',
    collection: 'userEvents',
    ...overrides,
  });

  it('keys follow the integer primary keys; entity and migration classes are registered', async () => {
    const dir = await copy('typeorm-sqlite');
    await generate(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
    ]);
    const entity = await readFile(join(dir, 'src/models/user-event.ts'), 'utf8');
    expect(entity).toContain('@Entity()\nexport class UserEvent {');
    expect(entity).toContain('    @PrimaryColumn("integer")\n    userId!: number;');
    expect(entity).toContain(`import { User } from "./user";`);
    const dataSource = await readFile(join(dir, 'src/db/data-source.ts'), 'utf8');
    expect(dataSource).toContain('entities: [User, Event, Task, Topic, UserEvent]');
    expect(dataSource).toMatch(/migrations: \[Init1700000000000, CreateUserEventJoinTable\d{13}\]/);
    expect(dataSource).toMatch(
      /import \{ CreateUserEventJoinTable\d{13} \} from "\.\/migrations\/\d{13}-CreateUserEventJoinTable";/,
    );
    expect(dataSource).toContain(`import { UserEvent } from "../models/user-event";`);
    await migrationFile(dir, 'src/db/migrations', 'CreateUserEventJoinTable');
    expectReferenceUsage(await runTypeormUsage(dir, usage({})));
  });

  it('carries extra attributes and timestamps that TypeORM agrees with', async () => {
    const dir = await copy('typeorm-sqlite');
    await generate(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserTopic',
      '--primary-key',
      'user_id,topic_id',
      '-a',
      'role:string:required',
      '-a',
      'joined_at:utc_datetime',
      '-a',
      'permissions:map',
      '-a',
      'tags:string:array',
      '--timestamps',
    ]);
    expectReferenceUsage(
      await runTypeormUsage(
        dir,
        usage({
          right: {
            className: 'Topic',
            module: 'src/models/topic.ts',
            values: [{ name: 'Alpha' }, { name: 'Beta' }],
          },
          joinEntity: {
            className: 'UserTopic',
            module: 'src/models/user-topic.ts',
            table: 'user_topic',
          },
          rightKey: 'topicId',
          rightRelation: 'topic',
          collection: 'userTopics',
          joinValues: { role: 'member', permissions: { read: true }, tags: ['a'] },
        }),
      ),
    );
  });
});

describe('typeorm: joinery migrate, --no-migration and bad input', () => {
  it("joinery migrate runs TypeORM's migration:run on the project's DataSource", async () => {
    const dir = await copy('typeorm-sqlite');
    await generate(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
    ]);
    const database = join(dir, 'test.sqlite');
    const run = await runJoinery(dir, ['migrate'], { DATABASE_FILE: database });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /Migration CreateUserEventJoinTable\d{13} has been executed successfully/,
    );
    const { default: Database } = await import('better-sqlite3');
    const client = new Database(database, { readonly: true });
    try {
      const tables = client
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all();
      expect(tables).toContainEqual({ name: 'user_event' });
    } finally {
      client.close();
    }
  });

  it('--no-migration leaves the migration out', async () => {
    const dir = await copy('typeorm-pg');
    const run = await runJoinery(dir, [...REFERENCE_ARGS, '--no-migration']);
    expect(run.exitCode).toBe(0);
    expect(
      (await readdir(join(dir, 'src/migrations'))).filter((file) => file.includes('JoinTable')),
    ).toEqual([]);
    expect(existsSync(join(dir, 'src/entities/UserEvent.ts'))).toBe(true);
  });

  it.each([
    [
      'a missing entity',
      'typeorm-pg',
      ['gen', 'resource', 'Accounts', 'UserGroup', '--primary-key', 'user_id,group_id'],
      3,
      /Resource Group not found: no TypeORM @Entity class is named Group[\s\S]*src\/entities\/Event\.ts:\d+ Event \('events'\)/,
    ],
    [
      'a key type that contradicts the referenced key',
      'typeorm-sqlite',
      REFERENCE_ARGS,
      2,
      /--attribute user_id:uuid contradicts the key it refers to: User's primary key User\.id \(src\/models\/user\.ts:\d+\) is generated \(increment\) int/,
    ],
  ])(
    '%s exits non-zero with a clear message and changes no file',
    async (_name, fixture, args, code, message) => {
      const dir = await copy(fixture);
      const before = await snapshotTree(dir);
      const run = await runJoinery(dir, args);
      expect(run.exitCode).toBe(code);
      expect(run.stderr).toMatch(message);
      expect(diffTrees(before, await snapshotTree(dir))).toEqual({
        added: [],
        removed: [],
        changed: [],
      });
    },
  );
});
