/**
 * The conformance suite: the same named cases, through the built CLI, on every fixture of every
 * target (test/conformance/fixtures.ts describes them). What one ORM promises, all of them keep:
 * a re-run is empty, a dry run writes nothing, refused input changes nothing, a convergence
 * migration is named after its change, check agrees with gen.
 *
 * One copy per fixture is shared by its cases, in order: the dry run and `--check` see the
 * untouched project, the first gen runs once, and the cases that edit the copy come last.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runJoinery, type RunResult } from '../support/cli.js';
import { cleanup, diffTrees, snapshotTree } from '../support/fixture.js';
import { conformanceFixtures, listMigrations, type ConformanceFixture } from './fixtures.js';

const UNCHANGED = { added: [], removed: [], changed: [] };
const CURRENT = 'joinery check: 1 resource in joinery.json current.';

/** stderr without the progress lines joinery prints while drizzle-kit or check runs. */
const withoutProgress = (stderr: string) =>
  stderr.replace(/^(Running drizzle-kit|Checking) .*$/gm, '').trim();

/** Runs joinery and asserts that the tree is byte-identical afterwards. */
async function runUnchanged(dir: string, args: string[]): Promise<RunResult> {
  const before = await snapshotTree(dir);
  const result = await runJoinery(dir, args);
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  expect(result.stderr).not.toMatch(/^\s+at /m); // no stack trace
  return result;
}

/** Bad input the flag grammar or the project refuses, with its documented exit code (README "Exit codes"). */
const REFUSED: {
  name: string;
  args: (f: ConformanceFixture) => string[];
  code: number;
  message: RegExp;
}[] = [
  {
    name: 'an unknown type',
    args: (f) => [...f.reference, '-a', 'role:strng'],
    code: 2,
    message: /unknown type "strng" \(did you mean "string"\?\)[\s\S]*Valid types: uuid, string/,
  },
  {
    name: 'a trailing comma',
    args: (f) => [...f.reference, '-a', 'role:string,'],
    code: 2,
    message: /has an empty entry \(a trailing or doubled comma\?\)/,
  },
  {
    name: 'an unknown resource',
    args: () => [
      'gen',
      'resource',
      'Accounts',
      'UserConcert',
      '--primary-key',
      'user_id,concert_id',
    ],
    code: 3,
    message: /Resource Concert not found/,
  },
];

describe.each(conformanceFixtures)('$name ($orm)', (fixture) => {
  let dir: string;
  let pristine: Map<string, string>;
  let dryRun: RunResult;
  let dryRunTree: Map<string, string>;
  let checkBefore: RunResult;
  let first: RunResult;

  beforeAll(async () => {
    dir = await fixture.copy();
    pristine = await snapshotTree(dir);
    dryRun = await runJoinery(dir, [...fixture.reference, '--dry-run']);
    checkBefore = await runJoinery(dir, [...fixture.reference, '--check']);
    dryRunTree = await snapshotTree(dir);
    first = await runJoinery(dir, fixture.reference);
  });
  afterAll(() => cleanup(dir));

  it('--dry-run writes nothing and prints the diff; --check exits 1 with it', () => {
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    for (const line of fixture.dryRunShows) {
      if (typeof line === 'string') expect(dryRun.stdout).toContain(line);
      else expect(dryRun.stdout).toMatch(line);
    }
    expect(checkBefore.exitCode).toBe(1);
    expect(checkBefore.stdout).toContain(`+++ b/${fixture.joinFile}`);
    expect(diffTrees(pristine, dryRunTree)).toEqual(UNCHANGED);
  });

  it('the first gen resource succeeds', () => {
    expect(withoutProgress(first.stderr)).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`(created|updated) ${fixture.joinFile}\\n`));
    expect(first.stdout).toContain('created joinery.json');
  });

  it('a second run is empty: exit 0, nothing written, says nothing changed; --check agrees', async () => {
    const again = await runUnchanged(dir, fixture.reference);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe(
      `${fixture.resource ?? 'Accounts.UserEvent'} is current: nothing to change.`,
    );
    expect((await runUnchanged(dir, [...fixture.reference, '--check'])).exitCode).toBe(0);
  });

  it('--ignore-if-exists on the existing join changes nothing', async () => {
    const result = await runUnchanged(dir, [
      ...fixture.reference,
      '-a',
      'note:text',
      '--ignore-if-exists',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      `${fixture.resource ?? 'Accounts.UserEvent'} exists; nothing done (--ignore-if-exists).`,
    );
  });

  it('joinery check exits 0 right after gen, with one line, writing nothing', async () => {
    const check = await runUnchanged(dir, ['check']);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toBe(CURRENT);
  });

  it.each(REFUSED)('refused input changes nothing: $name exits $code', async (bad) => {
    const result = await runUnchanged(dir, bad.args(fixture));
    expect(result.stderr).toMatch(bad.message);
    expect(result.exitCode).toBe(bad.code);
  });

  const helpersFile = fixture.helpersFile;
  if (helpersFile) {
    it('--helpers generates the module and the project still type-checks', async () => {
      const result = await runJoinery(dir, [...fixture.reference, '--helpers']);
      expect(withoutProgress(result.stderr)).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`created ${helpersFile}`);
      expect(await readFile(path.join(dir, helpersFile), 'utf8')).toMatch(
        new RegExp(`export (async )?function ${fixture.helpersLoad ?? 'loadUserEvents'}\\b`),
      );
      const checked = await fixture.typecheck(dir);
      expect(checked.stdout + checked.stderr).toBe('');
      expect(checked.exitCode).toBe(0);
    });
  }

  it(`convergence: -a role:string adds the column with a migration named add_role_to_${fixture.table}`, async () => {
    const name = `add_role_to_${fixture.table}`;
    const before = await listMigrations(dir, fixture);
    const joinBefore = await readFile(path.join(dir, fixture.joinFile), 'utf8');
    const result = await runJoinery(dir, [...fixture.reference, '-a', 'role:string']);
    expect(withoutProgress(result.stderr)).toBe('');
    expect(result.exitCode).toBe(0);
    const added = (await listMigrations(dir, fixture)).filter((file) => !before.includes(file));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(fixture.migrations.file(name));
    expect(result.stdout).toContain(added[0]);
    const content = fixture.migrations.content;
    if (content) expect(await readFile(path.join(dir, added[0]!), 'utf8')).toMatch(content(name));
    expect(joinBefore).not.toMatch(/\brole\b/);
    expect(await readFile(path.join(dir, fixture.joinFile), 'utf8')).toMatch(/\brole\b/);
    expect((await runUnchanged(dir, ['check'])).stdout).toBe(CURRENT);
  });

  it('joinery check exits 1 after a hand edit removes a generated relationship; sync restores it', async () => {
    const file = path.join(dir, fixture.handEdit.file);
    const generated = await readFile(file, 'utf8');
    const edited = generated.replace(fixture.handEdit.remove, '');
    expect(edited).not.toBe(generated);
    await writeFile(file, edited);
    const check = await runUnchanged(dir, ['check']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`+++ b/${fixture.handEdit.file}`);
    const sync = await runJoinery(dir, ['sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(sync.stdout).toContain(`updated ${fixture.handEdit.file}`);
    expect((await runUnchanged(dir, ['check'])).exitCode).toBe(0);
  });
});
