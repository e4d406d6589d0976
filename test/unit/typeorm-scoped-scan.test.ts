/**
 * The TypeORM scan reads only what the DataSource's globs cover when it can (a large repository
 * then costs what a small one does), and every source file when it cannot.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/project.js';
import { scanTypeormProject } from '../../src/targets/typeorm/scan.js';
import { cleanup, copyFixture } from '../support/fixture.js';

const dirs: string[] = [];
afterEach(async () => cleanup(...dirs.splice(0)));

async function fixture(name: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await copyFixture(name);
  dirs.push(dir);
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

const WIDGET = `import { Entity, PrimaryGeneratedColumn } from 'typeorm'\n\n@Entity('widgets')\nexport class Widget {\n  @PrimaryGeneratedColumn('uuid')\n  id!: string\n}\n`;
const names = ['UserEvent', 'User', 'Event', 'user_events'];
const relative = (dir: string, files: string[]) =>
  files.map((file) => path.relative(dir, file).split(path.sep).join('/'));

describe('scanTypeormProject', () => {
  it('reads only the files the DataSource globs cover (src/data-source.ts, entities and migrations by glob)', async () => {
    const dir = await fixture('typeorm-pg', { 'src/extra/Widget.ts': WIDGET });
    const scan = await scanTypeormProject(loadProject(dir), names, ['User', 'Event']);
    expect(scan.coverage).toBe('scoped');
    expect(relative(dir, scan.files).every((file) => !file.startsWith('src/extra/'))).toBe(true);
    expect(relative(dir, scan.files)).toContain('src/data-source.ts');
    const classes = scan.entities.map((entity) => entity.className);
    expect(classes).toEqual(expect.arrayContaining(['Event', 'User']));
    expect([...classes, ...scan.otherEntityNames].join('\n')).not.toContain('Widget');
  });

  it('finds the DataSource a package.json script names (typeorm -d <file>)', async () => {
    const dir = await fixture('typeorm-pg');
    await mkdir(path.join(dir, 'config'));
    await rename(path.join(dir, 'src/data-source.ts'), path.join(dir, 'config/db.ts'));
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    manifest.scripts['migration:run'] = 'typeorm-ts-node-esm migration:run -d ./config/db.ts';
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest));
    const scan = await scanTypeormProject(loadProject(dir), names, ['User', 'Event']);
    expect(scan.coverage).toBe('scoped');
    expect(scan.options.map((options) => path.relative(dir, options.file))).toEqual([
      path.join('config', 'db.ts'),
    ]);
  });

  it('scans every file when a wanted entity lies outside the globs', async () => {
    const dir = await fixture('typeorm-pg', { 'src/extra/Widget.ts': WIDGET });
    const scan = await scanTypeormProject(
      loadProject(dir),
      [...names, 'Widget'],
      ['User', 'Widget'],
    );
    expect(scan.coverage).toBe('full');
    expect(scan.entities.map((entity) => entity.className)).toContain('Widget');
  });

  it('never reads compiled output: a dist/ glob stands for the sources under src/', async () => {
    const dir = await fixture('typeorm-pg', { 'dist/entities/User.js': WIDGET });
    const file = path.join(dir, 'src/data-source.ts');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace("'src/entities/*.ts'", "'dist/entities/*.js'"),
    );
    const scan = await scanTypeormProject(loadProject(dir), names, ['User', 'Event']);
    expect(scan.coverage).toBe('scoped');
    expect(relative(dir, scan.files).filter((file) => file.startsWith('dist/'))).toEqual([]);
    expect(scan.entities.map((entity) => entity.className)).toContain('User');
  });

  it('scans every file when the DataSource lists entity classes', async () => {
    const dir = await fixture('typeorm-sqlite');
    const scan = await scanTypeormProject(loadProject(dir), names, ['User', 'Event']);
    expect(scan.coverage).toBe('full');
    expect(scan.entities.map((entity) => entity.className).sort()).toEqual(['Event', 'User']);
  });

  it('keeps the texts of files that matter only, and lists every file', async () => {
    const dir = await fixture('typeorm-sqlite', { 'src/util/format.ts': 'export const x = 1\n' });
    const scan = await scanTypeormProject(loadProject(dir), names, ['User', 'Event']);
    expect(relative(dir, scan.files)).toContain('src/util/format.ts');
    expect(relative(dir, [...scan.texts.keys()])).not.toContain('src/util/format.ts');
    expect(relative(dir, [...scan.texts.keys()])).toContain(
      'src/db/migrations/1700000000000-init.ts',
    );
  });
});
