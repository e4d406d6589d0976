/**
 * Runs a generated TypeScript script inside a project copy, as a user's own code would run:
 * written into a folder of the project, type-checked against it, run with tsx, and read back
 * from one marked JSON line on stdout. Shared by the usage harnesses.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { runTsx, typecheck } from './cli.js';

/** Module specifier with a `.js` suffix, which both NodeNext and Bundler resolve to the `.ts` file. */
export function specifier(fromDir: string, file: string): string {
  const rel = relative(fromDir, file)
    .split(sep)
    .join('/')
    .replace(/\.(c|m)?tsx?$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The end of a usage script: runs its `main()`, prints the result on one `marker` line, and
 * closes the database (`close()`) whether main succeeded or not.
 */
export function runMainReporting(marker: string): string {
  return `main()
  .then(async (result) => {
    await close()
    console.log('${marker} ' + JSON.stringify(result))
  })
  .catch(async (error: unknown) => {
    await close().catch(() => undefined)
    console.error(error)
    process.exitCode = 1
  })
`;
}

export interface ProjectScript {
  /** Folder inside the project, e.g. `.joinery-usage`. */
  folder: string;
  /** File name of the script, e.g. `usage.ts`. */
  file: string;
  /** Prefix of the stdout line carrying the JSON result, e.g. `JOINERY_USAGE_RESULT`. */
  marker: string;
  /** The script's source, given the folder it will live in. */
  render(scriptDir: string): string;
  typecheck?: boolean;
  keepScript?: boolean;
}

export async function runProjectScript<T>(dir: string, script: ProjectScript): Promise<T> {
  const scriptDir = join(dir, script.folder);
  try {
    await mkdir(scriptDir, { recursive: true });
    await writeFile(join(scriptDir, script.file), script.render(scriptDir));
    await writeFile(
      join(scriptDir, 'tsconfig.json'),
      JSON.stringify(
        { extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: [script.file] },
        null,
        2,
      ),
    );
    if (script.typecheck !== false) {
      const checked = await typecheck(scriptDir);
      if (checked.exitCode !== 0) {
        throw new Error(
          `${script.file} does not type-check in ${dir}:\n${checked.stdout}\n${checked.stderr}`,
        );
      }
    }
    const run = await runTsx(dir, join(scriptDir, script.file));
    const prefix = `${script.marker} `;
    const line = run.stdout.split('\n').find((l) => l.startsWith(prefix));
    if (run.exitCode !== 0 || !line) {
      throw new Error(
        `${script.file} failed in ${dir} (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`,
      );
    }
    return JSON.parse(line.slice(prefix.length)) as T;
  } finally {
    if (!script.keepScript) await rm(scriptDir, { recursive: true, force: true });
  }
}

/**
 * A script for a drizzle-orm 0.45 Postgres project: a fresh PGlite migrated with the project's
 * migrations, `db` and `schema` (`schemaFile`, src/db/schema.ts unless told) in scope, then
 * `body`, which reports with `report(value)`.
 */
export function drizzlePgliteScript(
  dir: string,
  body: string,
  schemaFile = 'src/db/schema.ts',
): ProjectScript {
  const marker = 'JOINERY_PGLITE_RESULT';
  return {
    folder: '.joinery-pglite',
    file: 'usage.ts',
    marker,
    render: (scriptDir) => `import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import * as schema from '${specifier(scriptDir, join(dir, schemaFile))}';

const client = new PGlite();
const db = drizzle(client, { schema });
await migrate(db, { migrationsFolder: ${JSON.stringify(join(dir, 'drizzle'))} });
const report = (value: unknown) => console.log('${marker} ' + JSON.stringify(value));
${body}
await client.close();
`,
  };
}
