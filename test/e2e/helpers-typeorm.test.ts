/**
 * --helpers on the TypeORM fixtures, through the built CLI: the helpers module is generated beside
 * the join entity, type-checks against the real typeorm, and does what it says through a
 * DataSource on better-sqlite3, and on the PostgreSQL and MariaDB servers when they are set.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJoinery, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import {
  runHelpersUsage,
  type HelpersDatabase,
  type HelpersUsageResult,
  type TypeormHelpersOptions,
} from '../support/helpers-usage.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

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
  expect(again.stdout).toContain('is current: nothing to change');
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
  return run.stdout;
}

const ROLE = { row: 'userEvent', name: 'role', onAppend: 'owner', onSet: 'member' };

function expectScenario(result: HelpersUsageResult, attributes: boolean): void {
  // append is idempotent: a second append of the same (and repeated) ids changes nothing
  expect(result.afterAppend).toEqual(['l1-r1', 'l1-r2']);
  expect(result.afterAppendAgain).toEqual(['l1-r1', 'l1-r2']);
  // load brings the join row's own attributes; append kept the existing links as they were
  expect(result.loaded).toEqual([
    ['r1', attributes ? 'owner' : null],
    ['r2', attributes ? 'owner' : null],
  ]);
  // set leaves exactly the given links: r1 gone, r3 new (with set's attributes), r2 untouched
  expect(result.afterSet).toEqual(['l1-r2', 'l1-r3']);
  expect(result.loadedAfterSet).toEqual([
    ['r2', attributes ? 'owner' : null],
    ['r3', attributes ? 'member' : null],
  ]);
  // remove deletes the link, not the event
  expect(result.afterRemove).toEqual(['l1-r3']);
  expect(result.rightsAfterRemove).toBe(3);
  expect(result.inverseLoaded).toEqual(['l1', 'l2']);
  // two appends of the same pair at once both succeed, leaving one link
  expect(result.concurrent).toEqual(['fulfilled', 'fulfilled']);
  expect(result.afterConcurrent).toEqual(['l1-r3', 'l2-r1', 'l2-r3']);
  // unknown ids raise NotFoundError listing them, and change nothing
  expect(result.missingRightOnAppend).toEqual({ notFound: 'Event', ids: ['missing'] });
  expect(result.missingRightOnSet).toEqual({ notFound: 'Event', ids: ['missing'] });
  expect(result.missingLeftOnRemove).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.missingLeftOnLoad).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.missingLeftOnInverseAppend).toEqual({ notFound: 'User', ids: ['missing'] });
  expect(result.unchangedAfterMissing).toBe(true);
  // deleting a user cascades to its links; the events stay
  expect(result.afterDelete).toEqual(['l2-r1', 'l2-r3']);
  expect(result.rightsAfterDelete).toBe(3);
}

const scenario = (
  database: HelpersDatabase,
  files: { user: string; event: string; join: string; helpers: string },
  dataSource: { optionsImport: string; optionsExpression: string },
): TypeormHelpersOptions => ({
  orm: 'typeorm',
  database,
  helpersModule: files.helpers,
  forward: 'UserEvents',
  inverse: 'EventUsers',
  leftValues: [
    { name: 'Ada Lovelace', email: 'ada@example.com' },
    { name: 'Grace Hopper', email: 'grace@example.com' },
  ],
  rightValues: [{ title: 'Alpha' }, { title: 'Beta' }, { title: 'Gamma' }],
  attribute: ROLE,
  ...dataSource,
  left: { className: 'User', module: files.user },
  right: { className: 'Event', module: files.event },
  joinEntity: { className: 'UserEvent', module: files.join },
  leftKey: 'userId',
  rightKey: 'eventId',
});

describe('typeorm-sqlite: --helpers with integer keys, explicit entity lists, better-sqlite3', () => {
  it('generates the helpers beside the join entity and runs them through the DataSource', async () => {
    const dir = await copy('typeorm-sqlite');
    const stdout = await generate(dir, [
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
    const helpers = 'src/models/user-event.helpers.ts';
    expect(stdout).toContain(`created ${helpers}`);
    expect(stdout).toContain('await loadUserEvents(dataSource, userId)');
    expect(stdout).toContain('await appendUserEvents(dataSource, userId, eventIds, { role })');
    const source = await readFile(join(dir, helpers), 'utf8');
    expect(source).toContain(
      'import { type DataSource, type EntityManager, In, Not } from "typeorm";',
    );
    expect(source).toContain('import { UserEvent } from "./user-event";');
    expect(source).toContain('export type UserEventAttributes = Pick<UserEvent, "role">;');
    // TypeORM shares one SQLite connection: the helpers' transactions take turns; no row locks
    expect(source).toContain('let queue: Promise<unknown> = Promise.resolve();');
    expect(source).not.toContain('lock:');
    const dataSource = await readFile(join(dir, 'src/db/data-source.ts'), 'utf8');
    expect(dataSource).not.toContain('helpers');

    expectScenario(
      await runHelpersUsage(
        dir,
        scenario(
          'sqlite',
          {
            user: 'src/models/user.ts',
            event: 'src/models/event.ts',
            join: 'src/models/user-event.ts',
            helpers,
          },
          {
            optionsImport: `import { dataSource } from '../src/db/data-source.js'`,
            optionsExpression: 'dataSource.options',
          },
        ),
      ),
      true,
    );
  });
});

describe('typeorm-pg: --helpers with uuid keys and an entities glob', () => {
  const files = {
    user: 'src/entities/User.ts',
    event: 'src/entities/Event.ts',
    join: 'src/entities/UserEvent.ts',
    helpers: 'src/entities/UserEvent.helpers.ts',
  };
  const dataSource = {
    optionsImport: `import { AppDataSource } from '../src/data-source.js'`,
    optionsExpression: 'AppDataSource.options',
  };
  const args = [...REFERENCE_ARGS, '-a', 'role:string', '--helpers'];

  it('on SQLite (the same project pointed at better-sqlite3): uuids stored as text', async () => {
    const dir = await copy('typeorm-pg');
    await retargetDataSource(dir, 'src/data-source.ts', 'sqlite');
    const init = join(dir, 'src/migrations/1700000000000-Init.ts');
    await writeFile(
      init,
      (await readFile(init, 'utf8')).replaceAll(`type: 'uuid'`, `type: 'varchar'`),
    );
    const stdout = await generate(dir, args);
    expect(stdout).toContain(`created ${files.helpers}`);
    const source = await readFile(join(dir, files.helpers), 'utf8');
    expect(source).toContain('const eventIdKey = (id: EventId): unknown => id.toLowerCase()');
    expect(source).toContain("export type UserEventAttributes = Partial<Pick<UserEvent, 'role'>>");
    expectScenario(await runHelpersUsage(dir, scenario('sqlite', files, dataSource)), true);
  });

  for (const [database, available, lock, driverType] of [
    ['postgres', hasPostgres, 'for_key_share', undefined],
    ['mariadb', hasMysql, 'pessimistic_read', undefined],
    // MariaDB configured as `type: 'mysql'`: TypeORM's pessimistic_read would be FOR SHARE there
    ['mariadb', hasMysql, 'pessimistic_write', 'mysql'],
  ] as const) {
    // Runs only where the server is configured (CI sets DATABASE_URL and MYSQL_URL).
    it.runIf(available)(
      `on the ${database} server${driverType ? ` as type '${driverType}'` : ''}: rows found stay locked until commit, with an eager relation`,
      async () => {
        const dir = await copy('typeorm-pg');
        await retargetDataSource(dir, 'src/data-source.ts', database);
        const config = join(dir, 'src/data-source.ts');
        if (driverType) {
          const text = await readFile(config, 'utf8');
          await writeFile(config, text.replace(`type: '${database}'`, `type: '${driverType}'`));
          // TypeORM's mysql driver keeps uuids in varchar(36), as a MySQL project's init would
          const init = join(dir, 'src/migrations/1700000000000-Init.ts');
          await writeFile(
            init,
            (await readFile(init, 'utf8')).replaceAll(
              `type: 'uuid'`,
              `type: 'varchar', length: '36'`,
            ),
          );
        }
        // An eager relation joins into every find: Postgres refuses FOR KEY SHARE on its
        // nullable side, so the helpers' lookups must not load it.
        const user = join(dir, files.user);
        const eager = (await readFile(user, 'utf8')).replace(
          '@OneToMany(() => Post, (post) => post.author)',
          '@OneToMany(() => Post, (post) => post.author, { eager: true })',
        );
        expect(eager).toContain('{ eager: true }');
        await writeFile(user, eager);
        await generate(dir, args);
        const source = await readFile(join(dir, files.helpers), 'utf8');
        expect(source).toContain(`lock: { mode: '${lock}' }`);
        expect(source).toContain('loadEagerRelations: false');
        expect(source).not.toContain('let queue');
        expectScenario(
          await runHelpersUsage(dir, { ...scenario(database, files, dataSource), driverType }),
          true,
        );
      },
    );
  }
});

describe('typeorm-nest: --helpers in a NestJS layout (CommonJS, *.entity.ts)', () => {
  it('names the module after the entity file without its .entity infix and type-checks', async () => {
    const dir = await copy('typeorm-nest');
    const stdout = await generate(dir, [...REFERENCE_ARGS, '--helpers']);
    expect(stdout).toContain('created src/accounts/entities/user-event.helpers.ts');
    const source = await readFile(join(dir, 'src/accounts/entities/user-event.helpers.ts'), 'utf8');
    expect(source).toContain(`import { Event } from '../../works/entities/event.entity';`);
    expect(source).toContain(`import { UserEvent } from './user-event.entity';`);
    expect(source).not.toContain('UserEventAttributes');
    // Not an entity: no forFeature or entities list names the helpers.
    const accounts = await readFile(join(dir, 'src/accounts/accounts.module.ts'), 'utf8');
    expect(accounts).toContain('TypeOrmModule.forFeature([User, UserEvent])');
  });
});
