/**
 * Issue 14, items 4 and 6 and the replay errors, through the built CLI: every flag acts or is
 * refused (a non-key belongs_to on a join, a relations export in a single schema file,
 * --no-migration), replay errors name the entry file with line and column, --orm is recorded, and
 * a drizzle.config.ts that throws without its secret does not stop gen, check or sync.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJoinery, runTsx, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { recordedEntries } from '../support/manifest.js';

const UNCHANGED = { added: [], removed: [], changed: [] };

/** Runs joinery and asserts that it changed no file. */
async function unchangedRun(dir: string, args: string[], env?: Record<string, string | undefined>) {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, args, env);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  return result;
}

describe('Drizzle: every flag acts or is refused; replay errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-domains');
  });
  afterAll(() => cleanup(dir));

  it('a non-key belongs_to on a join is refused: exit 2, nothing written (the destination need not exist)', async () => {
    for (const destination of ['Works.Venue', 'Accounts.Session']) {
      const result = await unchangedRun(dir, [
        'gen',
        'resource',
        'Accounts',
        'UserEvent',
        '--primary-key',
        'user_id,event_id',
        '-r',
        `belongs_to:venue:${destination}`,
      ]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(
        `error: -r belongs_to:venue:${destination}: UserEvent is a join resource (key user_id, event_id), and joinery generates only its two key references; this belongs_to would not be generated.`,
      );
    }
  });

  it('--no-migration is recorded: check passes and sync makes no migration', async () => {
    const made = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserTask',
      '--primary-key',
      'user_id,task_id',
      '--no-migration',
    ]);
    expect(made.exitCode, made.stderr).toBe(0);
    expect((await recordedEntries(dir))['Accounts.UserTask'].skipMigration).toBe(true);
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toBe('joinery check: 1 resource in joinery.json current.');
    expect(check.exitCode).toBe(0);
    const sync = await unchangedRun(dir, ['sync']);
    expect(sync.stdout).toBe('joinery sync: all 1 resource in joinery.json current.');
    // Other tables still count: a schema edit without its migration is reported.
    const topic = path.join(dir, 'src/works/topic.ts');
    const before = await readFile(topic, 'utf8');
    await writeFile(
      topic,
      before.replace(
        "name: text('name').notNull(),",
        "name: text('name').notNull(),\n  note: text('note'),",
      ),
    );
    const drift = await runJoinery(dir, ['check']);
    expect(drift.exitCode, drift.stdout + drift.stderr).toBe(1);
    expect(drift.stdout).toContain('ALTER TABLE "topics" ADD COLUMN "note" text;');
    expect(drift.stdout).not.toContain('user_tasks');
    await writeFile(topic, before);
  });

  it.each([
    [
      'a bad flag value',
      (entry: Record<string, unknown>) => ({ ...entry, attributes: ['role:strin'] }),
      /^error: joinery\/Accounts\.UserTask\.json:10:5: entry "Accounts\.UserTask": .*unknown type "strin"/m,
    ],
    [
      'an unknown field',
      (entry: Record<string, unknown>) => ({ ...entry, timestamp: true }),
      /^error: joinery\/Accounts\.UserTask\.json:\d+:3: entry "Accounts\.UserTask" has the unknown field "timestamp" \(did you mean "timestamps"\?\)\./m,
    ],
    [
      'an invalid entry (a non-key belongs_to on a join)',
      (entry: Record<string, unknown>) => ({
        ...entry,
        relationships: ['belongs_to:venue:Works.Venue'],
      }),
      /^error: joinery\/Accounts\.UserTask\.json:11:5: entry "Accounts\.UserTask": -r belongs_to:venue:Works\.Venue: UserTask is a join resource/m,
    ],
  ])(
    '%s in a recorded entry: check and sync exit 2 at its line and column, nothing changed',
    async (_, change, message) => {
      const file = path.join(dir, 'joinery/Accounts.UserTask.json');
      const good = await readFile(file, 'utf8');
      await writeFile(file, `${JSON.stringify(change(JSON.parse(good)), null, 2)}\n`);
      try {
        for (const args of [['check'], ['sync']]) {
          const result = await unchangedRun(dir, args);
          expect(result.exitCode, result.stderr).toBe(2);
          expect(result.stderr).toMatch(message);
          expect(result.stderr).toMatch(
            /\n {2}Fix (that entry in )?joinery\/Accounts\.UserTask\.json /,
          );
        }
      } finally {
        await writeFile(file, good);
      }
    },
  );

  it('--orm is recorded, so check and sync in a project depending on both ORMs need none', async () => {
    const pkg = path.join(dir, 'package.json');
    const manifest = JSON.parse(await readFile(pkg, 'utf8'));
    manifest.dependencies.typeorm = '^1.0.0';
    await writeFile(pkg, `${JSON.stringify(manifest, null, 2)}\n`);
    const refused = await unchangedRun(dir, ['check']);
    expect(refused.exitCode).toBe(3);
    const args = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
    const made = await runJoinery(dir, [...args, '--orm', 'drizzle']);
    expect(made.exitCode, made.stderr).toBe(0);
    const entries = await recordedEntries(dir);
    expect(entries['Accounts.UserEvent'].orm).toBe('drizzle');
    // The older entry has none; the recorded one decides for the run.
    expect(entries['Accounts.UserTask'].orm).toBeUndefined();
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout + check.stderr).toContain(
      'joinery check: 2 resources in joinery.json current.',
    );
    expect(check.exitCode).toBe(0);
    expect((await unchangedRun(dir, ['sync'])).exitCode).toBe(0);
  });
});

