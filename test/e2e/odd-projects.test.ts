/**
 * Odd projects and odd answers through the built CLI: a package.json that is `null`, an array
 * or not JSON, folders where files are expected, a barrel cut short after `export * from`, a
 * schema file too large to scan, a schema that throws when drizzle-kit loads it, Ctrl-C and
 * Ctrl-D at the `[Y/n]` question. Each exits with its documented code and a message naming the
 * file, shows no stack trace, and changes no file. Never exit 4.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { joineryBin, runJoinery } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const copies: string[] = [];
afterAll(() => cleanup(...copies));

async function project(fixture: string, odd: (dir: string) => Promise<void>): Promise<string> {
  const dir = await copyFixture(fixture);
  copies.push(dir);
  await odd(dir);
  return dir;
}

const replaceWithFolder = (file: string) => async (dir: string) => {
  await rm(path.join(dir, file));
  await mkdir(path.join(dir, file));
};
const write = (file: string, text: string) => (dir: string) =>
  writeFile(path.join(dir, file), text);
const append = (file: string, text: string) => async (dir: string) =>
  writeFile(path.join(dir, file), (await readFile(path.join(dir, file), 'utf8')) + text);

interface OddCase {
  name: string;
  fixture: string;
  odd: (dir: string) => Promise<void>;
  exitCode: number;
  message: RegExp;
  args?: string[];
  /** Instead of the reference command (whose uuid keys fit the pg fixtures only). */
  command?: string[];
}

const CASES: OddCase[] = [
  {
    name: 'package.json is null',
    fixture: 'drizzle-pg-domains',
    odd: write('package.json', 'null\n'),
    exitCode: 2,
    message: /package\.json must hold a JSON object, not null \(.*package\.json\)/,
  },
  {
    name: 'package.json is null (TypeORM)',
    fixture: 'typeorm-pg',
    odd: write('package.json', 'null\n'),
    exitCode: 2,
    message: /package\.json must hold a JSON object, not null/,
  },
  {
    name: 'package.json is an array',
    fixture: 'drizzle-pg-domains',
    odd: write('package.json', '[]\n'),
    exitCode: 2,
    message: /package\.json must hold a JSON object, not an array/,
  },
  {
    name: 'package.json is not JSON',
    fixture: 'drizzle-pg-domains',
    odd: write('package.json', '{ "name": \n'),
    exitCode: 2,
    message: /package\.json is not valid JSON/,
  },
  {
    name: 'package.json is a folder (EISDIR)',
    fixture: 'drizzle-pg-domains',
    odd: replaceWithFolder('package.json'),
    exitCode: 3,
    message: /package\.json cannot be read: it is a directory, not a file/,
  },
  {
    name: 'drizzle.config.ts is a folder',
    fixture: 'drizzle-pg-domains',
    odd: replaceWithFolder('drizzle.config.ts'),
    exitCode: 3,
    message: /drizzle\.config\.ts cannot be read: it is a directory, not a file/,
  },
  {
    name: 'the schema entry src/db/schema.ts is a folder',
    fixture: 'drizzle-pg-domains',
    odd: replaceWithFolder('src/db/schema.ts'),
    exitCode: 3,
    message:
      /Resource User not found[\s\S]*Files not scanned:\n {2}src\/db\/schema\.ts: a directory/,
  },
  {
    name: "drizzle.config's schema goes through a file (ENOTDIR)",
    fixture: 'drizzle-pg-domains',
    odd: async (dir) => {
      const config = path.join(dir, 'drizzle.config.ts');
      const text = await readFile(config, 'utf8');
      await writeFile(
        config,
        text.replace(/schema: '[^']*'/, "schema: './src/db/schema.ts/index.ts'"),
      );
    },
    exitCode: 3,
    message:
      /The schema in drizzle\.config\.ts \(\.\/src\/db\/schema\.ts\/index\.ts\) matches no source file/,
  },
  {
    name: 'the DataSource src/data-source.ts is a folder (TypeORM)',
    fixture: 'typeorm-pg',
    odd: replaceWithFolder('src/data-source.ts'),
    exitCode: 3,
    message: /src\/data-source\.ts cannot be read: it is a directory, not a file/,
  },
  {
    name: 'the barrel ends in `export * from` cut short',
    fixture: 'drizzle-pg-domains',
    odd: append('src/db/schema.ts', 'export * from\n'),
    exitCode: 3,
    message: /src\/db\/schema\.ts:7:\d+: does not parse/,
  },
  {
    name: 'the barrel of the separate relations layout ends in `export * from`',
    fixture: 'drizzle-sqlite',
    odd: append('src/db/schema/index.ts', 'export * from\n'),
    exitCode: 3,
    message: /src\/db\/schema\/index\.ts:\d+:\d+: does not parse/,
    command: ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'],
  },
  {
    name: 'the file of User is too large to scan',
    fixture: 'drizzle-pg-domains',
    odd: append('src/accounts/user.ts', `// ${'x'.repeat(1024 * 1024)}\n`),
    exitCode: 3,
    message:
      /Resource User not found[\s\S]*Files not scanned:\n {2}src\/accounts\/user\.ts: larger than 1 MiB/,
  },
  {
    name: 'the schema throws when drizzle-kit loads it',
    fixture: 'drizzle-pg-domains',
    odd: append('src/works/task.ts', "throw new Error('boom at load')\n"),
    exitCode: 3,
    message:
      /drizzle-kit generate failed:\n {2}[\s\S]*Error: boom at load\n {2}thrown at .*src\/works\/task\.ts:\d+:\d+\n/,
    args: ['-y'],
  },
];

