/**
 * Runs the project's own drizzle-kit. joinery never writes drizzle's SQL, snapshots or journal:
 * the project's drizzle-kit generates them from the schema joinery just wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ExitCode, JoineryError, projectProblem } from '../../errors.js';
import { interruptSignal } from '../../interruption.js';
import { loadExeca } from '../../lazy.js';
import type { Project } from '../../project/project.js';
import { resolveRelativeModule } from '../../project/source-files.js';
import { timed } from '../../output.js';
import { configPlaceholders, placeholderNote } from './config-env.js';
import type { DrizzleConfig } from './drizzle-config.js';

/**
 * The config's text, and the texts of the project modules it imports (`import { env } from
 * '@/env.js'`, where t3-env validates every variable while the config loads), for the variables
 * they demand. A .json config demands none.
 */
export function readConfigText(file: string, project?: Project): string {
  if (file.endsWith('.json')) return '';
  const text = readOrEmpty(file);
  if (!project) return text;
  const imported = [...text.matchAll(IMPORT_FROM)].flatMap((match) => {
    const target = projectModule(project, file, match[1]!);
    return target ? [readOrEmpty(target)] : [];
  });
  return [text, ...imported].join('\n');
}

const IMPORT_FROM = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A relative or tsconfig-alias specifier resolved to a project file; packages are undefined. */
function projectModule(project: Project, from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolveRelativeModule(from, specifier);
  for (const [pattern, targets] of Object.entries(project.ts.paths)) {
    const prefix = pattern.replace(/\*$/, '');
    const target = targets[0];
    if (!target || !specifier.startsWith(prefix)) continue;
    const base = path.resolve(project.root, project.ts.baseUrl ?? '.');
    const mapped = path.resolve(base, target.replace(/\*$/, '') + specifier.slice(prefix.length));
    return resolveRelativeModule(from, mapped);
  }
  return undefined;
}

export function drizzleKitBin(project: Project): string {
  try {
    const require = createRequire(path.join(project.root, 'package.json'));
    // The package exports no package.json; its bin sits beside the main entry.
    return path.join(path.dirname(require.resolve('drizzle-kit')), 'bin.cjs');
  } catch {
    throw projectProblem(
      `drizzle-kit is not installed in ${project.root}; joinery runs it to generate the migration.`,
      'Install it (npm i -D drizzle-kit), or pass --no-migration and generate the migration yourself.',
    );
  }
}

export async function runDrizzleKit(
  project: Project,
  config: DrizzleConfig,
  args: string[],
  bin = drizzleKitBin(project),
): Promise<{ stdout: string; stderr: string }> {
  const { execa } = await loadExeca();
  const configArgs = config.file ? ['--config', path.basename(config.file)] : [];
  // Only generate, which never connects, may load the config with placeholders for its secrets.
  const placeholders =
    args[0] === 'generate' && config.file
      ? configPlaceholders(readConfigText(config.file, project))
      : {};
  const note = config.file ? placeholderNote(path.basename(config.file), placeholders) : '';
  const result = await timed(`drizzle-kit ${args[0]}${note}`, () =>
    execa(process.execPath, [bin, ...args, ...configArgs], {
      cwd: project.root,
      reject: false,
      stdin: 'ignore',
      env: { FORCE_COLOR: '0', ...placeholders },
      // SIGINT/SIGTERM to joinery stops drizzle-kit too; the migration step then undoes its output.
      cancelSignal: interruptSignal(),
    }),
  );
  // drizzle-kit exits 0 even when loading the schema throws; its stack trace gives it away.
  const crashed = /^\s*at .+:\d+:\d+\)?$/m.test(`${result.stdout}\n${result.stderr}`);
  if (result.exitCode !== 0 || crashed) {
    const output = `${result.stdout}\n${result.stderr}`.trim();
    // Its message is the user's to read; its stack frames (into drizzle-kit's bundle and Node's
    // loader) only under --verbose.
    throw new JoineryError(
      `drizzle-kit ${args[0]} failed${result.exitCode ? ` (exit ${result.exitCode})` : ''}:\n${indent(withoutStackFrames(output))}`,
      ExitCode.projectProblem,
      `Run \`npx drizzle-kit ${args.join(' ')}\` in ${project.root}, or joinery with --verbose, to see the full error.`,
      `drizzle-kit's output:\n${indent(output)}`,
    );
  }
  return { stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * The output without its stack frames (`    at file:line:column`); the first frame in the
 * user's own code stays, as where the error was thrown (`thrown at src/works/task.ts:8:41`).
 */
export function withoutStackFrames(output: string): string {
  const frame = /^\s*at (?:.* \()?(.+:\d+:\d+)\)?$/;
  let located = false;
  const lines: string[] = [];
  for (const line of output.split('\n')) {
    const match = frame.exec(line);
    if (!match) lines.push(line);
    else if (!located && !/node_modules|^node:/.test(match[1]!)) {
      located = true;
      lines.push(`thrown at ${match[1]}`);
    }
  }
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** Files and folders in the migrations folder (drizzle names SQL files `<index>_<name>.sql`). */
export function migrationFiles(project: Project, config: DrizzleConfig): string[] {
  const dir = path.resolve(project.root, config.out);
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((file) => path.join(dir, file))
      .sort();
  } catch {
    return [];
  }
}

export function hasMigrationNamed(project: Project, config: DrizzleConfig, name: string): boolean {
  return migrationFiles(project, config).some((file) => {
    const base = path.basename(file, '.sql');
    return base.endsWith(`_${name}`) || path.basename(path.dirname(file)).endsWith(`_${name}`);
  });
}
