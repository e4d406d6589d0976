import { describe, expect, it } from 'vitest';

import { projectMigrationScript } from '../../src/targets/typeorm/migration.js';

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
