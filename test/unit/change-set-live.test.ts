/** Parsed files attached to the ChangeSet: their edits are the tree's content, with no copy back. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { loadTsMorph } from '../../src/lazy.js';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

async function treeWith(text: string) {
  const root = await mkdtemp(path.join(tmpdir(), 'joinery-live-'));
  temps.push(root);
  const file = path.join(root, 'user.ts');
  await writeFile(file, text);
  const { Project } = loadTsMorph();
  const morph = new Project({ useInMemoryFileSystem: true });
  const sourceFile = morph.createSourceFile(file, text);
  const changes = new ChangeSet(root);
  changes.attach(file, sourceFile);
  return { file, sourceFile, changes };
}

describe('ChangeSet.attach', () => {
  it('lists nothing while the attached file is unedited', async () => {
    const { changes } = await treeWith('export const a = 1;\n');
    expect(changes.listChanges()).toEqual([]);
  });

  it('reads and lists the edits made through ts-morph', async () => {
    const { file, sourceFile, changes } = await treeWith('export const a = 1;\n');
    sourceFile.addStatements('export const b = 2;');
    expect(changes.read(file)).toContain('export const b = 2;');
    expect(changes.listChanges()).toEqual([
      {
        file,
        kind: 'update',
        before: 'export const a = 1;\n',
        after: sourceFile.getFullText(),
      },
    ]);
  });

  it('lets a later write (formatting) replace the attached text', async () => {
    const { file, sourceFile, changes } = await treeWith('export const a = 1;\n');
    sourceFile.addStatements('export const b = 2;');
    changes.write(file, 'formatted\n');
    sourceFile.addStatements('export const c = 3;');
    expect(changes.read(file)).toBe('formatted\n');
    expect(changes.listChanges().map((change) => change.after)).toEqual(['formatted\n']);
  });

  it('keeps the last text of a source that ts-morph forgot', async () => {
    const { file, sourceFile, changes } = await treeWith('export const a = 1;\n');
    sourceFile.addStatements('export const b = 2;');
    const edited = changes.read(file);
    sourceFile.forget();
    expect(changes.read(file)).toBe(edited);
    expect(changes.attached(file)).toBeUndefined();
  });
});
