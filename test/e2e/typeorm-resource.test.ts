/**
 * Plain resources (issue #7) with the built CLI on copies of the TypeORM fixtures: new entities
 * with uuid, integer and uuid v7 keys, belongs_to with each on-delete rule, columns added to
 * entities that exist; each project type-checked against the real typeorm, migrated with
 * TypeORM's runner (schema diff empty), then used: insert, load with relations, delete the
 * destination. A second run changes nothing; bad input changes nothing.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runJoinery, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { hasMysql, hasPostgres, retargetDataSource } from '../support/typeorm-fixture.js';
import {
  runTypeormResourceUsage,
  type TypeormResourceUsageOptions,
  type TypeormResourceUsageResult,
} from '../support/typeorm-resource-usage.js';
import type { TypeormDatabase } from '../support/typeorm-usage.js';
import { recordedEntries } from '../support/manifest.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function copy(name: string): Promise<string> {
  const dir = await copyFixture(name);
  copies.push(dir);
  return dir;
}

/** Runs the command; expects success and that a second run, and --check, change nothing. */
async function generate(dir: string, args: string[]): Promise<string> {
  const run = await runJoinery(dir, args);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const before = await snapshotTree(dir);
  const again = await runJoinery(dir, args);
  expect(again.stderr).toBe('');
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

async function expectTypechecks(dir: string): Promise<void> {
  const checked = await typecheck(dir);
  expect(checked.stdout + checked.stderr).toBe('');
  expect(checked.exitCode).toBe(0);
}

async function migrationFile(dir: string, folder: string, name: string): Promise<string> {
  const files = (await readdir(join(dir, folder))).filter((file) => file.endsWith(`-${name}.ts`));
  expect(files).toHaveLength(1);
  return readFile(join(dir, folder, files[0]!), 'utf8');
}

const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');

/** Expects the migrations applied, TypeORM's own diff empty, and both inserts done. */
function expectMigrated(result: TypeormResourceUsageResult, lastMigration: RegExp): void {
  expect(result.migrations.at(-1)).toMatch(lastMigration);
  expect(result.pending).toEqual([]);
  expect(result.tableAfterUp).toBe(true);
  expect(result.ids).toHaveLength(2);
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The issue's command, with a required belongs_to whose rows go with their organizer. */
const ISSUE_ARGS = [
  'gen',
  'resource',
  'Works',
  'Event',
  '--uuid-primary-key',
  'id',
  '-a',
  'title:string:required',
  '-a',
  'starts_at:utc_datetime',
  '--timestamps',
  '-r',
  'belongs_to:organizer:Accounts.User:required',
  '--on-delete',
  'cascade',
];

/** typeorm-pg without its Event entity (and without the events table in its first migration). */
async function pgWithoutEvent(database: TypeormDatabase = 'postgres'): Promise<string> {
  const dir = await copy('typeorm-pg');
  await rm(join(dir, 'src/entities/Event.ts'));
  const init = join(dir, 'src/migrations/1700000000000-Init.ts');
  let text = (await readFile(init, 'utf8')).replace(`      ['events', 'title'],\n`, '');
  if (database === 'sqlite') text = text.replaceAll(`type: 'uuid'`, `type: 'varchar'`);
  await writeFile(init, text);
  if (database !== 'postgres') await retargetDataSource(dir, 'src/data-source.ts', database);
  return dir;
}

const pgUsage = (database: TypeormDatabase): TypeormResourceUsageOptions => ({
  database,
  optionsImport: `import { AppDataSource } from '../src/data-source.js'`,
  optionsExpression: 'AppDataSource.options',
  resource: {
    className: 'Event',
    module: 'src/entities/Event.ts',
    table: 'events',
    values: { title: 'Launch', startsAt: null },
  },
  relations: [
    {
      property: 'organizer',
      columnProperty: 'organizerId',
      className: 'User',
      module: 'src/entities/User.ts',
      inverse: 'events',
      values: { name: 'Ada', email: 'ada@example.com' },
    },
  ],
});

/** Cascade: the organizer's delete takes its event along; the other organizer's event stays. */
function expectCascade(result: TypeormResourceUsageResult): void {
  expect(result.relations).toEqual([
    {
      loaded: 'Ada',
      inverseCount: 1,
      deleteFailed: false,
      rowsAfterDelete: 1,
      columnAfterDelete: 'row deleted',
    },
  ]);
  expect(result.tableAfterDown).toBe(false);
}

describe('typeorm-pg: the issue command (uuid key, ESM, entities glob)', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = await pgWithoutEvent();
    stdout = await generate(dir, ISSUE_ARGS);
  });

  it('creates the entity beside the others, the inverse on User and the migration', async () => {
    expect(stdout).toContain('created src/entities/Event.ts');
    expect(stdout).toContain('updated src/entities/User.ts');
    expect(stdout).toMatch(/created src\/migrations\/\d{13}-CreateEventsTable\.ts/);
    expect(stdout).toContain('Use it with TypeORM');
    expect(stdout).toContain('relations: { organizer: true }');
    expect(stdout).toContain(
      '// A User with its events. Deleting a user deletes its events (cascade on organizer_id).',
    );
    await expectTypechecks(dir);

    const entity = await read(dir, 'src/entities/Event.ts');
    expect(entity).toContain(`@Entity('events')`);
    expect(entity).toContain(`@PrimaryGeneratedColumn('uuid')\n  id!: string`);
    expect(entity).toContain(`@Column('varchar', { length: 255 })\n  title!: string\n`);
    expect(entity).toContain(
      `@Column('timestamptz', { name: 'starts_at', nullable: true })\n  startsAt!: Date | null`,
    );
    expect(entity).toContain(
      `@Column('uuid', { name: 'organizer_id' })\n  @Index()\n  organizerId!: string\n`,
    );
    expect(entity).toMatch(
      /@ManyToOne\(\(\) => User, \(user\) => user\.events, \{\s+onDelete: 'CASCADE',\s+nullable: false,?\s+\}\)\n\s+@JoinColumn\(\{ name: 'organizer_id' \}\)\n\s+organizer!: Relation<User>\n/,
    );
    expect(entity).toContain(`@CreateDateColumn({ name: 'inserted_at', type: 'timestamptz' })`);
    expect(entity).toContain(`from './User.js'`);
    expect(entity).not.toContain(';');

    const user = await read(dir, 'src/entities/User.ts');
    expect(user).toContain(
      '  @OneToMany(() => Event, (event) => event.organizer)\n  events!: Event[]\n',
    );
    expect(user).toContain(`import { Event } from './Event.js'`);
    expect(await read(dir, 'src/data-source.ts')).not.toContain('Event');

    const migration = await migrationFile(dir, 'src/migrations', 'CreateEventsTable');
    expect(migration).toMatch(/export class CreateEventsTable\d{13} implements MigrationInterface/);
    expect(migration).toContain(`generationStrategy: 'uuid'`);
    expect(migration).toContain(`{ name: 'organizer_id', type: 'uuid' }`);
    expect(migration).toContain(`onDelete: 'CASCADE'`);
    expect(migration).toContain(`new TableIndex({ columnNames: ['organizer_id'] })`);
    expect(migration).not.toMatch(/\bname: '(FK|IDX|PK)_/);
    expect(await recordedEntries(dir)).toHaveProperty(['Works.Event']);
  });

  // Needs the PostgreSQL server; CI sets DATABASE_URL, so it runs there.
  it.runIf(hasPostgres)('postgres: migrates cleanly and cascades', async () => {
    const result = await runTypeormResourceUsage(dir, pgUsage('postgres'));
    expectMigrated(result, /^CreateEventsTable\d{13}$/);
    expectCascade(result);
  });
});

