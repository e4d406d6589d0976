/**
 * What the built CLI prints around its results: a progress line for slow steps (hidden by
 * --quiet), timings per stage under --verbose, help with examples for every command, and no
 * color codes when the output is not a terminal.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runJoinery } from '../support/cli.js';
import { cleanup, copyFixture } from '../support/fixture.js';
import { REFERENCE_ARGS } from '../support/reference-command.js';

const dirs: string[] = [];
afterAll(async () => cleanup(...dirs));

async function project(): Promise<string> {
  const dir = await copyFixture('drizzle-pg-domains');
  dirs.push(dir);
  return dir;
}

describe('CLI output', () => {
  it('--verbose prints the time and memory of each stage on stderr', async () => {
    const dir = await project();
    const result = await runJoinery(dir, [
      ...REFERENCE_ARGS,
      '--dry-run',
      '--no-migration',
      '--verbose',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^timings:$/m);
    expect(result.stderr).toMatch(/ms {2}load ts-morph (?:\([^)]*\) )?\(at \d+ ms, \d+ MiB\)/);
    expect(result.stderr).toMatch(/ms {2}format \d+ files \(Prettier/);
    expect(result.stderr).toMatch(/ms {2}total, peak memory \d+ MiB$/m);
    expect(result.stdout).not.toContain('timings:');
  });

  it('loads ts-morph and Prettier from the compile cache once a run has filled it', async () => {
    const dir = await project();
    const args = [...REFERENCE_ARGS, '--dry-run', '--no-migration', '--verbose'];
    expect((await runJoinery(dir, args)).exitCode).toBe(0);
    const warm = await runJoinery(dir, args);
    expect(warm.exitCode, warm.stderr).toBe(0);
    // ts-morph, @ts-morph/common and the TypeScript compiler it bundles
    expect(warm.stderr).toMatch(/ms {2}load ts-morph \(3 from the compile cache\) \(at/);
    // Prettier's standalone build with its typescript, estree and babel (JSON) plugins
    expect(warm.stderr).toMatch(/ms {2}load prettier \(4 from the compile cache\) \(at/);
  });

  it('shows a progress line while drizzle-kit runs, and none under --quiet', async () => {
    const loud = await runJoinery(await project(), [...REFERENCE_ARGS, '--yes']);
    expect(loud.exitCode, loud.stderr).toBe(0);
    expect(loud.stderr).toContain(
      'Running drizzle-kit generate --name create_user_events_join_table ...',
    );
    const quiet = await runJoinery(await project(), [...REFERENCE_ARGS, '--yes', '--quiet']);
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('Running drizzle-kit');
  });

  it('prints no color codes when the output is not a terminal, even with FORCE_COLOR', async () => {
    const dir = await project();
    const result = await runJoinery(dir, [...REFERENCE_ARGS, '--dry-run', '--no-migration'], {
      FORCE_COLOR: '1',
      NO_COLOR: undefined,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('+++ b/src/accounts/user-event.ts');
    expect(`${result.stdout}${result.stderr}`).not.toContain('\u001B[');
  });

  it.each([[[]], [['gen']], [['gen', 'resource']], [['check']], [['sync']], [['migrate']]])(
    'joinery %j --help shows examples',
    async (command) => {
      const result = await runJoinery(process.cwd(), [...command, '--help']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^Examples:\n {2}\$ (?:npx )?joinery /m);
      // Defaults worth saying are in the descriptions; commander's own `(default: false)`,
      // `(default: [])` or the current folder are noise.
      expect(result.stdout).not.toMatch(/\(default: (?:false|\[\]|")/);
      // An example continued on the next line ends in a backslash, never runs into it.
      expect(result.stdout).not.toMatch(/\S {3,}-/);
    },
  );
});
