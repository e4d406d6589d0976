/**
 * The built CLI on temp copies of the Drizzle fixtures, as a user would run it: generate the
 * reference's joins, type-check against the real drizzle-orm, apply the migrations with drizzle's
 * own migrator, and run the reference's usage (load, link, remove, cascade) for real.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { hasPostgres, migrateDrizzleProject } from '../support/databases.js';
import {
  cleanup,
  copyFixture,
  diffTrees,
  snapshotTree,
  type FixtureName,
} from '../support/fixture.js';
import { runDrizzleUsage, type UsageDialect } from '../support/usage.js';

type Right = 'events' | 'tasks' | 'topics';
const RESOURCE: Record<Right, string> = { events: 'Event', tasks: 'Task', topics: 'Topic' };

/** The reference's exact command line (uuid keys declared). */
const referenceArgs = (right: Right) => {
  const key = `${RESOURCE[right].toLowerCase()}_id`;
  return [
    'gen',
    'resource',
    'Accounts',
    `User${RESOURCE[right]}`,
    '--primary-key',
    `user_id,${key}`,
    '--attributes',
    'user_id:uuid:required',
    '--attributes',
    `${key}:uuid:required`,
  ];
};

/** Key types left open: they follow the referenced primary keys (integer, varchar, ...). */
const keysOnlyArgs = (right: Right) => [
  'gen',
  'resource',
  'Accounts',
  `User${RESOURCE[right]}`,
  '--primary-key',
  `user_id,${RESOURCE[right].toLowerCase()}_id`,
];

interface Case {
  fixture: FixtureName;
  dialect: UsageDialect;
  rights: Right[];
  args: (right: Right) => string[];
  rightValues?: Partial<Record<Right, [Record<string, unknown>, Record<string, unknown>]>>;
  joinFiles: Partial<Record<Right, string>>;
  sqlTable: (right: Right) => string;
  casing?: 'snake_case';
}

const cases: Case[] = [
  {
    fixture: 'drizzle-pg-domains',
    dialect: 'pglite',
    rights: ['events', 'tasks', 'topics'],
    args: referenceArgs,
    joinFiles: {
      events: 'src/accounts/user-event.ts',
      tasks: 'src/accounts/user-task.ts',
      topics: 'src/accounts/user-topic.ts',
    },
    sqlTable: (right) => `user_${right}`,
  },
  {
    fixture: 'drizzle-pg-single',
    dialect: 'pglite',
    rights: ['events', 'topics'],
    args: keysOnlyArgs,
    rightValues: {
      topics: [
        { id: 'alpha', name: 'Alpha' },
        { id: 'beta', name: 'Beta' },
      ],
    },
    joinFiles: { events: 'src/db/schema.ts', topics: 'src/db/schema.ts' },
    sqlTable: (right) => `app_user_${right}`,
  },
  {
    fixture: 'drizzle-sqlite',
    dialect: 'sqlite',
    rights: ['events', 'tasks'],
    args: keysOnlyArgs,
    joinFiles: { events: 'src/db/schema/user-events.ts', tasks: 'src/db/schema/user-tasks.ts' },
    sqlTable: (right) => `user_${right}`,
    casing: 'snake_case',
  },
];

const usageOptions = (c: Case, right: Right) => {
  const singular = RESOURCE[right].toLowerCase();
  return {
    join: `user${RESOURCE[right]}s`,
    left: 'users',
    right,
    leftKey: 'userId',
    rightKey: `${singular}Id`,
    leftRelation: 'user',
    rightRelation: singular,
    ...(c.rightValues?.[right] ? { rightValues: c.rightValues[right] } : {}),
    ...(c.casing ? { casing: c.casing } : {}),
  };
};

