/**
 * `-r many_to_many:events:Accounts.UserEvent:Works.Event` on User is Ash's way to ask for the
 * join: through the built CLI it must leave the project exactly as the reference's join command
 * does (files and joinery.json), for Drizzle and TypeORM; errors change nothing.
 */
import { describe, expect, it } from 'vitest';
import { runJoinery, typecheck } from '../support/cli.js';
import { migrateDrizzleProject } from '../support/databases.js';
import { diffTrees, fixtureCopies, snapshotTree } from '../support/fixture.js';
import { entriesInTree } from '../support/manifest.js';

const copy = fixtureCopies();

const JOIN_COMMAND = [
  'gen',
  'resource',
  'Accounts',
  'UserEvent',
  '--primary-key',
  'user_id,event_id',
  '--no-migration',
  '--yes',
];

describe.each(['drizzle-pg-domains', 'typeorm-pg'])('%s', (fixture) => {
  it.each([
    [['Accounts', 'User', '-r', 'many_to_many:events:Accounts.UserEvent:Works.Event']],
    [['Accounts.User', '-r', 'many_to_many:events:Works.Event']],
  ])('gen resource %j makes the same join as the join command', async (args) => {
    const [byJoin, byRelationship] = await Promise.all([copy(fixture), copy(fixture)]);
    const join = await runJoinery(byJoin, JOIN_COMMAND);
    expect(join.stderr).toBe('');
    expect(join.exitCode).toBe(0);
    const relationship = await runJoinery(byRelationship, [
      'gen',
      'resource',
      ...args,
      '--no-migration',
      '--yes',
    ]);
    expect(relationship.stderr).toBe('');
    expect(relationship.exitCode).toBe(0);
    expect(relationship.stdout).toContain('created');

    const [a, b] = await Promise.all([snapshotTree(byJoin), snapshotTree(byRelationship)]);
    // The same code; the record names the destinations the relationship named.
    const diff = diffTrees(a, b);
    expect(diff).toEqual({ added: [], removed: [], changed: ['joinery/Accounts.UserEvent.json'] });
    const recorded = (tree: Map<string, string>) => entriesInTree(tree)['Accounts.UserEvent'];
    expect(recorded(b)).toEqual({
      ...recorded(a),
      relationships: [
        'belongs_to:user:Accounts.User:primary_key',
        'belongs_to:event:Works.Event:primary_key',
      ],
    });
    expect(entriesInTree(b)['Accounts.User']).toBeUndefined();

    // A second run finds the join current.
    const again = await runJoinery(byRelationship, [
      'gen',
      'resource',
      ...args,
      '--no-migration',
      '--check',
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Accounts.UserEvent is current');
  });

  it('refuses --migration-name for a command that makes several resources, changing nothing', async () => {
    const dir = await copy(fixture);
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts.User',
      '-r',
      'many_to_many:events:Works.Event,many_to_many:tasks:Works.Task',
      '--migration-name',
      'link_users',
      '--yes',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--migration-name names one migration');
    expect(result.stderr).toContain('Accounts.UserEvent, Accounts.UserTask');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});

describe('a new resource with a many_to_many (drizzle-pg-domains)', () => {
  const VENUE = [
    'gen',
    'resource',
    'Works',
    'Venue',
    '--uuid-primary-key',
    'id',
    '-a',
    'name:string:required',
    '-r',
    'many_to_many:events:Works.Event',
  ];

  it('--dry-run shows the resource and names the join that follows; nothing written', async () => {
    const dir = await copy('drizzle-pg-domains');
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [...VENUE, '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('would create src/works/venue.ts');
    expect(result.stdout).toContain('Then: Works.VenueEvent, planned once Works.Venue exists');
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('writes the resource, then the join, each with its migration, and both apply', async () => {
    const dir = await copy('drizzle-pg-domains');
    const result = await runJoinery(dir, [...VENUE, '--yes']);
    // stderr holds only the progress lines of the two drizzle-kit runs.
    expect(result.stderr.trim().split('\n')).toEqual([
      'Running drizzle-kit generate --name create_venues_table ...',
      'Running drizzle-kit generate --name create_venue_events_join_table ...',
    ]);
    expect(result.exitCode).toBe(0);
    const tree = await snapshotTree(dir);
    const migrations = [...tree.keys()].filter((file) => file.endsWith('.sql'));
    expect(migrations.some((file) => file.endsWith('_create_venues_table.sql'))).toBe(true);
    expect(migrations.some((file) => file.endsWith('_create_venue_events_join_table.sql'))).toBe(
      true,
    );
    expect(Object.keys(entriesInTree(tree)).sort()).toEqual(['Works.Venue', 'Works.VenueEvent']);
    expect((await typecheck(dir)).stdout).toBe('');

    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      expect((await db.inspectTable('venue_events')).primaryKey).toEqual(['venue_id', 'event_id']);
      expect((await db.inspectTable('venues')).columns.map((column) => column.name)).toEqual([
        'id',
        'name',
      ]);
    } finally {
      await db.close();
    }

    const again = await runJoinery(dir, ['check']);
    expect(again.stdout).toContain('current');
    expect(again.exitCode).toBe(0);
  });
});
