/**
 * Would `drizzle-kit generate` write a new migration for the current schema? Answered without
 * touching the project: the migrations folder is copied to a temporary folder, a temporary config
 * re-exports the project's with `out` pointing at the copy, and drizzle-kit runs against that.
 * A new SQL file in the copy (or drizzle-kit asking about a rename) means the migrations are behind.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import { loadExeca } from '../../lazy.js';
import type { Project } from '../../project/project.js';
import type { DrizzleConfig } from './drizzle-config.js';
import { drizzleKitBin } from './drizzle-kit.js';

const CHECK_NAME = 'joinery_check';

/** undefined when current; else what drizzle-kit would generate (its SQL, or why it stopped). */
export async function pendingDrizzleMigration(
  project: Project,
  config: DrizzleConfig,
): Promise<string | undefined> {
  if (!config.file) return undefined;
  const bin = drizzleKitBin(project);
  const temp = await mkdtemp(path.join(tmpdir(), 'joinery-check-'));
  try {
    const out = path.join(temp, 'out');
    const source = path.resolve(project.root, config.out);
    if (existsSync(source)) await cp(source, out, { recursive: true });
    const before = new Set(await listFiles(out));
    const configFile = path.join(temp, 'drizzle.config.ts');
    // drizzle-kit reads `out` relative to the working folder (it prefixes "./").
    const relativeOut = path.relative(project.root, out).split(path.sep).join('/');
    await writeFile(
      configFile,
      `import config from ${JSON.stringify(config.file)};\n` +
        `export default { ...config, out: ${JSON.stringify(relativeOut)} };\n`,
    );
    const { execa } = await loadExeca();
    const result = await execa(
      process.execPath,
      [bin, 'generate', '--name', CHECK_NAME, '--config', configFile],
      {
        cwd: project.root,
        reject: false,
        stdin: 'ignore',
        timeout: 120_000,
        env: { FORCE_COLOR: '0' },
      },
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
    const created = (await listFiles(out)).filter(
      (file) => !before.has(file) && file.endsWith('.sql'),
    );
    if (created.length === 0) return undefined;
    const sql = await Promise.all(created.map((file) => readFile(path.join(out, file), 'utf8')));
    return `drizzle-kit generate would write a new migration:\n${sql.join('\n').trim()}`;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, encoding: 'utf8' })).sort();
  } catch {
    return [];
  }
}
