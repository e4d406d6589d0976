/**
 * The package as users get it: built from source into a staging folder (the repository's own
 * dist/ is left alone: other tests run it), packed with `npm pack`, installed from the tarball
 * into a clean project, and run there through `npx joinery` — `--version`, then a real `gen`
 * with its migration on a copy of a fixture project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, copyFixture, repoRoot } from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const ENV = { CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', npm_config_update_notifier: 'false' };
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};
const dirs: string[] = [];
let tarball: string;
let packedFiles: string[];
let consumer: string;

async function run(file: string, args: string[], cwd: string) {
  const result = await execa(file, args, { cwd, env: ENV, reject: false, stdin: 'ignore' });
  return {
    exitCode: result.exitCode ?? 1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

beforeAll(async () => {
  const staging = await mkdtemp(path.join(tmpdir(), 'joinery-package-'));
  dirs.push(staging);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'bin', 'templates']) {
    await cp(path.join(repoRoot, entry), path.join(staging, entry), { recursive: true });
  }
  const build = await run(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(repoRoot, 'tsconfig.build.json'),
      '--outDir',
      path.join(staging, 'dist'),
    ],
    repoRoot,
  );
  expect(build.exitCode, `${build.stdout}\n${build.stderr}`).toBe(0);

  const packs = path.join(staging, 'packs');
  await mkdir(packs);
  // The scripts (prepack rebuilds dist/) were replaced by the build above.
  const pack = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', packs],
    staging,
  );
  expect(pack.exitCode, pack.stderr).toBe(0);
  const [report] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(packs, report!.filename);
  packedFiles = report!.files.map((file) => file.path).sort();

  consumer = await mkdtemp(path.join(tmpdir(), 'joinery-consumer-'));
  dirs.push(consumer);
  await writeFile(
    path.join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'joinery-consumer', private: true }, null, 2)}\n`,
  );
  const install = await run(
    'npm',
    ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    consumer,
  );
  expect(install.exitCode, install.stderr).toBe(0);
}, 300_000);

afterAll(async () => cleanup(...dirs));

describe('the npm package', () => {
  it('holds only what users need: built code, templates, README, LICENSE', () => {
    const outside = packedFiles.filter(
      (file) =>
        !/^(?:bin\/joinery\.js|dist\/.+\.js|templates\/.+\.ejs|package\.json|README\.md|LICENSE)$/.test(
          file,
        ),
    );
    expect(outside).toEqual([]);
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'bin/joinery.js',
        'dist/cli.js',
        'LICENSE',
        'README.md',
        'templates/drizzle/join-table.ts.ejs',
        'templates/typeorm/join-entity.ts.ejs',
      ]),
    );
  });

  it('installs from the tarball and runs with npx: --version', async () => {
    const result = await run('npx', ['--no', '--', 'joinery', '--version'], consumer);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('runs a real gen (join table, relations, drizzle-kit migration) and then reports it current', async () => {
    const project = await copyFixture('drizzle-pg-domains');
    dirs.push(project);
    const args = ['--no', '--', 'joinery', ...REFERENCE_ARGS, '--cwd', project, '--yes'];
    const gen = await run('npx', args, consumer);
    expect(gen.exitCode, `${gen.stdout}\n${gen.stderr}`).toBe(0);
    expect(gen.stdout).toContain('src/accounts/user-event.ts');
    expect(existsSync(path.join(project, 'src/accounts/user-event.ts'))).toBe(true);
    const migrations = (await readdir(path.join(project, 'drizzle'))).filter((file) =>
      file.endsWith('_create_user_events_join_table.sql'),
    );
    expect(migrations).toHaveLength(1);

    // The first run filled the compile cache beside the installed dependencies; the next uses it.
    const cached = await readdir(path.join(consumer, 'node_modules', '.cache', 'joinery'));
    expect(cached.filter((file) => file.endsWith('.v8')).length).toBeGreaterThanOrEqual(3);
    const again = await run(
      'npx',
      [...args.filter((arg) => arg !== '--yes'), '--check', '--verbose'],
      consumer,
    );
    expect(again.exitCode, `${again.stdout}\n${again.stderr}`).toBe(0);
    // Every large ts-morph file (3 with @ts-morph/common 0.29.0, 4 with 0.29.1: npm resolves the
    // tarball's ranges afresh) comes from the cache; none is compiled.
    const loaded = /load ts-morph \((\d+) from the compile cache\)/.exec(again.stderr);
    expect(Number(loaded?.[1])).toBeGreaterThanOrEqual(3);
  });
});
