/**
 * `joinery check` for TypeORM migrations, by TypeORM's own means: the project's migrations are
 * applied to an empty database and TypeORM's schema builder (what `migration:generate` diffs)
 * must have nothing left to do for any table joinery recorded. Which database depends on the
 * project's driver (`scratch-database.ts`): in-memory better-sqlite3 for SQLite; for PostgreSQL
 * a scratch database on the `DATABASE_URL` server, else PGlite over the wire protocol; for
 * MySQL/MariaDB a scratch database on the `MYSQL_URL` server, else a note. `--verbose` names it.
 *
 * The work happens in a child process (`schema-diff-child.ts`, under tsx in the project's root),
 * so the project's TypeScript entities and its own typeorm load as the project runs them, and
 * check's replays go on beside it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timed } from '../../output.js';
import type { Project } from '../../project/project.js';
import type { PendingMigrations } from '../target.js';
import { scanTypeormProject, type TypeormScan } from './scan.js';
import { openScratchDatabase } from './scratch-database.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema-diff-child.js');

interface ChildAnswer {
  queries: string[];
  /** Tables the DataSource has entities for. */
  tables: string[];
}

/** Does this SQL statement name the table (quoted as TypeORM quotes it, or SQLite's rebuild copy)? */
export function namesTable(query: string, table: string): boolean {
  const name = table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`["\`](?:temporary_)?${name}["\`]`).test(query);
}

export async function pendingTypeormMigration(
  project: Project,
  tables: string[],
  unmigratedTables: ReadonlySet<string> = new Set(),
): Promise<PendingMigrations> {
  // Tables made with --no-migration have no migration to compare: their diff is theirs.
  const compared = tables.filter((table) => !unmigratedTables.has(table));
  if (compared.length === 0) return undefined;
  // The recorded tables as wanted names: their entity files are parsed, for file:line below.
  const scan = await scanTypeormProject(project, compared);
  const dataSource = scan.options.find((options) => options.kind === 'data-source');
  if (!dataSource) {
    return {
      note: 'TypeORM schema diff not run: no `new DataSource(...)` found to apply the migrations with.',
    };
  }
  const database = await openScratchDatabase(project, dataSource.driverType);
  if ('note' in database) return database;
  try {
    const result = await timed(`TypeORM schema diff on ${database.label}`, () =>
      run(
        project.root,
        ['--import', 'tsx', CHILD, dataSource.file, JSON.stringify(database.child)],
        database.interrupted,
      ),
    );
    return judge(result, database.label, compared, unmigratedTables, scan, project.root);
  } finally {
    await database.dispose();
  }
}

/** What the child's answer means for check: undefined (current), a problem, or a note. */
function judge(
  result: RunResult,
  where: string,
  compared: string[],
  unmigratedTables: ReadonlySet<string>,
  scan: TypeormScan,
  root: string,
): PendingMigrations {
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n')[0] ?? `exit ${result.exitCode}`;
    return `TypeORM could not apply the project's migrations to ${where}: ${reason}`;
  }
  let answer: ChildAnswer;
  try {
    answer = JSON.parse(result.stdout) as ChildAnswer;
  } catch {
    return `TypeORM's schema diff gave no readable answer: ${result.stdout.slice(0, 200)}`;
  }
  const missing = compared.filter((table) => !answer.tables.includes(table));
  if (missing.length === compared.length) {
    // An entities glob into a build that is not there (`dist/**/*.entity.js`) loads nothing:
    // an empty diff would say nothing about these tables.
    return {
      note: `TypeORM schema diff not run: the DataSource loads no entity for ${missing.join(', ')} (are its entities compiled output? build the project first); the migrations were checked against their recorded checksums.`,
    };
  }
  const relevant = answer.queries.filter(
    (query) =>
      compared.some((table) => namesTable(query, table)) &&
      ![...unmigratedTables].some((table) => namesTable(query, table)),
  );
  if (relevant.length === 0) return undefined;
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const lines = compared
    .filter((table) => relevant.some((query) => namesTable(query, table)))
    .map((table) => {
      const entity = scan.entities.find((candidate) => candidate.tableName === table);
      const where = entity ? `${relative(entity.file)}:${entity.line}` : 'joinery.json';
      const declared = entity ? `as ${entity.className} declares it` : 'as recorded';
      return `${where}: expected table ${table} ${declared}, found the migrations build it otherwise`;
    });
  return `${lines.join('\n')}\nTypeORM's schema diff is not empty after applying the migrations to ${where}; migration:generate would write:\n${relevant.map((query) => `  ${query}`).join('\n')}`;
}

interface RunResult {
  exitCode: number | string;
  stdout: string;
  stderr: string;
}

/** Runs the child; `signal` stops it (a signal came and its database is being dropped). */
function run(cwd: string, args: string[], signal: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      signal,
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
