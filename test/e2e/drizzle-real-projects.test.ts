/**
 * Drizzle as real projects write it (issue 17): a schema whose modules run code while they load,
 * an existing join table with its own id, and a key type the referenced key cannot hold. Every
 * generating case imports the project's schema entry with Node afterwards: `tsc` passing does not
 * show that the schema still loads.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importWithNode, runDrizzleKit, runJoinery, typecheck } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { drizzlePgliteScript, runProjectScript } from '../support/project-script.js';

const dirs: string[] = [];
afterAll(async () => cleanup(...dirs));

async function fixture(name: string): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  return dir;
}

async function expectRefused(dir: string, args: string[], exitCode: number, message: RegExp) {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, args);
  expect(result.stderr).toMatch(message);
  expect(result.exitCode).toBe(exitCode);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
}

describe('a schema whose modules read tables while they load (drizzle-pg-load-time)', () => {
  it('places relations so no schema module gains an import cycle, and the schema still loads', async () => {
    const dir = await fixture('drizzle-pg-load-time');
    const join = ['gen', 'resource', 'Pages', 'PageEditor', '--primary-key', 'page_id,user_id'];
    const result = await runJoinery(dir, [...join, '-y']);
    expect(result.stderr).toContain(
      'usersRelations moved into the file that needs it: src/db/users/user.ts would import src/db/pages/page-editor.ts',
    );
    expect(result.exitCode).toBe(0);

    // Neither side's table file imports the join (which imports both): no new cycle.
    const user = await readFile(path.join(dir, 'src/db/users/user.ts'), 'utf8');
    const page = await readFile(path.join(dir, 'src/db/pages/page.ts'), 'utf8');
    expect(user).not.toContain('page-editor');
    expect(page).not.toContain('page-editor');
    const editor = await readFile(path.join(dir, 'src/db/pages/page-editor.ts'), 'utf8');
    expect(editor).toContain('// Signed in on several devices\nexport const usersRelations');
    expect(editor).toMatch(/sessions: many\(sessions\),\s+pageEditors: many\(pageEditors\),/);
    expect(editor).toContain('export const pagesRelations = relations(pages');

    const loaded = await importWithNode(dir, 'src/db/schema.ts');
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toContain('pageEditors,pageEditorsRelations,pages,pagesRelations');
    // The domain barrel with its load-time validation module loads too.
    expect((await importWithNode(dir, 'src/db/users/index.ts')).exitCode).toBe(0);

    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');

    // Migrated with drizzle's own migrator, then the usage both ways and the cascade.
    const usage = await runProjectScript<Record<string, unknown>>(
      dir,
      drizzlePgliteScript(
        dir,
        `const [ada] = await db.insert(schema.users).values({ name: 'Ada' }).returning();
const [home] = await db.insert(schema.pages).values({ title: 'Home' }).returning();
await db.insert(schema.sessions).values({ userId: ada!.id, token: 't' });
await db.insert(schema.pageEditors).values({ pageId: home!.id, userId: ada!.id });
const user = await db.query.users.findFirst({
  where: (t, { eq }) => eq(t.id, ada!.id),
  with: { sessions: true, pageEditors: { with: { page: true } } },
});
const pageRow = await db.query.pages.findFirst({ with: { pageEditors: { with: { user: true } } } });
await db.delete(schema.users);
report({
  pages: user?.pageEditors.map((link) => link.page.title),
  sessions: user?.sessions.length,
  editors: pageRow?.pageEditors.map((link) => link.user.name),
  linksLeft: (await db.select().from(schema.pageEditors)).length,
});`,
      ),
    );
    expect(usage).toEqual({ pages: ['Home'], sessions: 1, editors: ['Ada'], linksLeft: 0 });

    const again = await runJoinery(dir, [...join, '-y']);
    expect(again.stdout).toContain('Pages.PageEditor is current: nothing to change.');
    expect(again.exitCode).toBe(0);
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toContain('1 resource in joinery.json current');
    expect(check.exitCode).toBe(0);
  });

  it('refuses to take over a join table with its own id or an undeclared NOT NULL column (exit 2, nothing changed), and adopts it once both are settled', async () => {
    const dir = await fixture('drizzle-pg-load-time');
    const adopt = ['gen', 'resource', 'Accounts', 'TeamMember', '--primary-key', 'user_id,team_id'];
    await expectRefused(
      dir,
      adopt,
      2,
      /src\/db\/teams\/team-member\.ts:7: teamMembers \(table team_members\) already has its own primary key id \(serial\); TeamMember as a join needs the composite key \(user_id, team_id\)/,
    );

    // Without the id, its NOT NULL role would be left out of every insert joinery writes.
    const file = path.join(dir, 'src/db/teams/team-member.ts');
    await writeFile(
      file,
      (await readFile(file, 'utf8'))
        .replace('  id: serial("id").primaryKey(),\n', '')
        .replace('integer, pgTable, serial,', 'integer, pgTable,'),
    );
    await expectRefused(
      dir,
      adopt,
      2,
      /teamMembers \(table team_members\) has NOT NULL column without a default that the command does not declare: role[\s\S]*-a role:<type>:required/,
    );

    // Declared, it is taken over: composite key, an index, and keys that cascade (its own
    // `.references(() => users.id)` did not), in one migration drizzle-kit writes.
    expect((await runDrizzleKit(dir, ['generate', '--name', 'drop_team_member_id'])).exitCode).toBe(
      0,
    );
    const adopted = await runJoinery(dir, [...adopt, '-a', 'role:text:required', '-y']);
    expect(adopted.stderr).not.toMatch(/error/i);
    expect(adopted.exitCode).toBe(0);
    expect(adopted.stdout).toContain('migration drizzle/0002_update_team_members_join_table.sql');
    const member = await readFile(file, 'utf8');
    expect(member).toContain(
      'userId: uuid("user_id")\n      .notNull()\n      .references(() => users.id, { onDelete: "cascade" }),',
    );
    expect(member).toContain(
      'teamId: integer("team_id")\n      .notNull()\n      .references(() => teams.id, { onDelete: "cascade" }),',
    );
    expect(member).toContain('primaryKey({ columns: [t.userId, t.teamId] })');
    expect((await importWithNode(dir, 'src/db/schema.ts')).exitCode).toBe(0);
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    const usage = await runProjectScript<Record<string, unknown>>(
      dir,
      drizzlePgliteScript(
        dir,
        `const [ada] = await db.insert(schema.users).values({ name: 'Ada' }).returning();
const [core] = await db.insert(schema.teams).values({ name: 'Core' }).returning();
await db.insert(schema.teamMembers).values({ userId: ada!.id, teamId: core!.id, role: 'lead' });
const user = await db.query.users.findFirst({ with: { teamMembers: { with: { team: true } } } });
await db.delete(schema.users);
report({
  teams: user?.teamMembers.map((link) => [link.team.name, link.role]),
  linksLeft: (await db.select().from(schema.teamMembers)).length,
});`,
      ),
    );
    expect(usage).toEqual({ teams: [['Core', 'lead']], linksLeft: 0 });
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toContain('1 resource in joinery.json current');
    expect(check.exitCode).toBe(0);
  });
});

describe("the project's conventions without a Prettier config (drizzle-pg-conventions)", () => {
  it('names, types and formats the join like its neighbours', async () => {
    const dir = await fixture('drizzle-pg-conventions');
    const join = [
      'gen',
      'resource',
      'Monitoring',
      'UserMonitor',
      '--primary-key',
      'user_id,monitor_id',
      '--timestamps',
    ];
    const result = await runJoinery(dir, [...join, '-y']);
    expect(result.exitCode).toBe(0);
    // snake_case file names: `monitor.ts` alone says nothing, `monitor_tag.ts` beside it does.
    expect(result.stdout).toContain('created src/db/monitoring/user_monitor.ts');

    const created = await readFile(path.join(dir, 'src/db/monitoring/user_monitor.ts'), 'utf8');
    // The project's timestamps: created_at timestamp, not inserted_at timestamptz.
    expect(created).toContain('\t\tcreatedAt: timestamp("created_at").notNull().defaultNow(),');
    expect(created).toMatch(/\t\tupdatedAt: timestamp\("updated_at"\)\n\t\t\t\.notNull\(\)/);
    expect(created).not.toContain('inserted_at');
    // Its code style: tabs, double quotes, semicolons, trailing commas.
    expect(created).toContain('import { relations } from "drizzle-orm";');
    expect(created).toMatch(
      /^\t\t\t\.references\(\(\) => users\.id, \{ onDelete: "cascade" \}\),$/m,
    );
    // Code inserted into the user's own file is formatted like it (tabs, not two spaces).
    const user = await readFile(path.join(dir, 'src/db/accounts/user.ts'), 'utf8');
    expect(user).toContain('\tuserMonitors: many(userMonitors),\n}));');
    const migration = await readFile(
      path.join(dir, 'drizzle/0001_create_user_monitors_join_table.sql'),
      'utf8',
    );
    expect(migration).toContain('"created_at" timestamp DEFAULT now() NOT NULL');

    expect((await importWithNode(dir, 'src/db/schema.ts')).stdout).toContain('userMonitors');
    const checked = await typecheck(dir);
    expect(checked.stdout + checked.stderr).toBe('');
    const usage = await runProjectScript<Record<string, unknown>>(
      dir,
      drizzlePgliteScript(
        dir,
        `const [ada] = await db.insert(schema.users).values({ name: 'Ada' }).returning();
const [site] = await db.insert(schema.monitors).values({ url: 'https://example.com' }).returning();
await db.insert(schema.userMonitors).values({ userId: ada!.id, monitorId: site!.id });
const user = await db.query.users.findFirst({ with: { userMonitors: { with: { monitor: true } } } });
await db.delete(schema.monitors);
report({
  urls: user?.userMonitors.map((link) => link.monitor.url),
  stamped: user?.userMonitors.every((link) => link.createdAt instanceof Date),
  linksLeft: (await db.select().from(schema.userMonitors)).length,
});`,
      ),
    );
    expect(usage).toEqual({ urls: ['https://example.com'], stamped: true, linksLeft: 0 });

    const again = await runJoinery(dir, [...join, '-y']);
    expect(again.stdout).toContain('Monitoring.UserMonitor is current: nothing to change.');
    const check = await runJoinery(dir, ['check']);
    expect(check.stdout).toContain('1 resource in joinery.json current');
    expect(check.exitCode).toBe(0);
  });
});

describe('a schema entry that re-exports one index per domain', () => {
  it("re-exports the join from its own domain's index only (dry run)", async () => {
    const dir = await fixture('drizzle-pg-conventions');
    const write = (file: string, text: string) => writeFile(path.join(dir, file), text);
    await write('src/db/accounts/index.ts', 'export * from "./user.js";\n');
    await write(
      'src/db/monitoring/index.ts',
      'export * from "./monitor.js";\nexport * from "./monitor_tag.js";\n',
    );
    await write(
      'src/db/schema.ts',
      'export * from "./accounts/index.js";\nexport * from "./monitoring/index.js";\n',
    );
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [
      ...['gen', 'resource', 'Monitoring', 'UserMonitor', '--primary-key', 'user_id,monitor_id'],
      ...['--no-migration', '--dry-run'],
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('+++ b/src/db/monitoring/index.ts');
    expect(result.stdout).toContain('+export * from "./user_monitor.js";');
    expect(result.stdout).not.toContain('b/src/db/accounts/index.ts');
    expect(diffTrees(before, await snapshotTree(dir)).changed).toEqual([]);
  });
});

describe('a key type the referenced key cannot hold', () => {
  it('refuses user_id:uuid… against a varchar(255) id on Postgres (exit 2, nothing changed)', async () => {
    const dir = await fixture('drizzle-pg-single');
    await expectRefused(
      dir,
      [
        'gen',
        'resource',
        'Accounts',
        'UserTopic',
        '--primary-key',
        'user_id,topic_id',
        '-a',
        'topic_id:uuid',
      ],
      2,
      /--attribute topic_id:uuid contradicts the key it refers to: Topic's primary key topics\.id \(src\/db\/schema\.ts:\d+\) is varchar \{ length: 255 \}[\s\S]*declare it as string/,
    );
  });
});
