/**
 * Bad input through the built CLI: a clear message naming the flag/file, the documented exit code,
 * and not one file changed.
 */
import { mkdir, rm, writeFile, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import {
  cleanup,
  copyFixture,
  diffTrees,
  repoNodeModules,
  snapshotTree,
} from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const dirs: string[] = [];
afterEach(async () => cleanup(...dirs.splice(0)));

async function fixture(name = 'drizzle-pg-domains'): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  return dir;
}

/** Runs joinery and asserts the exit code, the message, and that nothing changed. */
async function expectRejected(
  dir: string,
  args: string[],
  exitCode: number,
  message: RegExp,
): Promise<string> {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, args);
  expect(result.stderr).toMatch(message);
  expect(result.exitCode).toBe(exitCode);
  expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  expect(diffTrees(before, await snapshotTree(dir))).toEqual({
    added: [],
    removed: [],
    changed: [],
  });
  return result.stderr;
}

describe('invalid input exits 2 and changes nothing', () => {
  it.each([
    [['--atribute', 'role:string'], /unknown option '--atribute'[\s\S]*Did you mean --attribute\?/],
    [['-a', 'role:string:requird'], /unknown modifier "requird" \(did you mean "required"\?\)/],
    [['-a', 'Role:string'], /"Role" is not a valid attribute name/],
    [
      ['-r', 'belongs_too:user:User'],
      /unknown relationship type "belongs_too" \(did you mean "belongs_to"\?\)/,
    ],
    [['--conflicts', 'merge'], /argument 'merge' is invalid/],
  ])('%j', async (extra, message) => {
    const dir = await fixture();
    await expectRejected(dir, [...REFERENCE_ARGS, ...extra], 2, message);
  });

  it('rejects a resource name that is not an identifier', async () => {
    const dir = await fixture();
    await expectRejected(
      dir,
      ['gen', 'resource', 'Accounts', 'user-event', '--primary-key', 'user_id,event_id'],
      2,
      /"user-event" is not a valid name/,
    );
  });

  it('rejects a join without a two-part key', async () => {
    const dir = await fixture();
    await expectRejected(
      dir,
      ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id'],
      2,
      /needs a primary key of exactly two references/,
    );
  });

  it('rejects a declared key type that contradicts the referenced key, naming both', async () => {
    const dir = await fixture('drizzle-pg-single');
    await expectRejected(
      dir,
      REFERENCE_ARGS,
      2,
      /--attribute user_id:uuid contradicts the key it refers to: User's primary key users\.id \(src\/db\/schema\.ts:\d+\) is integer/,
    );
  });

  it('reports a malformed package.json with its file and position', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, 'package.json'), '{ "name": "x", }');
    await expectRejected(dir, REFERENCE_ARGS, 2, /package\.json is not valid JSON: .*position/i);
  });
});

describe('project problems exit 3 and change nothing', () => {
  it('lists the tables seen when a referenced resource is missing', async () => {
    const dir = await fixture();
    await expectRejected(
      dir,
      ['gen', 'resource', 'Accounts', 'UserConcert', '--primary-key', 'user_id,concert_id'],
      3,
      /Resource Concert not found[\s\S]*Tables seen:[\s\S]*src\/accounts\/user\.ts:\d+ users \('users'\)[\s\S]*src\/works\/event\.ts/,
    );
  });

  it('says which tables match when a resource is ambiguous, and -r with a domain settles it', async () => {
    const dir = await fixture();
    await mkdir(path.join(dir, 'src/legacy'));
    await writeFile(
      path.join(dir, 'src/legacy/user.ts'),
      "import { pgTable, uuid } from 'drizzle-orm/pg-core'\n\nexport const users = pgTable('legacy_users', {\n  id: uuid('id').primaryKey(),\n})\n",
    );
    await writeFile(
      path.join(dir, 'src/db/schema.ts'),
      `${await readFile(path.join(dir, 'src/db/schema.ts'), 'utf8')}export * from '../legacy/user.js'\n`,
    );
    await expectRejected(
      dir,
      REFERENCE_ARGS,
      3,
      /Resource User is ambiguous[\s\S]*src\/accounts\/user\.ts[\s\S]*src\/legacy\/user\.ts/,
    );
    const result = await runJoinery(dir, [
      'gen',
      'resource',
      'Accounts',
      'UserEvent',
      '-r',
      'belongs_to:user:Accounts.User:primary_key',
      '-r',
      'belongs_to:event:Works.Event:primary_key',
      '--dry-run',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("import { users } from './user.js'");
  });

  it('names the file, line and column of a source file that does not parse', async () => {
    const dir = await fixture();
    const file = path.join(dir, 'src/works/event.ts');
    await writeFile(
      file,
      `${await readFile(file, 'utf8')}\nexport const broken = pgTable('x', {\n`,
    );
    await expectRejected(dir, REFERENCE_ARGS, 3, /src\/works\/event\.ts:\d+:\d+: does not parse/);
  });

  it('says when drizzle-kit is not installed, before writing anything', async () => {
    const dir = await fixture();
    await rm(path.join(dir, 'node_modules'));
    await mkdir(path.join(dir, 'node_modules'));
    await symlink(
      path.join(repoNodeModules, 'drizzle-orm'),
      path.join(dir, 'node_modules/drizzle-orm'),
    );
    await expectRejected(
      dir,
      REFERENCE_ARGS,
      3,
      /drizzle-kit is not installed[\s\S]*--no-migration/,
    );
  });

  it('says when a plugin the Prettier config names is not installed (a clone before npm install)', async () => {
    const dir = await fixture();
    await writeFile(
      path.join(dir, '.prettierrc'),
      JSON.stringify({ semi: false, plugins: ['prettier-plugin-joinery-missing'] }),
    );
    await expectRejected(
      dir,
      REFERENCE_ARGS,
      3,
      /\.prettierrc needs prettier-plugin-joinery-missing, which is not installed[\s\S]*npm install/,
    );
  });

  it('restores every file when drizzle-kit fails after the write', async () => {
    const dir = await fixture();
    const config = path.join(dir, 'drizzle.config.ts');
    await writeFile(
      config,
      `${await readFile(config, 'utf8')}\nthrow new Error('config exploded')\n`,
    );
    await expectRejected(
      dir,
      REFERENCE_ARGS,
      3,
      /drizzle-kit generate failed[\s\S]*config exploded/,
    );
  });

  it('says when the project uses no supported ORM', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, 'package.json'), '{ "name": "plain" }');
    await expectRejected(dir, REFERENCE_ARGS, 3, /No supported ORM/);
  });

  it('refuses a project that depends on two ORMs until --orm chooses one', async () => {
    const dir = await fixture();
    const manifest = path.join(dir, 'package.json');
    const pkg = JSON.parse(await readFile(manifest, 'utf8'));
    pkg.dependencies = { ...pkg.dependencies, typeorm: '^0.3.20' };
    await writeFile(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
    const stderr = await expectRejected(
      dir,
      REFERENCE_ARGS,
      3,
      /uses 2 ORMs joinery generates for/,
    );
    expect(stderr).toContain('--orm drizzle or --orm typeorm');
    await expectRejected(
      dir,
      ['--orm', 'prisma', ...REFERENCE_ARGS],
      2,
      /--orm prisma: joinery has no such target/,
    );

    const chosen = await runJoinery(dir, ['--orm', 'drizzle', ...REFERENCE_ARGS]);
    expect(chosen.stderr).not.toContain('ORMs');
    expect(chosen.exitCode).toBe(0);
    expect(chosen.stdout).toContain('created src/accounts/user-event.ts');
  });
});
