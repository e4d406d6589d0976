/**
 * Issue 14, item 5: the manifest merges. Real `git merge` runs of real joinery runs on a TypeORM
 * project (entities by glob, timestamped migration classes, so code on branches that touch
 * different entities merges too): two branches adding two entries each merge without a conflict
 * and `joinery check` passes on the merge, from no manifest before and from one entry recorded in
 * the old single-file joinery.json (which each branch moves to joinery/ alike).
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { cleanup, copyFixture } from '../support/fixture.js';
import { recordedEntries } from '../support/manifest.js';

const dirs: string[] = [];
afterAll(() => cleanup(...dirs));

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function gen(dir: string, args: string[]): Promise<void> {
  const result = await runJoinery(dir, ['gen', 'resource', ...args, '--yes']);
  expect(result.exitCode, result.stderr).toBe(0);
}

/** A copy of typeorm-pg under git, `main` holding the fixture (and whatever `base` adds). */
async function repository(base?: (dir: string) => Promise<void>): Promise<string> {
  const dir = await copyFixture('typeorm-pg');
  dirs.push(dir);
  await writeFile(path.join(dir, '.gitignore'), 'node_modules\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'fixture');
  if (base) {
    await base(dir);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'base');
  }
  return dir;
}

/** Runs each branch's commands on its own branch from main, then merges both into main. */
async function mergeBranches(dir: string, branches: Record<string, string[][]>): Promise<string> {
  for (const [branch, commands] of Object.entries(branches)) {
    git(dir, 'checkout', '-q', '-b', branch, 'main');
    for (const args of commands) await gen(dir, args);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', branch);
  }
  git(dir, 'checkout', '-q', 'main');
  let output = '';
  for (const branch of Object.keys(branches)) {
    // Throws (and fails the test) on a conflict.
    output += git(dir, 'merge', '--no-edit', '-q', branch);
  }
  return output;
}

const USER_POST = ['Accounts', 'UserPost', '--primary-key', 'user_id,post_id'];
const EVENT_POST = ['Works', 'EventPost', '--primary-key', 'event_id,post_id'];
const TASK_TOPIC = ['Works', 'TaskTopic', '--primary-key', 'task_id,topic_id'];
const VENUE = ['Works', 'Venue', '--uuid-primary-key', 'id', '-a', 'name:string:required'];
const USER_EVENT = ['Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];

async function expectCurrent(dir: string, count: number): Promise<void> {
  const check = await runJoinery(dir, ['check']);
  expect(check.stdout + check.stderr).toContain(
    `joinery check: ${count} resources in joinery.json current.`,
  );
  expect(check.exitCode).toBe(0);
  const sync = await runJoinery(dir, ['sync']);
  expect(sync.stdout).toBe(`joinery sync: all ${count} resources in joinery.json current.`);
  expect(git(dir, 'status', '--porcelain')).toBe('');
}

describe('git merges of the manifest', () => {
  it('no manifest before: two branches adding two entries each merge cleanly and check passes', async () => {
    const dir = await repository();
    await mergeBranches(dir, {
      events: [USER_EVENT, USER_POST],
      works: [TASK_TOPIC, VENUE],
    });
    expect(git(dir, 'ls-files', 'joinery.json', 'joinery').trim().split('\n')).toEqual([
      'joinery.json',
      'joinery/Accounts.UserEvent.json',
      'joinery/Accounts.UserPost.json',
      'joinery/Works.TaskTopic.json',
      'joinery/Works.Venue.json',
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'joinery.json'), 'utf8'))).toEqual({
      entries: 'joinery/',
      version: 2,
    });
    await expectCurrent(dir, 4);
  });

  it('one entry before, in the old single-file joinery.json: both branches move it alike, the merge is clean', async () => {
    const dir = await repository(async (dir) => {
      await gen(dir, USER_EVENT);
      // The layout of earlier joinery: every entry inside joinery.json, version 1.
      const entries = await recordedEntries(dir);
      await rm(path.join(dir, 'joinery'), { recursive: true });
      await writeFile(
        path.join(dir, 'joinery.json'),
        `${JSON.stringify({ ...entries, version: 1 }, null, 2)}\n`,
      );
    });
    // Read as it is: check passes before any write.
    expect((await runJoinery(dir, ['check'])).exitCode).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    await mergeBranches(dir, {
      posts: [USER_POST, EVENT_POST],
      works: [TASK_TOPIC, VENUE],
    });
    expect(Object.keys(await recordedEntries(dir)).sort()).toEqual([
      'Accounts.UserEvent',
      'Accounts.UserPost',
      'Works.EventPost',
      'Works.TaskTopic',
      'Works.Venue',
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'joinery.json'), 'utf8')).version).toBe(2);
    await expectCurrent(dir, 5);
  });
});