describe('odd projects: documented exit code, a message, nothing changed', () => {
  it.each(CASES)('$name', async (odd) => {
    const { fixture, exitCode, message, args = ['-y'], command = REFERENCE_ARGS } = odd;
    const dir = await project(fixture, odd.odd);
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, [...command, ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('internal error');
    expect(result.exitCode).toBe(exitCode);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it("--verbose shows drizzle-kit's stack trace", async () => {
    const dir = await project(
      'drizzle-pg-domains',
      append('src/works/task.ts', "throw new Error('boom at load')\n"),
    );
    const result = await runJoinery(dir, [...REFERENCE_ARGS, '-y', '--verbose']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/drizzle-kit's output:[\s\S]*^\s+at .*task\.ts:\d+:\d+/m);
  });
});

/**
 * The built CLI on a terminal (util-linux `script` gives it one): `key` is typed once the
 * question shows.
 */
async function answerOnTerminal(dir: string, key: string) {
  const command = [process.execPath, joineryBin, ...REFERENCE_ARGS, '--no-migration']
    .map((part) => `'${part}'`)
    .join(' ');
  const child = execa('script', ['-qfec', command, '/dev/null'], {
    cwd: dir,
    reject: false,
    env: { FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  let shown = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (shown.includes('[Y/n]') && !shown.includes('\u0000sent')) {
      shown += '\u0000sent';
      setTimeout(() => child.stdin!.write(key), 200);
    }
  });
  const result = await child;
  return { exitCode: result.exitCode, output: shown };
}

describe('the [Y/n] question', () => {
  it.each([
    ['Ctrl-C', '\u0003', 130, /Interrupted \(Ctrl-C\) at the question; nothing was changed\./],
    ['Ctrl-D', '\u0004', 0, /Nothing written\./],
  ])('%s: exit %i, nothing written', async (_name, key, exitCode, message) => {
    const dir = await project('drizzle-pg-domains', async () => {});
    const before = await snapshotTree(dir);
    const result = await answerOnTerminal(dir, key);
    expect(result.output).toMatch(message);
    expect(result.output).not.toContain('internal error');
    expect(result.exitCode).toBe(exitCode);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
