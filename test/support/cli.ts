import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { execa } from 'execa';

import { repoRoot } from './fixture.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The built CLI entry point (`npm run build` must have run first). */
export const joineryBin: string = join(repoRoot, 'bin', 'joinery.js');
const binDir = join(repoRoot, 'node_modules', '.bin');
export const tscBin: string = join(binDir, 'tsc');
export const drizzleKitBin: string = join(binDir, 'drizzle-kit');
export const tsxBin: string = join(binDir, 'tsx');

/** Environment every child process gets: non-interactive, no colours. */
const QUIET_ENV = { CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' } as const;

async function run(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<RunResult> {
  const result = await execa(file, args, {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { ...QUIET_ENV, ...env },
    stripFinalNewline: true,
  });
  return {
    // undefined when the process could not start or was killed by a signal
    exitCode: result.exitCode ?? (result.failed ? 1 : 0),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? (result.failed ? result.message : '')),
  };
}

/** Runs the built CLI (`node bin/joinery.js ...args`) in `cwd`; never throws on a non-zero exit. */
export function runJoinery(
  cwd: string,
  args: string[],
  env?: Record<string, string | undefined>,
): Promise<RunResult> {
  return run(process.execPath, [joineryBin, ...args], cwd, env);
}

/** `tsc --noEmit -p <dir>` with the repository's TypeScript; exitCode 0 means it type-checks. */
export function typecheck(dir: string): Promise<RunResult> {
  return run(tscBin, ['--noEmit', '-p', dir], dir);
}

/** Runs the repository's drizzle-kit in a project folder, e.g. `['generate', '--name', 'x']`. */
export function runDrizzleKit(
  cwd: string,
  args: string[],
  env?: Record<string, string | undefined>,
): Promise<RunResult> {
  return run(drizzleKitBin, args, cwd, env);
}

/** Runs a TypeScript file with tsx in `cwd`. */
export function runTsx(
  cwd: string,
  file: string,
  args: string[] = [],
  env?: Record<string, string | undefined>,
): Promise<RunResult> {
  return run(tsxBin, [file, ...args], cwd, env);
}

/**
 * Imports `entry` with Node (TypeScript and tsconfig path aliases through tsx's loader), as the
 * app's own start would; stdout is the module's export names, sorted and comma-separated.
 */
export function importWithNode(
  dir: string,
  entry: string,
  env?: Record<string, string | undefined>,
): Promise<RunResult> {
  const url = pathToFileURL(join(dir, entry)).href;
  const script = `const m = await import(${JSON.stringify(url)}); console.log(Object.keys(m).sort().join(','))`;
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], dir, env);
}