describe('the issue command on other databases (same project, other driver)', () => {
  it('sqlite: uuid keys stored as varchar; migrates cleanly and cascades', async () => {
    const dir = await pgWithoutEvent('sqlite');
    await generate(dir, ISSUE_ARGS);
    await expectTypechecks(dir);
    const migration = await migrationFile(dir, 'src/migrations', 'CreateEventsTable');
    expect(migration).toContain(`{ name: 'organizer_id', type: 'varchar' }`);
    expect(migration).toContain(
      `{ name: 'inserted_at', type: 'datetime', default: "datetime('now')" }`,
    );
    const result = await runTypeormResourceUsage(dir, pgUsage('sqlite'));
    expectMigrated(result, /^CreateEventsTable\d{13}$/);
    expectCascade(result);
  });

  // Needs the MariaDB server; CI sets MYSQL_URL, so it runs there.
  it.runIf(hasMysql)('mariadb: migrates cleanly and cascades', async () => {
    const dir = await pgWithoutEvent('mariadb');
    await generate(dir, ISSUE_ARGS);
    await expectTypechecks(dir);
    const result = await runTypeormResourceUsage(dir, pgUsage('mariadb'));
    expectMigrated(result, /^CreateEventsTable\d{13}$/);
    expectCascade(result);
  });
});