describe('Drizzle single schema file: a relations export is never taken for a table', () => {
  it('gen resource Accounts UsersRelation: exit 3 naming the declaration, nothing written', async () => {
    const dir = await copyFixture('drizzle-pg-single');
    try {
      const result = await unchangedRun(dir, [
        'gen',
        'resource',
        'Accounts',
        'UsersRelation',
        '--uuid-primary-key',
        'id',
        '-a',
        'name:string',
      ]);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain(
        'error: src/db/schema.ts:53 already declares usersRelations, which is not a table (relations(…)); the new table would need that name.',
      );
    } finally {
      await cleanup(dir);
    }
  });
});

describe('a drizzle.config.ts that imports a t3-env style env module', () => {
  // As create-t3-app and its kin: `env.js` validates every variable while it loads, unless
  // SKIP_ENV_VALIDATION is set, and the config reads the URL from it.
  const unset = { POSTGRES_URL: undefined, AUTH_SECRET: undefined, SKIP_ENV_VALIDATION: undefined };
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-env');
    await writeFile(
      path.join(dir, 'src/env.ts'),
      `const runtimeEnv = {
  POSTGRES_URL: process.env.POSTGRES_URL,
  AUTH_SECRET: process.env.AUTH_SECRET,
  SITE_NAME: process.env.SITE_NAME,
}
if (!process.env.SKIP_ENV_VALIDATION) {
  const missing = Object.entries(runtimeEnv).filter(([, value]) => !value)
  if (missing.length > 0) {
    throw new Error(\`Invalid environment variables: \${missing.map(([name]) => name).join(', ')}\`)
  }
}
export const env = runtimeEnv
`,
    );
    await writeFile(
      path.join(dir, 'drizzle.config.ts'),
      `import type { Config } from 'drizzle-kit'

import { env } from './src/env.js'

export default {
  schema: './src/schema.ts',
  out: './drizzle',
  dialect: 'postgresql',
  dbCredentials: { url: env.POSTGRES_URL ?? '' },
} satisfies Config
`,
    );
  });
  afterAll(() => cleanup(dir));

  it("drizzle-kit generate runs with the module's switch and placeholders, said in --verbose", async () => {
    const args = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
    const made = await runJoinery(dir, [...args, '--verbose'], unset);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toContain('migration drizzle/0001_create_user_events_join_table.sql');
    expect(made.stderr).toMatch(
      /drizzle-kit generate with placeholder AUTH_SECRET=joinery-placeholder-for-unset-AUTH_SECRET, POSTGRES_URL=postgresql:\/\/joinery-placeholder:unset@joinery-placeholder\.invalid:5432\/postgres_url, SKIP_ENV_VALIDATION=1 \(unset; drizzle\.config\.ts demands them/,
    );
    const check = await runJoinery(dir, ['check'], unset);
    expect(check.stdout).toBe('joinery check: 1 resource in joinery.json current.');
    expect(check.exitCode).toBe(0);
  });
});

