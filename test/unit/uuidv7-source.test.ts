/** Where generated uuid v7 keys come from, for both targets: a package the project has, else one module written once. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { loadProject } from '../../src/project/project.js';
import { uuidV7Source } from '../../src/rules/uuidv7-source.js';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

async function projectWith(
  dependencies: Record<string, string>,
  files: Record<string, string> = {},
) {
  const root = await mkdtemp(path.join(tmpdir(), 'joinery-uuidv7-source-'));
  temps.push(root);
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'x', dependencies }));
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(root, file), text);
  const project = loadProject(root);
  return { project, changes: new ChangeSet(project.root, { read: project.readSource }) };
}

describe('uuidV7Source', () => {
  it.each([
    [{ uuid: '^11.0.3' }, { module: 'uuid', name: 'v7 as uuidv7' }],
    [
      { uuid: '^9.0.0', uuidv7: '^1.0.2' },
      { module: 'uuidv7', name: 'uuidv7' },
    ],
  ])('uses the package of %j, writing nothing', async (dependencies, expected) => {
    const { project, changes } = await projectWith(dependencies);
    expect(uuidV7Source(project, changes, project.root)).toMatchObject(expected);
    expect(changes.listChanges()).toEqual([]);
  });

  it('writes uuidv7.ts once into the folder when no package provides it', async () => {
    const { project, changes } = await projectWith({ uuid: '^9.0.0' });
    const first = uuidV7Source(project, changes, project.root);
    expect(first).toEqual({
      module: path.join(project.root, 'uuidv7.ts'),
      name: 'uuidv7',
      shown: 'uuidv7.ts',
    });
    expect(changes.read(first.module)).toContain('export function uuidv7(): string');
    uuidV7Source(project, changes, project.root);
    expect(changes.listChanges().map((change) => change.kind)).toEqual(['create']);
  });

  it('keeps an existing uuidv7.ts, and refuses one that exports no uuidv7 (exit 3)', async () => {
    const own = await projectWith({}, { 'uuidv7.ts': 'export const uuidv7 = () => "x";\n' });
    uuidV7Source(own.project, own.changes, own.project.root);
    expect(own.changes.listChanges()).toEqual([]);

    const other = await projectWith({}, { 'uuidv7.ts': 'export const v7 = 1;\n' });
    expect(() => uuidV7Source(other.project, other.changes, other.project.root)).toThrow(
      expect.objectContaining({
        exitCode: 3,
        message:
          'uuidv7.ts exists but exports no uuidv7(); joinery keeps its uuid v7 generator there.',
      }),
    );
  });
});