describe('integer and uuid v7 keys on the servers', () => {
  for (const [database, available] of [
    ['postgres', hasPostgres],
    ['mariadb', hasMysql],
  ] as const) {
    // Runs only where the server is configured (CI sets DATABASE_URL and MYSQL_URL).
    it.runIf(available)(
      `${database}: set null and cascade hold, TypeORM's diff is empty`,
      async () => {
        const dir = await copy('typeorm-pg');
        if (database !== 'postgres') await retargetDataSource(dir, 'src/data-source.ts', database);
        await generate(dir, [
          'gen',
          'resource',
          'Works',
          'Venue',
          '--integer-primary-key',
          'id',
          '-a',
          'name:string:required',
        ]);
        await generate(dir, [
          'gen',
          'resource',
          'Works',
          'Ticket',
          '--uuid-v7-primary-key',
          'id',
          '-a',
          'seat:string',
          '-r',
          'belongs_to:holder:Accounts.User:on_delete_set_null',
          '-r',
          'belongs_to:venue:Works.Venue:required',
          '--on-delete',
          'cascade',
          '--timestamps',
        ]);
        await expectTypechecks(dir);
        const result = await runTypeormResourceUsage(dir, {
          ...pgUsage(database),
          resource: {
            className: 'Ticket',
            module: 'src/entities/Ticket.ts',
            table: 'tickets',
            values: { seat: 'A1' },
          },
          relations: [
            {
              ...pgUsage(database).relations[0]!,
              property: 'holder',
              columnProperty: 'holderId',
              inverse: 'tickets',
            },
            {
              className: 'Venue',
              module: 'src/entities/Venue.ts',
              values: { name: 'Hall' },
              property: 'venue',
              columnProperty: 'venueId',
              inverse: 'tickets',
            },
          ],
        });
        expectMigrated(result, /^CreateTicketsTable\d{13}$/);
        for (const id of result.ids) expect(id).toMatch(UUID_V7);
        expect(result.relations).toEqual([
          {
            loaded: 'Ada',
            inverseCount: 1,
            deleteFailed: false,
            rowsAfterDelete: 2,
            columnAfterDelete: null,
          },
          {
            loaded: 'Hall',
            inverseCount: 1,
            deleteFailed: false,
            rowsAfterDelete: 1,
            columnAfterDelete: 'row deleted',
          },
        ]);
        expect(result.tableAfterDown).toBe(false);
      },
    );
  }
});