describe('a drizzle.config.ts that throws when POSTGRES_URL is unset', () => {
  const unset = { POSTGRES_URL: undefined };
  let dir: string;
  beforeAll(async () => {
    dir = await copyFixture('drizzle-pg-env');
  });
  afterAll(() => cleanup(dir));

  it('drizzle-kit itself refuses to load it', async () => {
    const result = await runJoinery(dir, ['migrate'], unset);
    expect(result.exitCode).toBe(3);
    expect(result.stdout + result.stderr).toContain('Missing POSTGRES_URL');
  });

  it('gen, check and sync run drizzle-kit generate with a labelled placeholder, said in --verbose', async () => {
    const args = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
    const made = await runJoinery(dir, [...args, '--verbose'], unset);
    expect(made.exitCode, made.stderr).toBe(0);
    expect(made.stdout).toContain('migration drizzle/0001_create_user_events_join_table.sql');
    const note =
      'with placeholder POSTGRES_URL=postgresql://joinery-placeholder:unset@joinery-placeholder.invalid:5432/postgres_url (unset; drizzle.config.ts demands it, generate does not connect)';
    expect(made.stderr).toContain(`drizzle-kit generate ${note}`);
    const check = await runJoinery(dir, ['check', '--verbose'], unset);
    expect(check.stdout).toBe('joinery check: 1 resource in joinery.json current.');
    expect(check.exitCode).toBe(0);
    expect(check.stderr).toContain(`drizzle-kit generate (check) ${note}`);
    expect((await unchangedRun(dir, ['sync'], unset)).stdout).toBe(
      'joinery sync: all 1 resource in joinery.json current.',
    );
    expect((await typecheck(dir)).stdout).toBe('');
  });

  it('drizzle-kit really checks: a removed index is drift (exit 1), and sync repairs it', async () => {
    const schema = path.join(dir, 'src/schema.ts');
    const good = await readFile(schema, 'utf8');
    await writeFile(
      schema,
      good.replace(/,?\s*index\('user_events_event_id_idx'\)\.on\(t\.eventId\),?/, ''),
    );
    const drift = await runJoinery(dir, ['check'], unset);
    expect(drift.exitCode, drift.stderr).toBe(1);
    const sync = await runJoinery(dir, ['sync'], unset);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect((await runJoinery(dir, ['check'], unset)).exitCode).toBe(0);
  });

  it("the migrations apply with drizzle-orm's migrator and the usage query runs", async () => {
    const script = path.join(dir, 'usage.ts');
    await writeFile(
      script,
      [
        "import { migrate } from 'drizzle-orm/pglite/migrator'",
        "import { db } from './src/client.js'",
        "import { events, userEvents, users } from './src/schema.js'",
        "await migrate(db, { migrationsFolder: './drizzle' })",
        "const [user] = await db.insert(users).values({ name: 'Ada' }).returning()",
        "const [event] = await db.insert(events).values({ title: 'Launch' }).returning()",
        'await db.insert(userEvents).values({ userId: user!.id, eventId: event!.id })',
        'const loaded = await db.query.users.findFirst({',
        '  where: (t, { eq }) => eq(t.id, user!.id),',
        '  with: { userEvents: { with: { event: true } } },',
        '})',
        'console.log(loaded?.userEvents.map((link) => link.event.title).join(","))',
      ].join('\n'),
    );
    const result = await runTsx(dir, script, [], unset);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Launch');
  });
});
