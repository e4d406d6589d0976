/**
 * A generated plain resource, used for real in a TypeORM project copy: TypeORM's migration
 * runner and schema diff, rows inserted through the entities (save and insert of instances),
 * loaded with their belongs_to and the inverse has-many, then each destination row deleted to
 * see its on-delete rule at work (cascade, restrict, set null), and the migration undone.
 */
import { runProjectScript, specifier } from './project-script.js';
import { runMainOn, withTypeormDatabase, type TypeormDatabase } from './typeorm-usage.js';

type Row = Record<string, unknown>;

export interface ResourceRelation {
  /** `organizer`, its column property `organizerId`, the destination and its inverse `events`. */
  property: string;
  columnProperty: string;
  className: string;
  module: string;
  inverse: string;
  /** A destination row to create (two are made; the first is deleted at the end). */
  values: Row;
}

export interface TypeormResourceUsageOptions {
  database: TypeormDatabase;
  /** How the script gets the project's DataSourceOptions: an import line and an expression. */
  optionsImport: string;
  optionsExpression: string;
  resource: { className: string; module: string; table: string; values: Row };
  relations: ResourceRelation[];
  /** Undo the last migration at the end and report whether the table is gone. */
  undo?: boolean;
}

export interface RelationOutcome {
  /** The label of the destination loaded through the belongs_to. */
  loaded: string;
  /** How many rows the first destination row lists through the inverse has-many. */
  inverseCount: number;
  /** Deleting the first destination row failed (restrict). */
  deleteFailed: boolean;
  /** Resource rows left, and whether the first one's foreign key is null now. */
  rowsAfterDelete: number;
  columnAfterDelete: unknown;
}

export interface TypeormResourceUsageResult {
  migrations: string[];
  /** TypeORM's schema diff after the migrations (`createSchemaBuilder().log()` up queries). */
  pending: string[];
  /** Ids of the two rows: one made with save(create()), one with insert(create()). */
  ids: unknown[];
  relations: RelationOutcome[];
  tableAfterUp: boolean;
  tableAfterDown: boolean | null;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A second row like `row`, its strings changed so unique columns accept it. */
const another = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === 'string' ? `${value} 2` : value,
    ]),
  );

export function renderResourceUsageScript(
  options: TypeormResourceUsageOptions,
  dir: string,
  scriptDir: string,
  url: string,
): string {
  const o = options;
  const R = o.resource.className;
  for (const name of [
    R,
    ...o.relations.flatMap((r) => [r.property, r.columnProperty, r.className, r.inverse]),
  ]) {
    if (!IDENT.test(name)) throw new Error(`resource usage: not an identifier: ${name}`);
  }
  const module = (file: string) => specifier(scriptDir, `${dir}/${file}`);
  const imports = new Map([[R, o.resource.module]]);
  for (const relation of o.relations) imports.set(relation.className, relation.module);
  const parents = o.relations.map((relation, i) => ({ ...relation, repo: `parents${i}` }));
  const values = (which: 0 | 1) =>
    `{ ...${JSON.stringify(o.resource.values)}${parents
      .map((p) => `, ${p.columnProperty}: ${p.repo}Rows[${which}]!.id`)
      .join('')} }`;
  return `// Written by joinery's test harness: a generated resource, used for real with TypeORM.
import 'reflect-metadata'
import { DataSource, type DataSourceOptions } from 'typeorm'
${o.optionsImport}
${[...imports].map(([name, file]) => `import { ${name} } from '${module(file)}'`).join('\n')}

async function fails(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action()
    return false
  } catch {
    return true
  }
}

const label = (row: unknown): string => {
  const r = (row ?? {}) as Record<string, unknown>
  return String(r.title ?? r.name ?? r.id ?? 'null')
}

async function main(dataSource: DataSource) {
  const migrations = (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name)
  const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)
  const tableAfterUp = await dataSource.createQueryRunner().hasTable('${o.resource.table}')

  const resources = dataSource.getRepository(${R})
${parents
  .map(
    (p) => `  const ${p.repo} = dataSource.getRepository(${p.className})
  const ${p.repo}Rows = await ${p.repo}.save([${p.repo}.create(${JSON.stringify(p.values)}), ${p.repo}.create(${JSON.stringify(another(p.values))})])`,
  )
  .join('\n')}

  // One row through save(), one through insert(): both with entity instances, as create() makes them
  const first = await resources.save(resources.create(${values(0)}))
  await resources.insert(resources.create(${values(1)}))
  const ids = (await resources.find()).map((row) => row.id).sort()

  const relations: Record<string, unknown>[] = []
${parents
  .map(
    (p) => `  {
    const loaded = await resources.findOne({ where: { id: first.id }, relations: { ${p.property}: true } })
    const parent = await ${p.repo}.findOne({ where: { id: ${p.repo}Rows[0]!.id }, relations: { ${p.inverse}: true } })
    const deleteFailed = await fails(() => ${p.repo}.delete(${p.repo}Rows[0]!.id))
    const after = await resources.findOneBy({ id: first.id })
    relations.push({
      loaded: label(loaded?.${p.property}),
      inverseCount: parent?.${p.inverse}.length ?? -1,
      deleteFailed,
      rowsAfterDelete: await resources.count(),
      columnAfterDelete: after ? after.${p.columnProperty} : 'row deleted',
    })
  }`,
  )
  .join('\n')}

  let tableAfterDown: boolean | null = null
${
  o.undo === false
    ? ''
    : `  await dataSource.undoLastMigration({ transaction: 'each' })
  tableAfterDown = await dataSource.createQueryRunner().hasTable('${o.resource.table}')`
}
  return { migrations, pending, ids, relations, tableAfterUp, tableAfterDown }
}

${runMainOn(o.database, o.optionsExpression, url, 'JOINERY_RESOURCE_RESULT')}`;
}

/**
 * Writes the script into `<dir>/.joinery-usage/`, type-checks it against the project and runs it
 * with tsx on a fresh database: in-memory better-sqlite3, or a temporary database on the
 * DATABASE_URL / MYSQL_URL server (dropped afterwards).
 */
export async function runTypeormResourceUsage(
  dir: string,
  options: TypeormResourceUsageOptions,
): Promise<TypeormResourceUsageResult> {
  return withTypeormDatabase(options.database, (url) =>
    runProjectScript<TypeormResourceUsageResult>(dir, {
      folder: '.joinery-usage',
      file: 'resource.ts',
      marker: 'JOINERY_RESOURCE_RESULT',
      render: (scriptDir) => renderResourceUsageScript(options, dir, scriptDir, url),
    }),
  );
}