describe.each(cases)('gen resource on $fixture', (c) => {
  let dir: string;
  const outputs: Partial<Record<Right, string>> = {};

  beforeAll(async () => {
    dir = await copyFixture(c.fixture);
    for (const right of c.rights) {
      const result = await runJoinery(dir, c.args(right));
      expect(result.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
      expect(result.exitCode).toBe(0);
      outputs[right] = result.stdout;
    }
  });
  afterAll(() => cleanup(dir));

  it.each(c.rights)(
    'creates the %s join, patches both sides and generates the migration',
    async (right) => {
      const stdout = outputs[right]!;
      const joinFile = c.joinFiles[right]!;
      expect(stdout).toMatch(new RegExp(`(created|updated) ${joinFile.replace(/\./g, '\\.')}`));
      expect(stdout).toMatch(new RegExp(`migration \\S+_create_user_${right}_join_table\\.sql`));
      expect(stdout).toContain('Use it with Drizzle');
      const source = await readFile(path.join(dir, joinFile), 'utf8');
      expect(source).toContain(
        `onDelete: ${c.fixture === 'drizzle-pg-single' ? '"cascade"' : "'cascade'"}`,
      );
      expect(source).toMatch(/primaryKey\(\{ columns: \[t\.userId, t\.\w+Id\] \}\)/);
    },
  );

  it('keeps the project style and comments', async () => {
    const all = await snapshotTree(dir);
    const user = [...all.entries()].find(
      ([file, text]) => /relations\(users/.test(text) && file.startsWith('src'),
    )!;
    expect(user[1]).toMatch(/\/\/|\/\*\*/); // comments survive
    for (const right of c.rights)
      expect(user[1]).toContain(`user${RESOURCE[right]}s: many(user${RESOURCE[right]}s)`);
    if (c.fixture === 'drizzle-pg-domains') {
      expect(all.get('src/accounts/user-event.ts')).not.toMatch(/;\s*$/m); // semi: false
      expect(all.get('src/accounts/user.ts')).toContain("from './user-event.js'");
      expect(all.get('src/db/schema.ts')).toContain("export * from '../accounts/user-event.js'");
    }
    if (c.fixture === 'drizzle-sqlite') {
      expect(all.get('src/db/relations.ts')).toContain('userEventsRelations');
      expect(all.get('src/db/schema/user-events.ts')).toMatch(/integer\(\)\s*\.notNull\(\)/); // casing: no names
      expect(all.get('src/db/schema/index.ts')).toContain("export * from './user-events'");
    }
  });

  it('a second identical run changes nothing', async () => {
    const before = await snapshotTree(dir);
    for (const right of c.rights) {
      const result = await runJoinery(dir, c.args(right));
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('is current: nothing to change');
    }
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it.each(c.rights)('type-checks, migrates and runs the usage of the %s join', async (right) => {
    const result = await runDrizzleUsage(dir, { dialect: c.dialect, ...usageOptions(c, right) });
    expect(result.joinTable).toBe(c.sqlTable(right));
    expect(result.leftWithRights).toEqual(['Alpha', 'Beta']);
    expect(result.rightWithLefts).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(result.duplicateRejected).toBe(true);
    expect(result.foreignKeyEnforced).toBe(true);
    expect(result.linksAfterRemove).toBe(1);
    expect(result.linksAfterLeftDelete).toBe(0);
    expect(result.rowsAfterLeftDelete).toBe(1);
    expect(result.rowsAfterRightDelete).toBe(0);
  });

  it('the join table has the composite key, cascading foreign keys and the second-key index', async () => {
    const db = await migrateDrizzleProject(dir, c.dialect === 'sqlite' ? 'sqlite' : 'pglite');
    try {
      for (const right of c.rights) {
        const info = await db.inspectTable(c.sqlTable(right));
        const key = `${RESOURCE[right].toLowerCase()}_id`;
        expect(info.primaryKey).toEqual(['user_id', key]);
        expect(
          info.columns
            .filter((column) => column.notNull)
            .map((column) => column.name)
            .sort(),
        ).toEqual([key, 'user_id'].sort());
        expect(info.foreignKeys.map((fk) => [fk.columns.join(), fk.onDelete]).sort()).toEqual(
          [
            [key, 'cascade'],
            ['user_id', 'cascade'],
          ].sort(),
        );
        expect(info.indexes.some((index) => index.columns.join() === key && !index.primary)).toBe(
          true,
        );
      }
    } finally {
      await db.close();
    }
  });

  // Postgres fixtures only; runs where the server is configured (CI sets DATABASE_URL).
  const onServer = c.dialect === 'pglite' ? it.runIf(hasPostgres()) : undefined;
  onServer?.('runs the usage on the PostgreSQL server (DATABASE_URL)', async () => {
    const result = await runDrizzleUsage(dir, {
      dialect: 'postgres',
      typecheck: false,
      ...usageOptions(c, c.rights[0]!),
    });
    expect(result.leftWithRights).toEqual(['Alpha', 'Beta']);
    expect(result.linksAfterLeftDelete).toBe(0);
    expect(result.rowsAfterRightDelete).toBe(0);
  });
});

describe('gen resource with extra attributes and timestamps', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
  });
  afterAll(() => cleanup(dir));

  it('renders them and the migration applies', async () => {
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts.UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string:required,joined_at:utc_datetime_usec,tags:string:array,settings:map',
      '--timestamps',
    ]);
    expect(result.exitCode).toBe(0);
    const source = await readFile(path.join(dir, 'src/accounts/user-event.ts'), 'utf8');
    expect(source).toContain("role: text('role').notNull()");
    expect(source).toContain(
      "joinedAt: timestamp('joined_at', { withTimezone: true, precision: 6 })",
    );
    expect(source).toContain("tags: text('tags').array()");
    expect(source).toContain("settings: jsonb('settings').$type<Record<string, unknown>>()");
    expect(source).toMatch(
      /insertedAt: timestamp\('inserted_at', \{ withTimezone: true \}\)\s*\.notNull\(\)\s*\.defaultNow\(\)/,
    );
    const usage = await runDrizzleUsage(dir, {
      dialect: 'pglite',
      join: 'userEvents',
      left: 'users',
      right: 'events',
      leftKey: 'userId',
      rightKey: 'eventId',
      leftRelation: 'user',
      rightRelation: 'event',
      joinValues: { role: 'owner' },
    });
    expect(usage.leftWithRights).toEqual(['Alpha', 'Beta']);
    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const info = await db.inspectTable('user_events');
      expect(info.columns.map((column) => column.name)).toEqual([
        'user_id',
        'event_id',
        'role',
        'joined_at',
        'tags',
        'settings',
        'inserted_at',
        'updated_at',
      ]);
    } finally {
      await db.close();
    }
  });
});
