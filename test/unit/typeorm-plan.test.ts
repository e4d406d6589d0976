/**
 * The TypeORM planner on the committed fixtures (read only: a plan writes into a ChangeSet, never
 * to disk): which files a join touches in each layout, and what it warns about.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { genFlags } from '../support/gen-flags.js';
import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { loadProject } from '../../src/project/project.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { planTypeormJoin } from '../../src/targets/typeorm/plan-join.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

async function plan(
  dir: string,
  names: string[],
  primaryKey: string,
  options = { migration: true },
) {
  const project = loadProject(dir);
  const join = toJoinModel(buildResourceSpec(genFlags(names, { primaryKey: [primaryKey] })));
  const changes = new ChangeSet(project.root);
  const planned = await planTypeormJoin(project, join, changes, {
    ignoreIfExists: false,
    ...options,
  });
  const files = changes
    .listChanges()
    .map((change) => `${change.kind} ${changes.relative(change.file).replace(/\d{13}/, '<ms>')}`);
  return { planned, files };
}

describe('planTypeormJoin', () => {
  it.each([
    [
      'typeorm-pg',
      ['Accounts', 'UserEvent'],
      'user_id,event_id',
      [
        'update src/entities/Event.ts',
        'update src/entities/User.ts',
        'create src/entities/UserEvent.ts',
        'create src/migrations/<ms>-CreateUserEventsJoinTable.ts',
      ],
    ],
    [
      'typeorm-nest',
      ['Accounts', 'UserTask'],
      'user_id,task_id',
      [
        'update src/accounts/accounts.module.ts',
        'create src/accounts/entities/user-task.entity.ts',
        'update src/accounts/entities/user.entity.ts',
        'update src/app.module.ts',
        'create src/migrations/<ms>-CreateUserTasksJoinTable.ts',
        'update src/works/entities/task.entity.ts',
      ],
    ],
    [
      'typeorm-sqlite',
      ['Works.UserTopic'],
      'user_id,topic_id',
      [
        'update src/db/data-source.ts',
        'create src/db/migrations/<ms>-CreateUserTopicsJoinTable.ts',
        'update src/models/topic.ts',
        'create src/models/user-topic.ts',
        'update src/models/user.ts',
      ],
    ],
  ])('%s: %j touches exactly these files', async (fixture, names, primaryKey, expected) => {
    const { planned, files } = await plan(path.join(FIXTURES, fixture), names, primaryKey);
    expect(files).toEqual(expected);
    expect(planned.warnings).toEqual([]);
  });

  it('leaves the migration out under --no-migration', async () => {
    const { planned, files } = await plan(
      path.join(FIXTURES, 'typeorm-sqlite'),
      ['Accounts', 'UserEvent'],
      'user_id,event_id',
      {
        migration: false,
      },
    );
    expect(planned.migrationFile).toBeUndefined();
    expect(files.some((file) => file.includes('migrations'))).toBe(false);
  });

  it('warns when no DataSource lists entities, and still plans the join', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'joinery-typeorm-plain-'));
    try {
      await mkdir(path.join(dir, 'src'));
      await writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({ dependencies: { typeorm: '^1.1.1', pg: '^8' } }),
      );
      for (const [name, table] of [
        ['User', 'users'],
        ['Event', 'events'],
      ] as const) {
        await writeFile(
          path.join(dir, 'src', `${name.toLowerCase()}.ts`),
          `import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity('${table}')\nexport class ${name} {\n  @PrimaryGeneratedColumn('uuid')\n  id!: string;\n}\n`,
        );
      }
      const { planned, files } = await plan(dir, ['Accounts', 'UserEvent'], 'user_id,event_id');
      expect(planned.dialect).toBe('postgres');
      expect(planned.warnings).toEqual([
        `No TypeORM DataSource or TypeOrmModule.forRoot() found; add UserEvent to your DataSource's entities yourself.`,
      ]);
      expect(files).toEqual([
        'update src/event.ts',
        'create src/migrations/<ms>-CreateUserEventsJoinTable.ts',
        'create src/user-event.ts',
        'update src/user.ts',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
