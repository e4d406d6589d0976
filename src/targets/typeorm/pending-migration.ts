/**
 * `joinery check` for TypeORM migrations, by TypeORM's own means: the project's migrations are
 * applied to an empty embedded database and TypeORM's schema builder (what `migration:generate`
 * diffs) must have nothing left to do for any table joinery recorded. SQLite projects use an
 * in-memory better-sqlite3 database. PostgreSQL and MySQL/MariaDB projects are not run here yet:
 * check says so in a note and keeps its text checks (the recorded checksums).
 *
 * The work happens in a child process (`schema-diff-child.ts`, under tsx in the project's root),
 * so the project's TypeScript entities and its own typeorm load as the project runs them, and
 * check's replays go on beside it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../../project/project.js';
import type { PendingMigrations } from '../target.js';
import { scanTypeormProject } from './scan.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema-diff-child.js');

/** Options pointing the project's DataSource at an embedded database, by driver type. */
function embeddedOptions(driverType: string | undefined): Record<string, unknown> | undefined {
  if (driverType === 'better-sqlite3' || driverType === 'sqlite') {
    return { type: 'better-sqlite3', database: ':memory:' };
  }
  return undefined;
}

export async function pendingTypeormMigration(
  project: Project,
  tables: string[],
): Promise<PendingMigrations> {
  if (tables.length === 0) return undefined;
  const scan = await scanTypeormProject(project, []);
  const dataSource = scan.options.find((options) => options.kind === 'data-source');
  if (!dataSource) {
    return {
      note: 'TypeORM schema diff not run: no `new DataSource(...)` found to apply the migrations with.',
    };
  }
  const options = embeddedOptions(dataSource.driverType);
  if (!options) {
    return {
      note: `TypeORM schema diff not run: ${dataSource.driverType ?? 'this'} projects are not applied to an embedded database yet (only SQLite, through better-sqlite3); the migrations were checked against their recorded checksums.`,
    };
  }
  const result = await run(project.root, [
    '--import',
    'tsx',
    CHILD,
    dataSource.file,
    JSON.stringify(options),
  ]);
  const where = 'an in-memory SQLite database (better-sqlite3)';
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n')[0] ?? `exit ${result.exitCode}`;
    return `TypeORM could not apply the project's migrations to ${where}: ${reason}`;
  }
  let queries: string[];
  try {
    queries = JSON.parse(result.stdout) as string[];
  } catch {
    return `TypeORM's schema diff gave no readable answer: ${result.stdout.slice(0, 200)}`;
  }
  // Plain text: SQLite rebuilds a table through `temporary_<table>`, which names it too.
  const relevant = queries.filter((query) => tables.some((table) => query.includes(table)));
  if (relevant.length === 0) return undefined;
  return `TypeORM's schema diff is not empty after applying the migrations to ${where}; migration:generate would write:\n${relevant.map((query) => `  ${query}`).join('\n')}`;
}

function run(
  cwd: string,
  args: string[],
): Promise<{ exitCode: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      windowsHide: true,
      env: { ...process.env, FORCE_COLOR: '0' },
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
    child.on('error', (error) => settle('not started', `\n${error.message}`));
    child.on('close', (code, signal) => settle(code ?? signal ?? 'unknown'));
  });
}