describe('typeorm-sqlite: integer and uuid v7 keys, restrict and set null, existing entities grow', () => {
  let dir: string;
  const sqliteUsage = (
    resource: TypeormResourceUsageOptions['resource'],
    relations: TypeormResourceUsageOptions['relations'],
    undo = false,
  ): TypeormResourceUsageOptions => ({
    database: 'sqlite',
    optionsImport: `import { dataSource } from '../src/db/data-source.js'`,
    optionsExpression: 'dataSource.options',
    resource,
    relations,
    undo,
  });
  const user = {
    className: 'User',
    module: 'src/models/user.ts',
    values: { name: 'Ada', email: 'ada@example.com' },
  };

  beforeAll(async () => {
    dir = await copy('typeorm-sqlite');
    // Existing entities first, so the last migration is the uuid v7 resource's (undone at the end).
    await generate(dir, ['gen', 'resource', 'Accounts', 'User', '-a', 'nickname:string']);
    await generate(dir, [
      'gen',
      'resource',
      'Works',
      'Event',
      '-r',
      'belongs_to:organizer:Accounts.User',
    ]);
    await generate(dir, [
      'gen',
      'resource',
      'Works',
      'Venue',
      '--integer-primary-key',
      'id',
      '-a',
      'name:string:required',
      '-r',
      'belongs_to:owner:Accounts.User',
    ]);
    await generate(dir, [
      'gen',
      'resource',
      'Works',
      'Ticket',
      '--uuid-v7-primary-key',
      'id',
      '-a',
      'seat:string',
      '-r',
      'belongs_to:holder:Accounts.User:on_delete_set_null',
      '-r',
      'belongs_to:venue:Works.Venue:required',
      '--on-delete',
      'cascade',
    ]);
  });

  it('adds only what is missing to existing entities, with add_..._to_ migrations', async () => {
    await expectTypechecks(dir);
    const userEntity = await read(dir, 'src/models/user.ts');
    expect(userEntity).toContain(
      `    @Column("varchar", { nullable: true })\n    nickname!: string | null;`,
    );
    expect(userEntity).toContain(
      `    @OneToMany(() => Event, (event) => event.organizer)\n    events!: Event[];`,
    );
    expect(userEntity).toContain(
      `    @OneToMany(() => Ticket, (ticket) => ticket.holder)\n    tickets!: Ticket[];`,
    );
    const event = await read(dir, 'src/models/event.ts');
    expect(event).toContain(
      // The project's entities are `@Entity()` with a `createdAt` column: camelCase in SQL.
      `    @Column("integer", { nullable: true })\n    @Index()\n    organizerId!: number | null;\n\n    @ManyToOne(() => User, (user) => user.events, { onDelete: "RESTRICT" })\n    @JoinColumn({ name: "organizerId" })\n    organizer!: Relation<User> | null;`,
    );
    expect(event).toMatch(
      /import \{[^}]*\bIndex,\s+JoinColumn,\s+ManyToOne,[^}]*type Relation,?\s*\} from "typeorm";/,
    );
    expect(event).toContain(`import { User } from "./user";`);
    const alter = await migrationFile(dir, 'src/db/migrations', 'AddOrganizerIdToEvent');
    expect(alter).toContain(`await queryRunner.addColumns("event", [`);
    expect(alter).toContain(`await queryRunner.createForeignKeys("event", [`);
    await migrationFile(dir, 'src/db/migrations', 'AddNicknameToUser');

    const dataSource = await read(dir, 'src/db/data-source.ts');
    expect(dataSource).toContain('entities: [User, Event, Task, Topic, Venue, Ticket]');
    expect(dataSource).toMatch(
      /Init1700000000000,\s+AddNicknameToUser\d{13},\s+AddOrganizerIdToEvent\d{13},\s+CreateVenueTable\d{13},\s+CreateTicketTable\d{13},?\s*\]/,
    );
  });

  it('integer key: @PrimaryGeneratedColumn(), restrict keeps the owner while venues point at it', async () => {
    const venue = await read(dir, 'src/models/venue.ts');
    expect(venue).toContain(`    @PrimaryGeneratedColumn()\n    id!: number;`);
    const migration = await migrationFile(dir, 'src/db/migrations', 'CreateVenueTable');
    expect(migration).toMatch(
      /name: "id",\s+type: "integer",\s+isPrimary: true,\s+isGenerated: true,\s+generationStrategy: "increment"/,
    );
    const result = await runTypeormResourceUsage(
      dir,
      sqliteUsage(
        {
          className: 'Venue',
          module: 'src/models/venue.ts',
          table: 'venue',
          values: { name: 'Hall' },
        },
        [
          {
            ...user,
            property: 'owner',
            columnProperty: 'ownerId',
            inverse: 'venues',
          },
        ],
      ),
    );
    expect(result.pending).toEqual([]);
    expect(result.ids).toEqual([1, 2]);
    expect(result.relations).toEqual([
      {
        loaded: 'Ada',
        inverseCount: 1,
        deleteFailed: true,
        rowsAfterDelete: 2,
        columnAfterDelete: expect.any(Number) as unknown,
      },
    ]);
  });

  it('existing entity with a new belongs_to: the alter migration agrees with TypeORM', async () => {
    const result = await runTypeormResourceUsage(
      dir,
      sqliteUsage(
        {
          className: 'Event',
          module: 'src/models/event.ts',
          table: 'event',
          values: { title: 'Launch' },
        },
        [{ ...user, property: 'organizer', columnProperty: 'organizerId', inverse: 'events' }],
      ),
    );
    expect(result.pending).toEqual([]);
    expect(result.relations[0]).toMatchObject({ loaded: 'Ada', deleteFailed: true });
  });

  it('uuid v7 key made in code by @BeforeInsert; set null and cascade; the migration undoes', async () => {
    const ticket = await read(dir, 'src/models/ticket.ts');
    expect(ticket).toContain(`    @PrimaryColumn("uuid")\n    id!: string;`);
    expect(ticket).toContain(`import { uuidv7 } from "../uuidv7";`);
    expect(ticket).toMatch(
      /@BeforeInsert\(\)\n\s+generateId\(\): void \{\n\s+if \(!this\.id\) this\.id = uuidv7\(\);/,
    );
    expect(ticket).toContain(`{ onDelete: "SET NULL" }`);
    expect(ticket).toContain(`{ onDelete: "CASCADE", nullable: false }`);
    expect(await read(dir, 'src/uuidv7.ts')).toContain('export function uuidv7(): string');

    const result = await runTypeormResourceUsage(
      dir,
      sqliteUsage(
        {
          className: 'Ticket',
          module: 'src/models/ticket.ts',
          table: 'ticket',
          values: { seat: 'A1' },
        },
        [
          { ...user, property: 'holder', columnProperty: 'holderId', inverse: 'tickets' },
          {
            className: 'Venue',
            module: 'src/models/venue.ts',
            values: { name: 'Hall' },
            property: 'venue',
            columnProperty: 'venueId',
            inverse: 'tickets',
          },
        ],
        true,
      ),
    );
    expectMigrated(result, /^CreateTicketTable\d{13}$/);
    for (const id of result.ids) expect(id).toMatch(UUID_V7);
    expect(result.relations).toEqual([
      // Deleting the holder keeps the ticket, without holder.
      {
        loaded: 'Ada',
        inverseCount: 1,
        deleteFailed: false,
        rowsAfterDelete: 2,
        columnAfterDelete: null,
      },
      // Deleting the venue takes its ticket along.
      {
        loaded: 'Hall',
        inverseCount: 1,
        deleteFailed: false,
        rowsAfterDelete: 1,
        columnAfterDelete: 'row deleted',
      },
    ]);
    expect(result.tableAfterDown).toBe(false);
  });
});

