import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { TypeormDatabase } from './typeorm-usage.js';

/**
 * Points a fixture copy's DataSource at another database kind before joinery runs, so joinery
 * generates for that dialect (the typeorm-pg fixture then stands for a MariaDB or SQLite project
 * with uuid keys). Only for copies; never for fixtures/ itself.
 */
export async function retargetDataSource(
  dir: string,
  file: string,
  database: TypeormDatabase,
): Promise<void> {
  const path = join(dir, file);
  const before = await readFile(path, 'utf8');
  const connection =
    database === 'sqlite'
      ? `type: 'better-sqlite3',\n  database: ':memory:',`
      : database === 'mariadb'
        ? `type: 'mariadb',\n  url: process.env.MYSQL_URL,`
        : `type: 'postgres',\n  url: process.env.DATABASE_URL,`;
  const after = before.replace(/type: '[\w-]+',\n\s*url: process\.env\.DATABASE_URL,/, connection);
  if (after === before && database !== 'postgres')
    throw new Error(`retargetDataSource: no connection options in ${path}`);
  await writeFile(path, after);
}

/** Postgres and MariaDB only run when their servers are configured. */
export const hasPostgres = Boolean(process.env.DATABASE_URL);
export const hasMysql = Boolean(process.env.MYSQL_URL);
