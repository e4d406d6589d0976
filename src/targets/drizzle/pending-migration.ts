/**
 * Would `drizzle-kit generate` write a new migration for the current schema? Answered without
 * touching the project: the migrations folder is copied to a temporary folder, a temporary config
 * re-exports the project's with `out` pointing at the copy, and drizzle-kit runs against that.
 * A new SQL file in the copy (or drizzle-kit asking about a rename) means the migrations are behind.
 *
 * drizzle-kit starts before the call returns (the copy and the spawn are synchronous, no execa to
 * load first): `joinery check` calls this before it replays the entries, so drizzle-kit runs in
 * its own process beside the replays instead of after them. With execa, its import waits behind
 * the replays and drizzle-kit starts late: measured 2.6× a gen --dry-run for 200 entries instead
 * of 1.8×, so this one child is spawned by hand.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import type { Project } from '../../project/project.js';
import type { DrizzleConfig } from './drizzle-config.js';
import { drizzleKitBin, readConfigText } from './drizzle-kit.js';
import { configPlaceholders, placeholderNote } from './config-env.js';
import { timed } from '../../output.js';
import { withoutTables } from './unmigrated-tables.js';

const CHECK_NAME = 'joinery_check';

/** undefined when current; else what drizzle-kit would generate (its SQL, or why it stopped). */
export async function pendingDrizzleMigration(
  project: Project,
  config: DrizzleConfig,
  /** Tables of entries made with --no-migration: what drizzle-kit would write for them is theirs. */
  unmigratedTables: ReadonlySet<string> = new Set(),
): Promise<string | undefined> {
  if (!config.file) return undefined;
  const bin = drizzleKitBin(project);
  const temp = mkdtempSync(path.join(tmpdir(), 'joinery-check-'));
  try {
    const out = path.join(temp, 'out');
    const source = path.resolve(project.root, config.out);
    if (existsSync(source)) cpSync(source, out, { recursive: true });
    const before = new Set(listFiles(out));
    const configFile = path.join(temp, 'drizzle.config.ts');
    // drizzle-kit reads `out` relative to the working folder (it prefixes "./").
    const relativeOut = path.relative(project.root, out).split(path.sep).join('/');
    writeFileSync(
      configFile,
      `import config from ${JSON.stringify(config.file)};\n` +
        `export default { ...config, out: ${JSON.stringify(relativeOut)} };\n`,
    );
    const placeholders = configPlaceholders(readConfigText(config.file, project));
    const result = await timed(
      `drizzle-kit generate (check)${placeholderNote(path.basename(config.file), placeholders)}`,
      () =>
        run(
          process.execPath,
          [bin, 'generate', '--name', CHECK_NAME, '--config', configFile],
          project.root,
          placeholders,
        ),
    );
    const output = `${result.stdout}\n${result.stderr}`;
    if (/prompts? require a TTY|Interactive prompts/i.test(output)) {
      return 'drizzle-kit generate would ask whether tables or columns were renamed: the schema changed since the last migration.';
    }
    // drizzle-kit exits 0 even when loading the schema throws; its stack trace gives it away.
    if (result.exitCode !== 0 || /^\s*at .+:\d+:\d+\)?$/m.test(output)) {
      throw projectProblem(
        `drizzle-kit generate failed while checking for pending migrations (exit ${result.exitCode}):\n${output.trim()}`,
        `Run \`npx drizzle-kit generate\` in ${project.root} to see the full error.`,
      );
    }
    const created = listFiles(out).filter((file) => !before.has(file) && file.endsWith('.sql'));
    if (created.length === 0) return undefined;
    const sql = await Promise.all(created.map((file) => readFile(path.join(out, file), 'utf8')));
    const pending = withoutTables(sql.join('\n--> statement-breakpoint\n'), unmigratedTables);
    if (pending === '') return undefined;
    return `drizzle-kit generate would write a new migration:\n${pending}`;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

interface RunResult {
  /** The exit code, or the signal that ended the process (a timeout). */
  exitCode: number | string;
  stdout: string;
  stderr: string;
}

/** Runs `command` without a terminal (so drizzle-kit cannot prompt) and collects its output. */
function run(
  command: string,
  args: string[],
  cwd: string,
  placeholders: Record<string, string>,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      windowsHide: true,
      env: { ...process.env, FORCE_COLOR: '0', ...placeholders },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const settle = (exitCode: number | string, error = '') =>
      resolve({
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + error,
      });
    // A process that could not start emits 'error' and may never close.
    child.on('error', (error) => settle('not started', `\n${error.message}`));
    child.on('close', (code, signal) => settle(code ?? signal ?? 'unknown'));
  });
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    return [];
  }
}
