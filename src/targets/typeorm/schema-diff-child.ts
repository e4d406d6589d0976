/**
 * Run by `joinery check` in its own process (`node --import tsx`, in the project's root), so the
 * project's TypeScript data source, its entities and its own typeorm load as the project runs
 * them: applies the project's migrations to an empty embedded database and prints, as JSON, the
 * SQL TypeORM's own schema builder would still run (the diff `migration:generate` would write).
 * argv: the data source file, then the options that point it at the embedded database (JSON).
 */
import { pathToFileURL } from 'node:url';

interface DataSourceLike {
  setOptions(options: Record<string, unknown>): unknown;
  initialize(): Promise<unknown>;
  runMigrations(options: { transaction: 'all' | 'each' | 'none' }): Promise<unknown>;
  driver: { createSchemaBuilder(): { log(): Promise<{ upQueries: { query: string }[] }> } };
  destroy(): Promise<unknown>;
}

function isDataSource(value: unknown): value is DataSourceLike {
  const candidate = value as Partial<DataSourceLike> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.setOptions === 'function' &&
    typeof candidate.runMigrations === 'function'
  );
}

async function main(): Promise<void> {
  const [file, options] = process.argv.slice(2);
  const loaded = (await import(pathToFileURL(file!).href)) as Record<string, unknown>;
  const dataSource = [loaded.default, ...Object.values(loaded)].find(isDataSource);
  if (!dataSource) throw new Error(`${file} exports no DataSource.`);
  dataSource.setOptions({
    ...(JSON.parse(options!) as Record<string, unknown>),
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'all' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    process.stdout.write(JSON.stringify(sql.upQueries.map((query) => query.query)));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
