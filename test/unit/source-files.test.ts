import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/project.js';
import {
  expandSourcePatterns,
  followReexports,
  resolveRelativeModule,
} from '../../src/project/source-files.js';
import { cleanup } from '../support/fixture.js';

let root: string;

const FILES: Record<string, string> = {
  'package.json': '{ "name": "t" }',
  'src/db/schema/index.ts': "export * from './users.js'\nexport { events } from './events'\n",
  'src/db/schema/users.ts': "export const users = pgTable('users', {})\n",
  'src/db/schema/events.ts': "export const events = pgTable('events', {})\n",
  'src/db/schema/nested/deep.ts': 'export const deep = 1\n',
  'src/db/client.ts': "import { users } from './schema'\n",
  'src/app/index.mts': 'export {}\n',
  'src/app/types.d.ts': 'export type X = 1\n',
  'src/app/readme.md': '# not source\n',
  'src/.hidden/secret.ts': 'export {}\n',
  'src/dist/out.js': 'export {}\n',
  'src/node_modules/lib/index.js': 'export {}\n',
  'lib/barrel.ts': "export * from '../src/db/schema'\n",
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'joinery-source-files-'));
  for (const [file, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  await symlink(path.join(root, 'src/db'), path.join(root, 'src/linked'), 'dir');
});
afterAll(async () => cleanup(root));

const relative = (files: string[]) => files.map((file) => path.relative(root, file));

describe('expandSourcePatterns', () => {
  it.each([
    ['a file', ['./src/db/client.ts'], ['src/db/client.ts']],
    ['a missing file', ['src/nope.ts'], []],
    [
      'a folder, recursively, skipping declarations, hidden, dist and node_modules folders',
      ['./src/app'],
      ['src/app/index.mts'],
    ],
    [
      'a one-level glob reads no sub-folder',
      ['./src/db/schema/*.ts'],
      ['src/db/schema/events.ts', 'src/db/schema/index.ts', 'src/db/schema/users.ts'],
    ],
    [
      'a ** glob, with braces',
      ['src/db/**/*.{ts,mts}'],
      [
        'src/db/client.ts',
        'src/db/schema/events.ts',
        'src/db/schema/index.ts',
        'src/db/schema/nested/deep.ts',
        'src/db/schema/users.ts',
      ],
    ],
    [
      'several patterns, deduplicated and sorted',
      ['src/db/schema/users.ts', 'src/db/schema/*.ts'],
      ['src/db/schema/events.ts', 'src/db/schema/index.ts', 'src/db/schema/users.ts'],
    ],
    [
      'an extglob (through tinyglobby)',
      ['src/db/schema/+(users|events).ts'],
      ['src/db/schema/events.ts', 'src/db/schema/users.ts'],
    ],
  ])('%s', async (_name, patterns, expected) => {
    expect(relative(await expandSourcePatterns(root, patterns))).toEqual(expected);
  });

  it('lists a folder reached through a symlink once (the same tables twice would be ambiguous)', async () => {
    const files = relative(await expandSourcePatterns(root, ['src']));
    expect(files).toContain('src/db/client.ts');
    expect(files.filter((file) => file.endsWith('deep.ts'))).toEqual([
      'src/db/schema/nested/deep.ts',
    ]);
  });

  it('follows a symlinked folder', async () => {
    expect(relative(await expandSourcePatterns(root, ['src/linked/schema/*.ts']))).toEqual([
      'src/linked/schema/events.ts',
      'src/linked/schema/index.ts',
      'src/linked/schema/users.ts',
    ]);
  });
});

describe('re-exports', () => {
  it('resolves specifiers with and without .js, to files or index files', () => {
    const from = path.join(root, 'src/db/schema/index.ts');
    expect(resolveRelativeModule(from, './users.js')).toBe(
      path.join(root, 'src/db/schema/users.ts'),
    );
    expect(resolveRelativeModule(from, './events')).toBe(
      path.join(root, 'src/db/schema/events.ts'),
    );
    expect(resolveRelativeModule(path.join(root, 'lib/barrel.ts'), '../src/db/schema')).toBe(
      path.join(root, 'src/db/schema/index.ts'),
    );
    expect(resolveRelativeModule(from, './missing')).toBeUndefined();
  });

  it('followReexports adds what barrels re-export, transitively, reading each file once', () => {
    const project = loadProject(root);
    const reads: string[] = [];
    const relevant = (text: string) => text.includes('pgTable');
    const files = followReexports([path.join(root, 'lib/barrel.ts')], (file) => {
      reads.push(file);
      return project.scanSource(file, relevant)?.reexports;
    });
    expect(relative(files)).toEqual([
      'lib/barrel.ts',
      'src/db/schema/events.ts',
      'src/db/schema/index.ts',
      'src/db/schema/users.ts',
    ]);
    expect(new Set(reads).size).toBe(reads.length);
  });

  it('scanSource keeps only relevant texts and memoizes the answer', () => {
    const project = loadProject(root);
    const relevant = (text: string) => text.includes('pgTable');
    const users = path.join(root, 'src/db/schema/users.ts');
    const index = path.join(root, 'src/db/schema/index.ts');
    expect(project.scanSource(users, relevant)).toEqual({ reexports: [], relevant: true });
    expect(project.scanSource(index, relevant)).toEqual({
      reexports: ['./users.js', './events'],
      relevant: false,
    });
    expect(project.scanSource(index, relevant)).toBe(project.scanSource(index, relevant));
    expect(project.scanSource(path.join(root, 'src/nope.ts'), relevant)).toBeUndefined();
  });
});