describe('typeorm-nest: per-domain folders, forRoot and forFeature lists, CommonJS', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copy('typeorm-nest');
    await generate(dir, [
      'gen',
      'resource',
      'Works',
      'Venue',
      '--uuid-primary-key',
      'id',
      '-a',
      'name:string:required',
      '-r',
      'belongs_to:owner:Accounts.User:required',
    ]);
    await generate(dir, [
      'gen',
      'resource',
      'Works',
      'Event',
      '-r',
      'belongs_to:organizer:Accounts.User',
    ]);
    await generate(dir, ['gen', 'resource', 'Accounts', 'User', '-a', 'nickname:string']);
  });

  it('places and registers the entity like the project does; grows existing entities', async () => {
    await expectTypechecks(dir);
    const venue = await read(dir, 'src/works/entities/venue.entity.ts');
    expect(venue).toContain(`import { User } from '../../accounts/entities/user.entity';`);
    expect(venue).toContain('owner!: User;');
    const app = await read(dir, 'src/app.module.ts');
    expect(app).toContain('entities: [User, Event, Task, Venue]');
    expect(app).toContain(`import { Venue } from './works/entities/venue.entity';`);
    const works = await read(dir, 'src/works/works.module.ts');
    expect(works).toContain('TypeOrmModule.forFeature([Event, Task, Venue])');
    expect(await read(dir, 'src/accounts/accounts.module.ts')).not.toContain('Venue');

    const user = await read(dir, 'src/accounts/entities/user.entity.ts');
    expect(user).toContain(`import { Venue } from '../../works/entities/venue.entity';`);
    expect(user).toContain(
      `  @OneToMany(() => Venue, (venue) => venue.owner)\n  venues!: Venue[];`,
    );
    expect(user).toContain(
      `  @Column('varchar', { length: 255, nullable: true })\n  nickname!: string | null;`,
    );
    const event = await read(dir, 'src/works/entities/event.entity.ts');
    expect(event).toContain(
      `  @Column('uuid', { name: 'organizer_id', nullable: true })\n  @Index()\n  organizerId!: string | null;`,
    );
    await migrationFile(dir, 'src/migrations', 'CreateVenuesTable');
    await migrationFile(dir, 'src/migrations', 'AddOrganizerIdToEvents');
    await migrationFile(dir, 'src/migrations', 'AddNicknameToUsers');
  });

  // Needs the PostgreSQL server (the fixture's first migration is PostgreSQL SQL); CI sets DATABASE_URL.
  it.runIf(hasPostgres)(
    'postgres: every migration agrees with TypeORM; restrict holds',
    async () => {
      const result = await runTypeormResourceUsage(dir, {
        database: 'postgres',
        optionsImport: `import { AppModule } from '../src/app.module.js'`,
        optionsExpression:
          `(Reflect.getMetadata('imports', AppModule) as { providers?: { provide?: string; useValue?: unknown }[] }[])` +
          `.flatMap((entry) => entry.providers ?? []).find((provider) => provider.provide === 'TypeOrmModuleOptions')!.useValue`,
        resource: {
          className: 'Venue',
          module: 'src/works/entities/venue.entity.ts',
          table: 'venues',
          values: { name: 'Hall' },
        },
        relations: [
          {
            className: 'User',
            module: 'src/accounts/entities/user.entity.ts',
            values: { name: 'Ada', email: 'ada@example.com' },
            property: 'owner',
            columnProperty: 'ownerId',
            inverse: 'venues',
          },
        ],
        undo: false,
      });
      expect(result.pending).toEqual([]);
      expect(result.relations[0]).toMatchObject({
        loaded: 'Ada',
        deleteFailed: true,
        rowsAfterDelete: 2,
      });
    },
  );
});

