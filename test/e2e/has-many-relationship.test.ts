/**
 * `-r has_many:events:Works.Event` on User is Ash's way to declare the other side of Event's
 * belongs_to: through the built CLI it must leave the project exactly as
 * `gen resource Works Event -r belongs_to:user:Accounts.User` does (files and joinery.json), for
 * Drizzle and TypeORM; a name of its own (`hosted_events`) renames only the inverse, which is
 * recorded, type-checks, migrates and loads on PGlite.
 */
import { describe, expect, it } from 'vitest';
import { runJoinery, typecheck } from '../support/cli.js';
import { migrateDrizzleProject } from '../support/databases.js';
import { diffTrees, fixtureCopies, snapshotTree } from '../support/fixture.js';
import { drizzlePgliteScript, runProjectScript } from '../support/project-script.js';
import { entriesInTree } from '../support/manifest.js';

const copy = fixtureCopies();

const gen = (dir: string, args: string[]) =>
  runJoinery(dir, ['gen', 'resource', ...args, '--no-migration', '--yes']);

/** `joinery gen resource Accounts User -r <relationship> [flags]`. */
const onUser = (dir: string, relationship: string, ...flags: string[]) =>
  runJoinery(dir, ['gen', 'resource', 'Accounts', 'User', '-r', relationship, ...flags]);

describe.each(['drizzle-pg-domains', 'typeorm-pg'])('%s', (fixture) => {
  it('has_many on User makes what belongs_to on Event makes', async () => {
    const [byBelongsTo, byHasMany] = await Promise.all([copy(fixture), copy(fixture)]);
    const belongsTo = await gen(byBelongsTo, [
      'Works',
      'Event',
      '-r',
      'belongs_to:user:Accounts.User',
    ]);
    expect(belongsTo.stderr).toBe('');
    expect(belongsTo.exitCode).toBe(0);
    const hasMany = await onUser(
      byHasMany,
      'has_many:events:Works.Event',
      '--no-migration',
      '--yes',
    );
    expect(hasMany.stderr).toBe('');
    expect(hasMany.exitCode).toBe(0);
    // Not two runs that both did nothing: Event gained its key, User the inverse.
    expect(hasMany.stdout).toMatch(/updated src\/\S*event\S*\.ts/i);
    expect(hasMany.stdout).toMatch(/updated src\/\S*user\S*\.ts/i);
    const [a, b] = await Promise.all([snapshotTree(byBelongsTo), snapshotTree(byHasMany)]);
    expect(diffTrees(a, b)).toEqual({ added: [], removed: [], changed: [] });
    expect(entriesInTree(b)['Accounts.User']).toBeUndefined();

    const again = await onUser(
      byHasMany,
      'has_many:events:Works.Event',
      '--no-migration',
      '--check',
    );
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('Works.Event is current');
  });
});

describe('a has_many to a resource that does not exist', () => {
  it('says to generate it first, with exit 2 and no file changed', async () => {
    const dir = await copy('typeorm-pg');
    const before = await snapshotTree(dir);
    const result = await onUser(dir, 'has_many:gadgets:Works.Gadget', '--yes');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "-r has_many:gadgets:Works.Gadget on Accounts.User: Works.Gadget does not exist, and joinery adds the has_many's key to it.",
    );
    expect(result.stderr).toContain(
      'Generate it first (joinery gen resource Works Gadget --uuid-primary-key id ...), then run this again.',
    );
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});

describe('a named has_many (drizzle-pg-domains, PGlite)', () => {
  it('names the inverse, records the name, migrates, loads both ways and stays current', async () => {
    const dir = await copy('drizzle-pg-domains');
    const result = await onUser(
      dir,
      'has_many:hosted_events:Works.Event:on_delete_cascade',
      '--yes',
    );
    expect(result.stderr.trim()).toBe(
      'Running drizzle-kit generate --name add_user_id_to_events ...',
    );
    expect(result.exitCode).toBe(0);
    const tree = await snapshotTree(dir);
    expect(tree.get('src/accounts/user.ts')).toContain('hostedEvents: many(events),');
    expect(tree.get('src/works/event.ts')).toContain(
      'user: one(users, { fields: [events.userId], references: [users.id] }),',
    );
    expect(entriesInTree(tree)['Works.Event']).toMatchObject({
      relationships: ['belongs_to:user:Accounts.User:on_delete_cascade'],
      inverseNames: { user: 'hosted_events' },
    });
    expect((await typecheck(dir)).stdout).toBe('');

    const db = await migrateDrizzleProject(dir, 'pglite');
    try {
      const events = await db.inspectTable('events');
      expect(events.foreignKeys).toEqual([
        expect.objectContaining({ columns: ['user_id'], refTable: 'users', onDelete: 'cascade' }),
      ]);
    } finally {
      await db.close();
    }

    const loaded = await runProjectScript<{ hosted: string[]; host: string }>(
      dir,
      drizzlePgliteScript(
        dir,
        `
const [ada] = await db
  .insert(schema.users)
  .values({ name: 'Ada', email: 'ada@example.com' })
  .returning();
await db.insert(schema.events).values([
  { title: 'Alpha', userId: ada!.id },
  { title: 'Beta', userId: ada!.id },
]);
const user = await db.query.users.findFirst({ with: { hostedEvents: true } });
const event = await db.query.events.findFirst({ with: { user: true } });
report({
  hosted: user!.hostedEvents.map((e) => e.title).sort(),
  host: event!.user?.name,
});
`,
      ),
    );
    expect(loaded).toEqual({ hosted: ['Alpha', 'Beta'], host: 'Ada' });

    const check = await runJoinery(dir, ['check']);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});
