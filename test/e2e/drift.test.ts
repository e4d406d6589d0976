/**
 * The drift table (issue 14): on one generated project per ORM, each hand edit a real user
 * makes. For each, `joinery check` exits 1 with one line naming the file (and line), what was
 * recorded and what is there, and writes nothing. A repairable edit is then put back by
 * `joinery sync`, after which `check` exits 0 (the ORM's own schema diff included). A dead end,
 * a change sync must not override, makes `sync` exit 3 with the same line and change no file.
 * After every row the project is put back as generated and must be current again, so the rows
 * are independent; at the end the project still type-checks against the real ORM package.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedEntries } from '../support/manifest.js';
import { runJoinery, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';

interface Row {
  name: string;
  /** Files to edit, relative to the project (a function of the recorded entry, for TypeORM). */
  file: string | ((entry: RecordedEntry) => string);
  /** The hand edit; undefined deletes the file. */
  edit: ((text: string) => string) | undefined;
  /** The line `check` prints (and, for a dead end, `sync` too). */
  line: RegExp;
  /** `sync` repairs it, or refuses with exit 3. */
  sync: 'repairs' | 'refuses';
  /** What a refusing sync says, when it is not `row.line` (a change no entry made). */
  refusal?: RegExp;
  /**
   * A repair of what the recorded migrations already create: check says drizzle-kit would write
   * nothing unless the edit was migrated, and sync adds no file (no empty migration either).
   */
  restoresMigrated?: true;
  /** Further hand edits made with the first (a migration deleted with its journal entry). */
  more?: { file: string | ((entry: RecordedEntry) => string); edit: Row['edit'] }[];
}

interface RecordedEntry {
  migrations: { name: string; files: string[]; sha256?: Record<string, string> }[];
}

/** Makes a row's hand edits in the project at `dir`. */
async function applyRow(dir: string, row: Row, entry: RecordedEntry): Promise<void> {
  for (const { file: name, edit } of [row, ...(row.more ?? [])]) {
    const file = path.join(dir, typeof name === 'string' ? name : name(entry));
    if (edit) await writeFile(file, edit(await readFile(file, 'utf8')));
    else await rm(file);
  }
}

const NOTHING_CHANGED = { added: [], removed: [], changed: [] };

function replaceOnce(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const after = text.replace(from, to);
    if (after === text) throw new Error(`edit did not apply: ${String(from)}`);
    return after;
  };
}

/** Puts every file back as `snapshot` has it (the generated project), removing added ones. */
async function restore(dir: string, snapshot: Map<string, string>): Promise<void> {
  const now = await snapshotTree(dir);
  const { added, removed, changed } = diffTrees(snapshot, now);
  for (const file of added) await rm(path.join(dir, file));
  for (const file of [...removed, ...changed]) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), snapshot.get(file)!);
  }
}