describe('existing resources: --ignore-if-exists, --conflicts replace', () => {
  it('plans nothing for an existing entity under --ignore-if-exists', async () => {
    const dir = await copy('typeorm-pg');
    const before = await snapshotTree(dir);
    const run = await runJoinery(dir, [
      'gen',
      'resource',
      'Works',
      'Event',
      '-a',
      'starts_at:utc_datetime',
      '--ignore-if-exists',
    ]);
    expect(run.exitCode).toBe(0);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('regenerates a hand-edited resource joinery created, without a migration', async () => {
    const dir = await copy('typeorm-pg');
    const args = [
      'gen',
      'resource',
      'Works',
      'Venue',
      '--uuid-primary-key',
      'id',
      '-a',
      'name:string',
    ];
    await generate(dir, args);
    const file = join(dir, 'src/entities/Venue.ts');
    const generated = await readFile(file, 'utf8');
    await writeFile(file, generated.replace('name!: string | null', 'name!: any'));
    const run = await runJoinery(dir, [...args, '--conflicts', 'replace']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('updated src/entities/Venue.ts');
    expect(run.stdout).not.toContain('created src/migrations');
    expect(await readFile(file, 'utf8')).toBe(generated);
  });
});

describe('bad input exits non-zero and changes nothing', () => {
  it.each([
    [
      'a new resource without a key flag',
      ['gen', 'resource', 'Works', 'Venue', '-a', 'name:string'],
      2,
      /Works\.Venue does not exist yet, and a new resource needs a primary key[\s\S]*--uuid-primary-key id/,
    ],
    [
      'a key flag that contradicts the existing entity',
      ['gen', 'resource', 'Works', 'Event', '--integer-primary-key', 'id'],
      2,
      /exists with the primary key id \(generated uuid, uuid\); the command line asks for integer key id/,
    ],
    [
      'an unknown destination, with did-you-mean',
      [
        'gen',
        'resource',
        'Works',
        'Venue',
        '--uuid-primary-key',
        'id',
        '-r',
        'belongs_to:owner:Accounts.Usr',
      ],
      3,
      /Resource Accounts\.Usr not found[^\n]*\(did you mean "User"\?\)/,
    ],
    [
      'set-null on a required belongs_to',
      [
        'gen',
        'resource',
        'Works',
        'Venue',
        '--uuid-primary-key',
        'id',
        '-r',
        'belongs_to:owner:Accounts.User:required',
        '--on-delete',
        'set-null',
      ],
      2,
      /cannot apply to the required relationship "owner"/,
    ],
  ])('%s', async (_name, args, exitCode, message) => {
    const dir = await copy('typeorm-pg');
    const before = await snapshotTree(dir);
    const run = await runJoinery(dir, args);
    expect(run.stderr).toMatch(message);
    expect(run.exitCode).toBe(exitCode);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
