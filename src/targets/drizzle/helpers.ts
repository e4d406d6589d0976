/**
 * --helpers for Drizzle: renders `templates/drizzle/helpers.ts.ejs` beside the join table, a
 * module of typed functions per direction (load, append, remove, set) written with drizzle's
 * query builder only. The last step of planDrizzleJoin; plans into the change set.
 */
import { invalidInput } from '../../errors.js';
import { detectImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, pascalCase, snakeCase } from '../../rules/naming.js';
import { selfDirectionItemType } from '../../rules/direction-names.js';
import { helperNames, helpersFileFor, planHelpersFile } from '../../rules/helpers-file.js';
import type { SqlDialect } from './column-types.js';
import { CORE_MODULE } from './drizzle-schema.js';
import type { DrizzleJoinPlan, JoinContext } from './plan-types.js';
import type { JoinNames, ResolvedSide } from './resolve.js';

/** SQLite drivers whose drizzle database is asynchronous; the others (better-sqlite3, bun, sql.js, expo) are synchronous. */
const ASYNC_SQLITE_DRIVERS = [
  '@libsql/client',
  '@libsql/client-wasm',
  '@tursodatabase/serverless',
  '@op-engineering/op-sqlite',
  '@cloudflare/workers-types',
];
const SYNC_SQLITE_DRIVERS = ['better-sqlite3', 'sql.js', 'expo-sqlite'];

/** The database type each dialect's helpers accept (any driver, any transaction). */
const DATABASE_TYPES: Record<SqlDialect, string[]> = {
  postgresql: ['PgDatabase', 'PgQueryResultHKT'],
  sqlite: ['BaseSQLiteDatabase'],
  mysql: ['MySqlDatabase', 'MySqlQueryResultHKT', 'PreparedQueryHKTBase'],
};

export function planDrizzleHelpers(context: JoinContext): void {
  const { project, plan, changes, options } = context;
  const { join, sides } = plan;
  if (!join.helpers) return;
  if (plan.relationsV1 && plan.dialect !== 'postgresql') {
    // drizzle-orm 1.x SQLite and MySQL have their own database classes (SQLiteAsyncDatabase…), not covered yet.
    throw invalidInput(
      `--helpers: relationship helpers for drizzle-orm 1.x (defineRelations) are generated for Postgres projects only; this one is ${plan.dialect === 'mysql' ? 'MySQL' : 'SQLite'}.`,
      'Run the command again without --helpers.',
    );
  }
  const file = helpersFileFor(plan.joinFile, join.resource);
  plan.helpers = planHelpersFile(changes, join, file, options.replace === true, () => {
    const names = declaredNames(context);
    const style = detectImportStyle(
      project.root,
      [plan.joinFile, sides.source.table.file, sides.target.table.file].map(
        (source) => changes.read(source) ?? '',
      ),
      project.ts,
    );
    const core = CORE_MODULE[plan.dialect];
    // drizzle-orm 1.x: PgAsyncDatabase, generic over defineRelations()'s result, not the schema.
    const v1 = plan.relationsV1;
    const database = v1 ? ['PgAsyncDatabase', 'PgQueryResultHKT'] : DATABASE_TYPES[plan.dialect];
    const mysql = plan.dialect === 'mysql';
    const sync = plan.dialect === 'sqlite' && !asyncSqlite(project, plan);
    const side = (resolved: ResolvedSide, key: string) => ({
      resource: resolved.key.destination.resource,
      table: resolved.table.variable,
      primaryKey: resolved.primaryKey.key,
      key,
      type: `${pascalCase(resolved.key.relationship)}Id`,
      uuid: resolved.primaryKey.builder === 'uuid',
    });
    const source = side(sides.source, names.sourceKey);
    const target = side(sides.target, names.targetKey);
    const [forward, inverse] = helperNames(join);
    // A self join reads its one table twice in load: the far side under an alias.
    const linked = join.self
      ? { variable: `linked${pascalCase(source.table)}`, name: snakeCase(`linked_${source.table}`) }
      : undefined;
    const itemType = (from: typeof source, to: typeof source, names: typeof forward) =>
      join.self
        ? selfDirectionItemType(from.resource, names.items)
        : `${to.resource}Of${from.resource}`;
    const required = join.extraAttributes.some((attribute) => attribute.required);
    return renderTemplate('drizzle/helpers.ts.ejs', {
      imports: importList(file, style, [
        ...(v1 ? [['drizzle-orm', 'type AnyRelations'] as [string, string]] : []),
        ['drizzle-orm', 'and'],
        ['drizzle-orm', 'eq'],
        ['drizzle-orm', 'inArray'],
        ['drizzle-orm', 'notInArray'],
        ...database.map((name): [string, string] => [core, `type ${name}`]),
        ...(linked ? [[core, 'alias'] as [string, string]] : []),
        // MySQL's append is an ON DUPLICATE KEY UPDATE that sets a key to itself.
        ...(mysql ? [['drizzle-orm', 'sql'] as [string, string]] : []),
        [sides.source.table.file, source.table],
        [sides.target.table.file, target.table],
        [plan.joinFile, names.table],
      ]),
      pg: plan.dialect === 'postgresql',
      mysql,
      v1,
      sync,
      resultKind: sync ? 'sync' : 'async',
      join: {
        resource: join.resource,
        table: names.table,
        sqlTable: join.table,
        row: camelCase(join.resource),
        // The join's own attributes (timestamps fill themselves): none, all optional, or some required.
        attributes: join.extraAttributes.length === 0 ? 'none' : required ? 'required' : 'optional',
      },
      source,
      target,
      linked,
      directions: [
        { from: source, to: target, names: forward, forward: true },
        { from: target, to: source, names: inverse, forward: false },
      ].map((direction) => ({
        ...direction,
        itemType: itemType(direction.from, direction.to, direction.names),
        toTable: linked?.variable ?? direction.to.table,
      })),
    });
  });
}

/**
 * The join table's variable and key properties as the join file now declares them: a table this
 * run rendered (new or replaced) has the template's key names, an existing one keeps its own.
 * Read from the planner's model, not by parsing the join file again.
 */
function declaredNames(context: JoinContext): Omit<JoinNames, 'relations'> {
  const { join, names, existing, options } = context;
  if (existing && !options.replace) return names;
  return {
    table: names.table,
    sourceKey: camelCase(join.source.attribute.name),
    targetKey: camelCase(join.target.attribute.name),
  };
}

function asyncSqlite(project: Project, plan: DrizzleJoinPlan): boolean {
  if (plan.config.dialect === 'turso') return true;
  if (SYNC_SQLITE_DRIVERS.some((name) => project.dependency(name))) return false;
  return ASYNC_SQLITE_DRIVERS.some((name) => project.dependency(name));
}