function driftTable(
  label: string,
  fixture: string,
  genArgs: string[],
  rows: Row[],
  entryKey = 'Accounts.UserEvent',
) {
  describe(`${label}: check finds each hand edit, sync repairs or refuses it`, () => {
    let dir: string;
    let generated: Map<string, string>;
    let entry: RecordedEntry;
    beforeAll(async () => {
      dir = await copyFixture(fixture);
      const gen = await runJoinery(dir, genArgs);
      expect(gen.exitCode, gen.stderr).toBe(0);
      generated = await snapshotTree(dir);
      entry = (await recordedEntries(dir))[entryKey];
      expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
    });
    afterAll(() => cleanup(dir));

    it.each(rows)('$name', async (row) => {
      await applyRow(dir, row, entry);
      try {
        const edited = await snapshotTree(dir);
        const check = await runJoinery(dir, ['check']);
        expect(check.exitCode, check.stdout + check.stderr).toBe(1);
        expect(check.stdout).toMatch(row.line);
        expect(check.stderr).not.toMatch(/^\s+at /m);
        expect(diffTrees(edited, await snapshotTree(dir))).toEqual(NOTHING_CHANGED);

        if (row.restoresMigrated) {
          expect(check.stdout).toMatch(
            /^ {2}would run drizzle-kit generate --name \w+, which writes a migration only if the edit was migrated already \(otherwise the repaired schema is what the recorded migrations create\)$/m,
          );
        }

        const sync = await runJoinery(dir, ['sync']);
        if (row.sync === 'repairs') {
          expect(sync.exitCode, sync.stderr).toBe(0);
          expect(sync.stdout).not.toMatch(/current\.$/);
          if (row.restoresMigrated) {
            expect(diffTrees(edited, await snapshotTree(dir)).added).toEqual([]);
          }
          const after = await runJoinery(dir, ['check']);
          expect(after.exitCode, after.stdout).toBe(0);
        } else {
          expect(sync.exitCode).toBe(3);
          if (row.refusal) expect(sync.stderr).toMatch(row.refusal);
          else {
            expect(sync.stderr).toMatch(/joinery sync cannot repair/);
            expect(sync.stderr).toMatch(row.line);
          }
          expect(sync.stderr).toMatch(/nothing was written\.$/m);
          expect(diffTrees(edited, await snapshotTree(dir))).toEqual(NOTHING_CHANGED);
        }
      } finally {
        // Byte for byte the generated project, which beforeAll proved current.
        await restore(dir, generated);
      }
    });

    it('--json carries the same lines: a repairable row and a dead end at once', async () => {
      // The last dead end that is one entry's (a change no entry made is project-wide).
      const first = rows[0]!;
      const last = rows.filter((row) => row.sync === 'refuses' && !row.refusal).at(-1)!;
      try {
        for (const row of [first, last]) await applyRow(dir, row, entry);
        const result = await runJoinery(dir, ['check', '--json']);
        expect(result.exitCode).toBe(1);
        const report = JSON.parse(result.stdout);
        expect(report.current).toBe(false);
        const [reported] = report.entries;
        const repairs = reported.differences.map(
          (difference: { repair: string }) => difference.repair,
        );
        expect(repairs).toContain('sync');
        expect(repairs).toContain('manual');
        for (const difference of reported.differences) {
          expect(difference).toEqual(
            expect.objectContaining({
              file: expect.any(String),
              expected: expect.any(String),
              found: expect.any(String),
            }),
          );
        }
        expect(reported.problems.some((line: string) => last.line.test(line))).toBe(true);
      } finally {
        await restore(dir, generated);
      }
    });

    it('still type-checks against the real ORM after every repair', async () => {
      const result = await typecheck(dir);
      expect(result.exitCode, result.stdout).toBe(0);
    });
  });
}

/** drizzle-kit's journal without the join's migration. */
function withoutJournalEntry(text: string): string {
  const journal = JSON.parse(text);
  const entries = journal.entries.filter(
    (item: { tag: string }) => item.tag !== '0001_create_user_events_join_table',
  );
  if (entries.length === journal.entries.length) throw new Error('no journal entry to remove');
  return JSON.stringify({ ...journal, entries }, null, 2);
}

const DRIZZLE_JOIN = 'src/accounts/user-event.ts';
const DRIZZLE_SQL = 'drizzle/0001_create_user_events_join_table.sql';

