/**
 * drizzle-orm 1.x (`defineRelations`): the built CLI adds `through` many-to-many relations on both
 * sides, drizzle-kit 1.x generates the migration, and the relational queries run on PGlite.
 * The 1.x packages come from test/drizzle-v1-deps (npm test installs them when missing).
 */
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery, runTsx, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, repoNodeModules, repoRoot } from '../support/fixture.js';

const v1Modules = path.join(repoRoot, 'test', 'drizzle-v1-deps', 'node_modules');

/** A copy of the fixture whose node_modules is the repo's, except drizzle-orm/kit 1.x. */
async function copyV1Fixture(): Promise<string> {
  const dir = await copyFixture('drizzle-v1-pg');
  const modules = path.join(dir, 'node_modules');
  await rm(modules, { recursive: true, force: true });
  await mkdir(modules);
  for (const entry of await readdir(repoNodeModules)) {
    const source = ['drizzle-orm', 'drizzle-kit'].includes(entry) ? v1Modules : repoNodeModules;
    await symlink(path.join(source, entry), path.join(modules, entry));
  }
  return dir;
}

const USAGE = `import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

import { relations } from './db/relations.js';
import { events, userEvents, users } from './db/schema.js';

const client = new PGlite();
const db = drizzle({ client, relations });
await migrate(db, { migrationsFolder: './drizzle' });
const [ada, grace] = await db.insert(users).values([{ name: 'Ada' }, { name: 'Grace' }]).returning();
const [alpha, beta] = await db.insert(events).values([{ title: 'Alpha' }, { title: 'Beta' }]).returning();
await db.insert(userEvents).values([
  { userId: ada!.id, eventId: alpha!.id, role: 'host' },
  { userId: ada!.id, eventId: beta!.id, role: 'guest' },
  { userId: grace!.id, eventId: alpha!.id, role: 'guest' },
]);
const loaded = await db.query.users.findFirst({
  where: { id: ada!.id },
  with: { events: true, userEvents: true, posts: true },
});
const inverse = await db.query.events.findFirst({ where: { id: alpha!.id }, with: { users: true } });
await db.delete(users).where(eq(users.id, ada!.id));
const left = await db.select().from(userEvents);
console.log(JSON.stringify({
  events: loaded!.events.map((event) => event.title).sort(),
  roles: loaded!.userEvents.map((link) => link.role).sort(),
  inverse: inverse!.users.map((user) => user.name).sort(),
  linksAfterDelete: left.length,
}));
await client.close();
`;

describe('gen resource in a drizzle-orm 1.x project (defineRelations)', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = await copyV1Fixture();
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string:required',
    ]);
    expect(result.stderr.replace(/^Running drizzle-kit.*$/m, '').trim()).toBe('');
    expect(result.exitCode).toBe(0);
    stdout = result.stdout;
  });
  afterAll(() => cleanup(dir));

  it('adds through relations on both sides and keeps the existing ones', async () => {
    const relations = await readFile(path.join(dir, 'src/db/relations.ts'), 'utf8');
    expect(relations).toContain('// A user writes posts');
    expect(relations).toContain('posts: r.many.posts()');
    expect(relations).toContain(
      'events: r.many.events({\n      from: r.users.id.through(r.userEvents.userId),\n      to: r.events.id.through(r.userEvents.eventId),\n    })',
    );
    expect(relations).toContain(
      'users: r.many.users({\n      from: r.events.id.through(r.userEvents.eventId),\n      to: r.users.id.through(r.userEvents.userId),\n    })',
    );
    expect(relations).toContain('user: r.one.users({ from: r.userEvents.userId, to: r.users.id })');
    expect(stdout).toMatch(/migration drizzle\/\d+_create_user_events_join_table\/migration\.sql/);
    expect(stdout).toContain('db = drizzle({ client, relations })');
  });

  it('type-checks against drizzle-orm 1.x and the relational queries run on PGlite', async () => {
    await writeFile(path.join(dir, 'src/usage.ts'), USAGE);
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.exitCode).toBe(0);
    const run = await runTsx(dir, 'src/usage.ts');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      events: ['Alpha', 'Beta'],
      roles: ['guest', 'host'],
      inverse: ['Ada', 'Grace'],
      linksAfterDelete: 1,
    });
  });

  it('a second identical run changes nothing', async () => {
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '--primary-key',
      'user_id,event_id',
      '-a',
      'role:string:required',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('is current: nothing to change');
  });
});
