import { describe, expect, it } from 'vitest';

import { migrationFileStem, projectMigrationScript } from '../../src/targets/typeorm/migration.js';
import type { TypeormScan } from '../../src/targets/typeorm/scan.js';

describe('projectMigrationScript', () => {
  it.each([
    [
      { 'migration:run': 'typeorm-ts-node-commonjs migration:run -d src/data-source.ts' },
      { name: 'migration:run', args: [] },
    ],
    [
      {
        'typeorm:revert': 'typeorm migration:revert -d dist/ormconfig.js',
        'db:up': 'npm run build && typeorm migration:run -d dist/ormconfig.js',
      },
      { name: 'db:up', args: [] },
    ],
    // A fork without a CLI: the script is named for what it does.
    [{ 'migration:run': 'ts-node src/migrate.ts' }, { name: 'migration:run', args: [] }],
    [
      { migrate: 'ts-node src/migrate.ts', build: 'tsc' },
      { name: 'migrate', args: [] },
    ],
    [
      { typeorm: 'typeorm-ts-node-commonjs -d src/data-source.ts' },
      { name: 'typeorm', args: ['migration:run'] },
    ],
    // joinery migrate calling itself back is no migration script.
    [{ migrate: 'joinery migrate' }, undefined],
    [{ build: 'tsc', 'migration:revert': 'typeorm migration:revert -d x.js' }, undefined],
  ])('%j → %j', (scripts, expected) => {
    expect(projectMigrationScript(scripts)).toEqual(expected);
  });
});

describe('migrationFileStem', () => {
  const scanOf = (...files: string[]) =>
    ({ texts: new Map(files.map((file) => [file, ''])) }) as unknown as TypeormScan;
  it.each([
    [
      ['/app/src/migrations/1700000000000-create-users-and-articles.ts'],
      'create-user-events-join-table',
    ],
    [['/app/src/migrations/1700000000000-create_users.ts'], 'create_user_events_join_table'],
    [['/app/src/migrations/1700000000000-InitialMigration.ts'], 'CreateUserEventsJoinTable'],
    // One lower-case word says nothing of how words are joined; the next file decides.
    [
      [
        '/app/src/migrations/1700000000000-init.ts',
        '/app/src/migrations/1700000000001-add-tags.ts',
      ],
      'create-user-events-join-table',
    ],
    [[], 'CreateUserEventsJoinTable'],
  ])('%j → %s', (files, stem) => {
    expect(migrationFileStem(scanOf(...files), 'create_user_events_join_table')).toBe(stem);
  });
});
