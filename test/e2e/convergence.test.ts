/**
 * Convergence, not overwrite, through the built CLI: re-running gen with more attributes adds
 * them to the existing join (the user's own code in it is kept) with a migration for just that
 * change, which the ORM's own migrator applies; --ignore-if-exists does nothing; --force
 * regenerates the join from its template.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery, typecheck } from '../support/cli.js';
import { migrateDrizzleProject } from '../support/databases.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { runTypeormUsage } from '../support/typeorm-usage.js';
import { recordedEntries } from '../support/manifest.js';

const KEYS = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
const USER_CODE = '\n// Added by hand: joinery keeps it.\nexport const JOIN_NOTE = 1\n';

async function unchangedBy(dir: string, args: string[]) {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, args);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
  return result;
}

describe('Drizzle: a join grows', () => {
  let dir: string;
  const joinFile = () => path.join(dir, 'src/accounts/user-event.ts');
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
    expect((await runJoinery(dir, KEYS)).exitCode).toBe(0);
    await writeFile(joinFile(), (await readFile(joinFile(), 'utf8')) + USER_CODE);
  });
  afterAll(() => cleanup(dir));

  it('adds the new columns through the AST and migrates just them', async () => {
    const result = await runJoinery(dir, [
      ...KEYS,
      '-a',
      'role:string,joined_at:utc_datetime',
      '--timestamps',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/updated src\/accounts\/user-event\.ts/);
    expect(result.stdout).not.toMatch(/src\/accounts\/user\.ts|src\/works\/event\.ts/); // sides untouched
    const source = await readFile(joinFile(), 'utf8');
    expect(source).toContain("role: text('role'),");
    expect(source).toContain(
      "joinedAt: timestamp('joined_at', { withTimezone: true, precision: 0 }),",
    );
    expect(source).toMatch(/insertedAt: timestamp\('inserted_at', \{ withTimezone: true \}\)/);
    expect(source).toContain(USER_CODE.trim());
    const migrations = (await readdir(path.join(dir, 'drizzle'))).filter((file) =>
      file.endsWith('.sql'),
    );
    expect(migrations).toEqual([
      '0000_init.sql',
      '0001_create_user_events_join_table.sql',
      '0002_add_role_joined_at_inserted_at_updated_at_to_user_events.sql',
    ]);
    const sql = await readFile(path.join(dir, 'drizzle', migrations[2]!), 'utf8');
    expect(sql.match(/ALTER TABLE "user_events" ADD COLUMN/g)).toHaveLength(4);
    expect(sql).not.toMatch(/CREATE TABLE|DROP/);

    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const info = await db.inspectTable('user_events');
      expect(info.columns.map((column) => column.name)).toEqual([
        'user_id',
        'event_id',
        'role',
        'joined_at',
        'inserted_at',
        'updated_at',
      ]);
    } finally {
      await db.close();
    }
    expect((await typecheck(dir)).exitCode).toBe(0);
  });

  it('a re-run with fewer attributes keeps what is recorded: nothing to change', async () => {
    const result = await unchangedBy(dir, KEYS);
    expect(result.stdout).toContain('Accounts.UserEvent is current: nothing to change.');
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });

  it('a definition that contradicts the recorded one is refused (exit 2)', async () => {
    const result = await unchangedBy(dir, [...KEYS, '-a', 'role:integer']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /attribute "role" is recorded in joinery\/Accounts\.UserEvent\.json as type string, not integer/,
    );
    expect(result.stderr).toMatch(/--conflicts replace \(or --force\)/);
  });

  it('--force regenerates the join table from the template, in place, keeping the user code', async () => {
    // A hand edit the template does not have: --force replaces it.
    const edited = (await readFile(joinFile(), 'utf8')).replace(
      "role: text('role'),",
      "role: text('role').default('member'),",
    );
    await writeFile(joinFile(), edited);
    const result = await runJoinery(dir, [
      ...KEYS,
      '-a',
      'role:string,joined_at:utc_datetime,note:text',
      '--timestamps',
      '--force',
    ]);
    expect(result.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(result.exitCode).toBe(0);
    const source = await readFile(joinFile(), 'utf8');
    expect(source).toContain("role: text('role'),");
    expect(source).toContain("note: text('note'),");
    expect(source).toContain(USER_CODE.trim());
    expect(source.indexOf('export const userEvents')).toBeLessThan(source.indexOf('JOIN_NOTE'));
    const manifest = await recordedEntries(dir);
    expect(manifest['Accounts.UserEvent'].migrations.map((m: { name: string }) => m.name)).toEqual([
      'create_user_events_join_table',
      'add_role_joined_at_inserted_at_updated_at_to_user_events',
      'update_user_events_join_table',
    ]);
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
  });
});

describe('TypeORM: a join grows', () => {
  let dir: string;
  const entity = () => path.join(dir, 'src/models/user-event.ts');
  beforeAll(async () => {
    dir = await copyFixture('typeorm-sqlite');
    expect((await runJoinery(dir, KEYS)).exitCode).toBe(0);
    const source = await readFile(entity(), 'utf8');
    // A method the user added to the generated entity.
    await writeFile(
      entity(),
      source.replace(
        /\n}\n$/,
        '\n\n  label(): string {\n    return `${this.userId}-${this.eventId}`;\n  }\n}\n',
      ),
    );
  });
  afterAll(() => cleanup(dir));

  it('adds @Column properties and an ALTER migration that TypeORM agrees with', async () => {
    const result = await runJoinery(dir, [...KEYS, '-a', 'note:text', '--timestamps']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /created src\/db\/migrations\/\d{13}-AddNoteCreatedAtUpdatedAtToUserEvent\.ts/,
    );
    const source = await readFile(entity(), 'utf8');
    expect(source).toMatch(/@Column\("text", \{ nullable: true \}\)\n\s+note!: string \| null;/);
    expect(source).toContain('@CreateDateColumn(');
    expect(source).toContain('label(): string {');
    const migrations = await readdir(path.join(dir, 'src/db/migrations'));
    const alter = migrations.find((file) => file.includes('AddNote'))!;
    const text = await readFile(path.join(dir, 'src/db/migrations', alter), 'utf8');
    expect(text).toContain('await queryRunner.addColumns("user_event", [');
    expect(text).toContain('new TableColumn({ name: "note", type: "text", isNullable: true })');
    expect(text).toContain('await queryRunner.dropColumn("user_event", "note");');
    const dataSource = await readFile(path.join(dir, 'src/db/data-source.ts'), 'utf8');
    expect(dataSource).toMatch(/AddNoteCreatedAtUpdatedAtToUserEvent\d{13},?\s*\]/);
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');

    const usage = await runTypeormUsage(dir, {
      database: 'sqlite',
      optionsImport: `import { dataSource } from '../src/db/data-source.js'`,
      optionsExpression: 'dataSource.options',
      left: {
        className: 'User',
        module: 'src/models/user.ts',
        values: [
          { name: 'Ada', email: 'ada@example.com' },
          { name: 'Grace', email: 'grace@example.com' },
        ],
      },
      right: {
        className: 'Event',
        module: 'src/models/event.ts',
        values: [{ title: 'Alpha' }, { title: 'Beta' }],
      },
      joinEntity: {
        className: 'UserEvent',
        module: 'src/models/user-event.ts',
        // typeorm-sqlite's naming: `@Entity()` tables, camelCase columns, its `createdAt`
        table: 'user_event',
      },
      leftKey: 'userId',
      rightKey: 'eventId',
      leftRelation: 'user',
      rightRelation: 'event',
      collection: 'userEvents',
      typecheck: false,
    });
    expect(usage.migrations.at(-1)).toMatch(/^AddNoteCreatedAtUpdatedAtToUserEvent\d{13}$/);
    expect(usage.pending).toEqual([]); // TypeORM's own schema diff: entity and migrations agree
    expect(usage.leftWithRights).toEqual(['Alpha', 'Beta']);
  });

  it('a second run changes nothing and check is current', async () => {
    const result = await unchangedBy(dir, [...KEYS, '-a', 'note:text', '--timestamps']);
    expect(result.stdout).toContain('is current: nothing to change');
    expect((await runJoinery(dir, ['check'])).stdout).toBe(
      'joinery check: 1 resource in joinery.json current.',
    );
  });
});
