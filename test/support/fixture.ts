import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Finds the joinery checkout from this file's location (works from test/support or a build). */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the joinery repo root above ${import.meta.url}`);
    dir = parent;
  }
}

/** Absolute path of the joinery repository (the folder holding package.json and fixtures/). */
export const repoRoot: string = findRepoRoot();
/** The repository's own node_modules, which fixture copies link to. */
export const repoNodeModules: string = join(repoRoot, 'node_modules');
/** Absolute path of the committed fixtures. */
export const fixturesDir: string = join(repoRoot, 'fixtures');

/** Names of the committed fixture projects. */
export const fixtureNames = ['drizzle-pg-domains', 'drizzle-pg-single', 'drizzle-sqlite'] as const;
export type FixtureName = (typeof fixtureNames)[number];

/**
 * Copies `fixtures/<name>` into a fresh temp folder (`$TMPDIR/joinery-<name>-XXXXXX`) and links
 * its `node_modules` to the repository's, so tsc, drizzle-kit and tsx work inside the copy.
 * Returns the absolute path of the copy.
 */
export async function copyFixture(name: string): Promise<string> {
  const source = join(fixturesDir, name);
  if (!existsSync(join(source, 'package.json'))) {
    throw new Error(`no fixture named ${name} in ${fixturesDir}`);
  }
  const dir = await mkdtemp(join(tmpdir(), `joinery-${name}-`));
  await cp(source, dir, {
    recursive: true,
    filter: (src) => !relative(source, src).split(sep).includes('node_modules'),
  });
  await symlink(repoNodeModules, join(dir, 'node_modules'), 'dir');
  return dir;
}

/** drizzle-orm and drizzle-kit 1.x, installed apart because their peer ranges exclude 0.45. */
const drizzleV1Modules = join(repoRoot, 'test', 'drizzle-v1-deps', 'node_modules');

/**
 * `copyFixture` for a drizzle-orm 1.x fixture: the copy's node_modules links every package to the
 * repository's, except drizzle-orm and drizzle-kit, which come from test/drizzle-v1-deps.
 */
export async function copyDrizzleV1Fixture(name = 'drizzle-v1-pg'): Promise<string> {
  const dir = await copyFixture(name);
  const modules = join(dir, 'node_modules');
  await rm(modules, { recursive: true, force: true });
  await mkdir(modules);
  for (const entry of await readdir(repoNodeModules)) {
    const source = ['drizzle-orm', 'drizzle-kit'].includes(entry)
      ? drizzleV1Modules
      : repoNodeModules;
    await symlink(join(source, entry), join(modules, entry));
  }
  return dir;
}

/** TypeORM 0.3.x and ts-node, installed apart from the repository's TypeORM 1.x. */
const typeorm03Modules = join(repoRoot, 'test', 'typeorm-03-deps', 'node_modules');

/**
 * `copyFixture` for a TypeORM 0.3.x fixture: the copy's node_modules links every package to the
 * repository's, except those test/typeorm-03-deps holds (typeorm 0.3, its fork @n8n/typeorm, the
 * fork's sqlite3 driver, ts-node); its `.bin` runs their commands (`typeorm`,
 * `typeorm-ts-node-commonjs`, `ts-node`), as a project's own scripts would.
 */
export async function copyTypeorm03Fixture(name: string): Promise<string> {
  const dir = await copyFixture(name);
  const modules = join(dir, 'node_modules');
  await rm(modules, { recursive: true, force: true });
  await mkdir(join(modules, '.bin'), { recursive: true });
  // Each linked package resolves its own dependencies from where it is installed.
  const own = ['typeorm', 'ts-node', 'reflect-metadata', '@n8n', 'sqlite3'];
  for (const entry of await readdir(repoNodeModules)) {
    if (entry.startsWith('.') || own.includes(entry)) continue;
    await symlink(join(repoNodeModules, entry), join(modules, entry));
  }
  for (const entry of own) {
    await symlink(join(typeorm03Modules, entry), join(modules, entry));
  }
  const bins = new Map<string, string>();
  for (const folder of [repoNodeModules, typeorm03Modules]) {
    for (const bin of await readdir(join(folder, '.bin'))) {
      if (folder === repoNodeModules || /^(typeorm|ts-node)/.test(bin))
        bins.set(bin, join(folder, '.bin', bin));
    }
  }
  for (const [bin, target] of bins) await symlink(target, join(modules, '.bin', bin));
  return dir;
}

/** Folders that snapshotTree never descends into. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * Reads every file below `dir` (except node_modules and .git) into a map from its
 * POSIX-style relative path to its UTF-8 content. Compare two snapshots with `diffTrees`
 * to prove that nothing changed.
 */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(current: string): Promise<void> {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        files.set(relative(dir, full).split(sep).join('/'), await readFile(full, 'utf8'));
      }
    }
  }
  await walk(dir);
  return files;
}

export interface TreeDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Lists the relative paths added, removed and changed between two snapshots (sorted). */
export function diffTrees(before: Map<string, string>, after: Map<string, string>): TreeDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [path, content] of after) {
    if (!before.has(path)) added.push(path);
    else if (before.get(path) !== content) changed.push(path);
  }
  for (const path of before.keys()) if (!after.has(path)) removed.push(path);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

/** Removes fixture copies (or any temp folders); missing folders are ignored. */
export async function cleanup(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/**
 * `copyFixture` for one test file, every copy removed after its tests:
 * `const copy = fixtureCopies();` at the top, then `await copy('drizzle-pg-domains')`.
 */
export function fixtureCopies(): (name: string) => Promise<string> {
  const copies: string[] = [];
  afterAll(() => cleanup(...copies));
  return async (name) => {
    const dir = await copyFixture(name);
    copies.push(dir);
    return dir;
  };
}
