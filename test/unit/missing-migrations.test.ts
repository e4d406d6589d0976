/**
 * Two pure pieces of check's migration verdicts: which of TypeORM's schema-diff statements
 * concern a recorded table (by its quoted name, never a substring of another table's), and when
 * a deleted migration that the replay planned again counts as restored (its checksum matches the
 * record) or stays a refusal.
 */
import { describe, expect, it } from 'vitest';
import type { Difference } from '../../src/commands/differences.js';
import type { ManifestEntry } from '../../src/manifest/manifest.js';
import { migrationChecksum } from '../../src/manifest/migration-checksum.js';
import { settleMissingMigrations } from '../../src/manifest/verify-migrations.js';
import { namesTable } from '../../src/targets/typeorm/pending-migration.js';

describe('namesTable', () => {
  it.each([
    ['ALTER TABLE "user_events" ADD "note" text', 'user_events', true],
    ['CREATE TABLE "temporary_user_events" ("user_id" integer)', 'user_events', true],
    ['ALTER TABLE `user_events` DROP FOREIGN KEY `FK_1`', 'user_events', true],
    ['ALTER TABLE "public"."user_events" ALTER COLUMN "x" SET NOT NULL', 'user_events', true],
    // `events` is in `user_events`, but the statement is not about the events table.
    ['ALTER TABLE "user_events" ADD "note" text', 'events', false],
    ['CREATE INDEX "IDX_1" ON "users_events" ("event_id")', 'user_events', false],
    [
      'ALTER TABLE "a" ADD CONSTRAINT "FK" FOREIGN KEY ("b") REFERENCES "events"("id")',
      'events',
      true,
    ],
  ])('%s names %s: %s', (query, table, expected) => {
    expect(namesTable(query, table)).toBe(expected);
  });
});

const FILE = 'src/migrations/1700000000001-CreateUserEventsJoinTable.ts';
const TEXT = 'export class CreateUserEventsJoinTable1700000000001 {}\n';

function entry(sha256: Record<string, string> | undefined): ManifestEntry {
  return {
    domain: 'Accounts',
    resource: 'UserEvent',
    table: 'user_events',
    primaryKey: ['user_id', 'event_id'],
    attributes: [],
    relationships: [],
    timestamps: false,
    files: [],
    migrations: [
      { name: 'create_user_events_join_table', files: [FILE], ...(sha256 ? { sha256 } : {}) },
    ],
  };
}

/** What check has for a deleted migration the replay planned again: the record's and the plan's line. */
const differences: Difference[] = [
  { file: FILE, expected: 'the file joinery generates', found: 'no file', repair: 'sync' },
  {
    file: FILE,
    expected: 'migration create_user_events_join_table',
    found: 'no file',
    repair: 'manual',
    hint: 'restore it from version control',
  },
];

describe('settleMissingMigrations', () => {
  it('restored by sync when the planned text has the recorded checksum: one line', () => {
    const settled = settleMissingMigrations(
      differences,
      entry({ [FILE]: migrationChecksum(TEXT) }),
      new Map([[FILE, TEXT]]),
    );
    expect(settled).toEqual([
      {
        file: FILE,
        expected: 'migration create_user_events_join_table',
        found: 'no file',
        repair: 'sync',
        hint: undefined,
      },
    ]);
  });

  it('refused, saying why, when it would be written otherwise now', () => {
    const [settled, ...rest] = settleMissingMigrations(
      differences,
      entry({ [FILE]: '0'.repeat(64) }),
      new Map([[FILE, TEXT]]),
    );
    expect(rest).toEqual([]);
    expect(settled).toMatchObject({ repair: 'manual' });
    expect(settled!.hint).toMatch(
      /joinery would write it differently now \(sha256 [0-9a-f]{12}…, recorded 000000000000…\), so it is not the migration that was applied$/,
    );
  });

  it('refused when no checksum was recorded to compare', () => {
    const [settled] = settleMissingMigrations(
      differences,
      entry(undefined),
      new Map([[FILE, TEXT]]),
    );
    expect(settled).toMatchObject({ repair: 'manual' });
    expect(settled!.hint).toMatch(/no checksum was recorded to compare/);
  });

  it('left as it is when the replay did not plan the file again', () => {
    const recordOnly = differences.slice(1);
    expect(settleMissingMigrations(recordOnly, entry({ [FILE]: 'x' }), new Map())).toEqual(
      recordOnly,
    );
  });
});
