/**
 * Formatting resolves plain JSON Prettier configs itself and uses Prettier's standalone build;
 * everything else goes to Prettier's own API. Both must format alike.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { formatChanges } from '../../src/change-set/format-changes.js';
import { readSimplePrettierConfig } from '../../src/change-set/prettier-config.js';
import { cleanup } from '../support/fixture.js';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'joinery-prettier-config-'));
});
afterAll(async () => cleanup(base));

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(base, 'p-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

describe('readSimplePrettierConfig', () => {
  it.each([
    [
      '.prettierrc as JSON',
      { '.prettierrc': '{ "semi": false }' },
      { kind: 'found', options: { semi: false } },
    ],
    [
      '.prettierrc.json',
      { '.prettierrc.json': '{ "tabWidth": 4, "$schema": "x" }' },
      { kind: 'found', options: { tabWidth: 4 } },
    ],
    [
      'package.json "prettier" wins over a .prettierrc in the same folder',
      {
        'package.json': '{ "prettier": { "singleQuote": true } }',
        '.prettierrc': '{ "semi": false }',
      },
      { kind: 'found', options: { singleQuote: true } },
    ],
    [
      'a package.json without "prettier" is passed over',
      { 'package.json': '{ "name": "x" }', '.prettierrc': '{ "semi": false }' },
      { kind: 'found', options: { semi: false } },
    ],
    ['no config', { 'package.json': '{ "name": "x" }' }, { kind: 'none' }],
    ['YAML', { '.prettierrc': 'semi: false\n' }, { kind: 'unsupported' }],
    ['a JS config', { 'prettier.config.js': 'export default {}' }, { kind: 'unsupported' }],
    [
      'a shared config',
      { 'package.json': '{ "prettier": "@acme/prettier-config" }' },
      { kind: 'unsupported' },
    ],
    ['overrides', { '.prettierrc': '{ "overrides": [] }' }, { kind: 'unsupported' }],
    ['plugins', { '.prettierrc': '{ "plugins": ["prettier-plugin-x"] }' }, { kind: 'unsupported' }],
    [
      'an .editorconfig',
      { '.prettierrc': '{}', '.editorconfig': 'root = true\n' },
      { kind: 'unsupported' },
    ],
  ])('%s', async (_name, files, expected) => {
    const dir = await project({ ...files, 'src/a.ts': '' });
    expect(readSimplePrettierConfig(path.join(dir, 'src'))).toMatchObject(expected);
  });
});

describe('formatChanges', () => {
  const text = `import {a,b} from "./x"\nexport const table = {id: 1, name: "n", list: [1,2,3]}\n`;

  it.each([
    [
      'a JSON config (standalone build)',
      { '.prettierrc': '{ "semi": false, "singleQuote": true }' },
    ],
    ['a YAML config (full API)', { '.prettierrc': 'semi: false\nsingleQuote: true\n' }],
  ])('formats like Prettier itself with %s', async (_name, files) => {
    const dir = await project({ ...files, 'package.json': '{ "name": "x" }' });
    const file = path.join(dir, 'src/new.ts');
    const changes = new ChangeSet(dir);
    changes.write(file, text);
    await formatChanges(changes);
    const config = await prettier.resolveConfig(file, { editorconfig: true });
    expect(changes.read(file)).toBe(await prettier.format(text, { ...config, filepath: file }));
    expect(changes.read(file)).toContain("from './x'\n");
  });

  it('prints a progress line when it formats many files', async () => {
    const dir = await project({ '.prettierrc': '{}', 'package.json': '{ "name": "x" }' });
    const changes = new ChangeSet(dir);
    for (let i = 0; i < 10; i++) changes.write(path.join(dir, `src/f${i}.ts`), text);
    const lines: string[] = [];
    await formatChanges(changes, { progress: (line) => lines.push(line) });
    expect(lines).toEqual([expect.stringMatching(/^Formatting 10 files with Prettier \d/)]);
  });
});