driftTable(
  'Drizzle',
  'drizzle-pg-domains',
  ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'],
  [
    {
      name: "the join's relations() removed",
      file: DRIZZLE_JOIN,
      edit: replaceOnce(/\nexport const userEventsRelations[\s\S]*$/, '\n'),
      line: /src\/accounts\/user-event\.ts:\d+: expected `export const userEventsRelations = relations\(userEvents, \(\{ one \}\) => \(\{ .*`, found nothing \(joinery sync restores it\)/,
      sync: 'repairs',
    },
    {
      name: "only the join's event: one(...) removed",
      file: DRIZZLE_JOIN,
      edit: replaceOnce(/\n {2}event: one\(events, \{[^}]*\}\),/, ''),
      line: /src\/accounts\/user-event\.ts:\d+: expected `.*event: one\(events, .*`, found /,
      sync: 'repairs',
    },
    {
      name: "the join's import removed from user.ts",
      file: 'src/accounts/user.ts',
      edit: replaceOnce("import { userEvents } from './user-event.js'\n", ''),
      line: /src\/accounts\/user\.ts:5: expected `import \{ userEvents \} from '\.\/user-event\.js'`, found nothing/,
      sync: 'repairs',
    },
    {
      name: "onDelete 'cascade' changed to 'restrict'",
      file: DRIZZLE_JOIN,
      edit: replaceOnce("onDelete: 'cascade'", "onDelete: 'restrict'"),
      line: /src\/accounts\/user-event\.ts:12: expected `\.references\(\(\) => users\.id, \{ onDelete: 'cascade' \}\),`, found `\.references\(\(\) => users\.id, \{ onDelete: 'restrict' \}\),`/,
      sync: 'repairs',
      restoresMigrated: true,
    },
    {
      name: 'NOT NULL removed from a key',
      file: DRIZZLE_JOIN,
      edit: replaceOnce(/(eventId: uuid\('event_id'\))\s*\.notNull\(\)/, '$1'),
      line: /src\/accounts\/user-event\.ts:14: expected `\.notNull\(\)`, found nothing \(joinery sync restores it\)/,
      sync: 'repairs',
      restoresMigrated: true,
    },
    {
      name: 'a key column removed (drizzle-kit cannot load the schema)',
      file: DRIZZLE_JOIN,
      edit: replaceOnce(/\n {4}eventId: uuid\('event_id'\)\n[^\n]*\n[^\n]*\n/, '\n'),
      line: /src\/accounts\/user-event\.ts:\d+: expected `.*eventId: uuid\('event_id'\)/,
      sync: 'repairs',
    },
    {
      name: 'the index removed',
      file: DRIZZLE_JOIN,
      edit: replaceOnce(/\n\s*index\('user_events_event_id_idx'\)\.on\(t\.eventId\),/, ''),
      line: /src\/accounts\/user-event\.ts:\d+: expected `index\('user_events_event_id_idx'\)\.on\(t\.eventId\),`, found nothing/,
      sync: 'repairs',
    },
    {
      name: 'dead end: a key type changed by hand',
      file: DRIZZLE_JOIN,
      edit: (text) =>
        replaceOnce(
          "userId: uuid('user_id')",
          "userId: text('user_id')",
        )(text).replace('primaryKey, uuid }', 'primaryKey, text, uuid }'),
      line: /src\/accounts\/user-event\.ts:10: expected userEvents\.userId built with uuid\(\), found text\(\) \(joinery sync will not override it: put the recorded type back/,
      sync: 'refuses',
    },
    {
      name: 'dead end: a key column renamed by hand',
      file: DRIZZLE_JOIN,
      edit: replaceOnce("uuid('event_id')", "uuid('evt_id')"),
      line: /src\/accounts\/user-event\.ts:13: expected userEvents\.eventId named 'event_id', found 'evt_id'/,
      sync: 'refuses',
    },
    {
      name: 'dead end: the table renamed in joinery.json',
      file: 'joinery/Accounts.UserEvent.json',
      edit: replaceOnce('"table": "user_events"', '"table": "user_event_links"'),
      line: /src\/accounts\/user-event\.ts:7: expected userEvents on table 'user_event_links' \(as joinery\/Accounts\.UserEvent\.json records it\), found 'user_events'/,
      sync: 'refuses',
    },
    {
      name: 'dead end: the recorded migration deleted',
      file: DRIZZLE_SQL,
      edit: undefined,
      line: /drizzle\/0001_create_user_events_join_table\.sql: expected migration create_user_events_join_table, found no file \(joinery sync will not override it: restore it from version control \(`git checkout -- drizzle\/0001_create_user_events_join_table\.sql`\); if it was never applied anywhere, remove its entry from drizzle\/meta\/_journal\.json and drizzle\/meta\/0001_snapshot\.json, then joinery sync generates it again with drizzle-kit\)/,
      sync: 'refuses',
    },
    {
      name: 'the recorded migration deleted with its journal entry and snapshot (never applied): sync has drizzle-kit write it again',
      file: DRIZZLE_SQL,
      edit: undefined,
      more: [
        { file: 'drizzle/meta/0001_snapshot.json', edit: undefined },
        { file: 'drizzle/meta/_journal.json', edit: withoutJournalEntry },
      ],
      line: /drizzle\/0001_create_user_events_join_table\.sql: expected migration create_user_events_join_table, found no file, and no journal entry or snapshot for it either \(joinery sync restores it\)/,
      sync: 'repairs',
    },
    {
      name: 'dead end: the recorded migration emptied',
      file: DRIZZLE_SQL,
      edit: () => '',
      line: /drizzle\/0001_create_user_events_join_table\.sql: expected migration create_user_events_join_table as generated \(sha256 [0-9a-f]{12}…\), found an empty file/,
      sync: 'refuses',
    },
    {
      name: 'dead end: the recorded (applied) migration edited',
      file: DRIZZLE_SQL,
      edit: replaceOnce(/ON DELETE cascade/g, 'ON DELETE restrict'),
      line: /drizzle\/0001_create_user_events_join_table\.sql: expected migration create_user_events_join_table as generated \(sha256 [0-9a-f]{12}…\), found an edited file \(sha256 [0-9a-f]{12}…\) .*set its "sha256" in joinery\.json to "[0-9a-f]{64}"/,
      sync: 'refuses',
    },
    {
      name: "dead end: the migration's drizzle journal entry removed",
      file: 'drizzle/meta/_journal.json',
      edit: withoutJournalEntry,
      line: /drizzle\/meta\/_journal\.json: expected an entry for 0001_create_user_events_join_table \(migration create_user_events_join_table\), found none, so drizzle-kit migrate never applies it/,
      sync: 'refuses',
    },
    {
      name: 'dead end: a schema edit no entry made, without its migration',
      file: 'src/works/topic.ts',
      edit: replaceOnce("name: text('name')", "name: text('name'),\n  color: text('color')"),
      line: /drizzle-kit generate would write a new migration:\n[\s\S]*ALTER TABLE "topics" ADD COLUMN "color" text/,
      sync: 'refuses',
      refusal:
        /joinery sync: every entry of joinery\.json is applied, but the migrations are behind the schema by changes no entry made:\n[\s\S]*ADD COLUMN "color"[\s\S]*npx drizzle-kit generate/,
    },
  ],
);

const TYPEORM_JOIN = 'src/models/user-event.ts';
const typeormMigration = (entry: RecordedEntry) => entry.migrations[0]!.files[0]!;

driftTable(
  'TypeORM',
  'typeorm-sqlite',
  ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'],
  [
    {
      name: "the join's @ManyToOne removed",
      file: TYPEORM_JOIN,
      edit: replaceOnce(/\n {4}@ManyToOne\(\(\) => Event[\s\S]*?event!: Relation<Event>;\n/, '\n'),
      line: /src\/models\/user-event\.ts:\d+: expected `@ManyToOne\(\(\) => Event, \(event\) => event\.userEvents, \{ onDelete: "CASCADE" \}\) @JoinColumn\(\{ name: "eventId" \}\)/,
      sync: 'repairs',
    },
    {
      name: "onDelete 'CASCADE' changed to 'RESTRICT'",
      file: TYPEORM_JOIN,
      edit: replaceOnce('onDelete: "CASCADE"', 'onDelete: "RESTRICT"'),
      line: /src\/models\/user-event\.ts:16: expected `onDelete: "CASCADE",`, found `onDelete: "RESTRICT",`/,
      sync: 'repairs',
    },
    {
      name: 'the registration in the entities array removed',
      file: 'src/db/data-source.ts',
      edit: replaceOnce(', UserEvent]', ']'),
      line: /src\/db\/data-source\.ts:\d+: expected `entities: \[User, Event, Task, Topic, UserEvent\],`, found `entities: \[User, Event, Task, Topic\],`/,
      sync: 'repairs',
    },
    {
      name: 'the index removed',
      file: TYPEORM_JOIN,
      edit: replaceOnce(/\n {4}@Index\(\)/, ''),
      line: /src\/models\/user-event\.ts:\d+: expected `@Index\(\)`, found nothing/,
      sync: 'repairs',
    },
    {
      name: "dead end: a column added to the join entity without a migration (TypeORM's own schema diff)",
      file: TYPEORM_JOIN,
      edit: (text) =>
        replaceOnce(
          '    eventId!: number;\n',
          '    eventId!: number;\n\n    @Column("text", { nullable: true })\n    note!: string | null;\n',
        )(text).replace('import { Entity,', 'import { Column, Entity,'),
      line: /TypeORM's schema diff is not empty after applying the migrations to an in-memory SQLite database \(better-sqlite3\); migration:generate would write:\n.*CREATE TABLE "temporary_user_event" .*"note" text/,
      sync: 'refuses',
      refusal:
        /the migrations are behind the schema by changes no entry made:\n[\s\S]*"note" text[\s\S]*TypeORM's migration:generate/,
    },
    {
      name: 'dead end: a key type changed by hand',
      file: TYPEORM_JOIN,
      // typeorm-sqlite's naming (`@Entity()`, `createdAt`): keys are camelCase, named by TypeORM.
      edit: replaceOnce(
        '@PrimaryColumn("integer")\n    userId',
        '@PrimaryColumn("bigint")\n    userId',
      ),
      line: /src\/models\/user-event\.ts:8: expected UserEvent\.userId type 'integer', found 'bigint' \(joinery sync will not override it/,
      sync: 'refuses',
    },
    {
      name: 'dead end: a key column renamed by hand',
      file: TYPEORM_JOIN,
      edit: replaceOnce(
        '@PrimaryColumn("integer")\n    @Index()',
        '@PrimaryColumn("integer", { name: "evt_id" })\n    @Index()',
      ),
      line: /src\/models\/user-event\.ts:\d+: expected UserEvent\.eventId column name 'eventId', found 'evt_id'/,
      sync: 'refuses',
    },
    {
      name: 'dead end: the recorded (applied) migration edited',
      file: typeormMigration,
      edit: replaceOnce('onDelete: "CASCADE"', 'onDelete: "RESTRICT"'),
      line: /src\/db\/migrations\/\d{13}-CreateUserEventJoinTable\.ts: expected migration create_user_event_join_table as generated \(sha256 [0-9a-f]{12}…\), found an edited file/,
      sync: 'refuses',
    },
    {
      name: 'the recorded migration deleted: sync writes it again, byte for byte as recorded',
      file: typeormMigration,
      edit: undefined,
      line: /src\/db\/migrations\/\d{13}-CreateUserEventJoinTable\.ts: expected migration create_user_event_join_table, found no file \(joinery sync restores it\)/,
      sync: 'repairs',
    },
    {
      name: 'dead end: the recorded migration deleted, and joinery would now write it otherwise than recorded',
      file: typeormMigration,
      edit: undefined,
      // As if the migration had been edited and its edit recorded before it was lost.
      more: [
        {
          file: 'joinery/Accounts.UserEvent.json',
          edit: (text) => text.replace(/"[0-9a-f]{64}"/, `"${'0'.repeat(64)}"`),
        },
      ],
      line: /src\/db\/migrations\/\d{13}-CreateUserEventJoinTable\.ts: expected migration create_user_event_join_table, found no file \(joinery sync will not override it: restore it from version control .*; joinery would write it differently now \(sha256 [0-9a-f]{12}…, recorded 000000000000…\), so it is not the migration that was applied\)/,
      sync: 'refuses',
    },
  ],
);
