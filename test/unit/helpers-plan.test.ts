/**
 * --helpers in the planners (no disk writes, no CLI): which file each target adds, that an
 * existing helpers module is left alone, and the cases that get a warning instead of a module.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { loadProject } from '../../src/project/project.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { genFlags } from '../support/gen-flags.js';
import { planDrizzleJoin } from '../../src/targets/drizzle/plan-join.js';
import { planTypeormJoin } from '../../src/targets/typeorm/plan-join.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

const join = (names: string[], primaryKey: string, helpers = true) =>
  toJoinModel(buildResourceSpec(genFlags(names, { primaryKey: [primaryKey], helpers })));
const OPTIONS = {
  ignoreIfExists: false,
  migration: true,
  replace: false,
  migrationName: undefined,
};

const created = (changes: ChangeSet) =>
  changes
    .listChanges()
    .filter((change) => change.file.includes('.helpers.'))
    .map((change) => `${change.kind} ${changes.relative(change.file)}`);

/** A small drizzle project in a temp folder: `files` relative to it. */
async function drizzleProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'joinery-helpers-plan-'));
  temps.push(dir);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

const PG_SCHEMA = `import { pgTable, uuid, text } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: uuid('id').primaryKey(), name: text('name') });
export const events = pgTable('events', { id: uuid('id').primaryKey(), title: text('title') });
`;

describe('--helpers in the planners', () => {
  it.each([
    ['drizzle', 'drizzle-pg-domains', 'create src/accounts/user-event.helpers.ts'],
    ['drizzle', 'drizzle-sqlite', 'create src/db/schema/user-events.helpers.ts'],
    ['typeorm', 'typeorm-pg', 'create src/entities/UserEvent.helpers.ts'],
    ['typeorm', 'typeorm-nest', 'create src/accounts/entities/user-event.helpers.ts'],
  ])('%s on %s adds %s', async (orm, fixture, expected) => {
    const project = loadProject(path.join(FIXTURES, fixture));
    const changes = new ChangeSet(project.root);
    const model = join(['Accounts', 'UserEvent'], 'user_id,event_id');
    const plan =
      orm === 'drizzle'
        ? await planDrizzleJoin(project, model, changes, OPTIONS)
        : await planTypeormJoin(project, model, changes, OPTIONS);
    expect(created(changes)).toEqual([expected]);
    expect(plan.helpers?.file).toBe(expected.replace('create ', ''));
    expect(plan.helpers?.directions.map((names) => names.load)).toEqual([
      'loadUserEvents',
      'loadEventUsers',
    ]);
  });

  it('adds nothing without --helpers', async () => {
    const project = loadProject(path.join(FIXTURES, 'drizzle-pg-domains'));
    const changes = new ChangeSet(project.root);
    const plan = await planDrizzleJoin(
      project,
      join(['Accounts', 'UserEvent'], 'user_id,event_id', false),
      changes,
      OPTIONS,
    );
    expect(created(changes)).toEqual([]);
    expect(plan.helpers).toBeUndefined();
  });

  it('keeps an existing helpers module (it may be edited), and replaces it under --conflicts replace', async () => {
    const dir = await drizzleProject({
      'package.json': JSON.stringify({ dependencies: { 'drizzle-orm': '^0.45.4' } }),
      'drizzle.config.ts': `export default { dialect: 'postgresql', schema: './src/schema.ts' };`,
      'src/schema.ts': PG_SCHEMA,
      'src/user-event.helpers.ts': '// mine\n',
    });
    const model = join(['Accounts', 'UserEvent'], 'user_id,event_id');
    const kept = new ChangeSet(dir);
    const plan = await planDrizzleJoin(loadProject(dir), model, kept, OPTIONS);
    expect(created(kept)).toEqual([]);
    expect(plan.helpers?.file).toBe('src/user-event.helpers.ts');

    const replaced = new ChangeSet(dir);
    await planDrizzleJoin(loadProject(dir), model, replaced, { ...OPTIONS, replace: true });
    expect(created(replaced)).toEqual(['update src/user-event.helpers.ts']);
    expect(replaced.read(path.join(dir, 'src/user-event.helpers.ts'))).toContain(
      'export async function loadUserEvents',
    );
  });

  it('warns instead of writing helpers for a drizzle-orm 1.x project', async () => {
    const dir = await drizzleProject({
      'package.json': JSON.stringify({ dependencies: { 'drizzle-orm': '^1.0.0' } }),
      'drizzle.config.ts': `export default { dialect: 'postgresql', schema: './src/schema.ts' };`,
      'src/schema.ts': PG_SCHEMA,
    });
    const changes = new ChangeSet(dir);
    const plan = await planDrizzleJoin(
      loadProject(dir),
      join(['Accounts', 'UserEvent'], 'user_id,event_id'),
      changes,
      OPTIONS,
    );
    expect(created(changes)).toEqual([]);
    expect(plan.helpers).toBeUndefined();
    expect(plan.warnings.join('\n')).toContain(
      'drizzle-orm 1.x (defineRelations), so none were written',
    );
  });

  it('writes helpers named by direction for a self-referencing join', async () => {
    const dir = await drizzleProject({
      'package.json': JSON.stringify({ dependencies: { 'drizzle-orm': '^0.45.4' } }),
      'drizzle.config.ts': `export default { dialect: 'postgresql', schema: './src/schema.ts' };`,
      'src/schema.ts': PG_SCHEMA,
    });
    const changes = new ChangeSet(dir);
    const model = toJoinModel(
      buildResourceSpec({
        names: ['Accounts', 'Follow'],
        primaryKey: [],
        attributes: [],
        relationships: [
          'belongs_to:follower:User:primary_key',
          'belongs_to:followee:User:primary_key',
        ],
        timestamps: false,
        uuidPrimaryKey: undefined,
        integerPrimaryKey: undefined,
        table: undefined,
        conflicts: undefined,
        ignoreIfExists: false,
        helpers: true,
      }),
    );
    const plan = await planDrizzleJoin(loadProject(dir), model, changes, OPTIONS);
    expect(plan.warnings).toEqual([]);
    expect(plan.helpers?.directions.map((names) => names.load)).toEqual([
      'loadFollowees',
      'loadFollowers',
    ]);
    const text = changes.read(path.join(dir, plan.helpers!.file))!;
    // One table joined twice: the far side under an alias, one item type per direction.
    expect(text).toContain("const linkedUsers = alias(users, 'linked_users')");
    expect(text).toContain('export type FolloweeOfUser =');
    expect(text).toContain('export type FollowerOfUser =');
  });
});
