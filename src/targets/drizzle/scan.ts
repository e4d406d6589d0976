/**
 * Reads the project once for a Drizzle plan: the config, the schema files it covers and their
 * parsed model (`drizzle-schema.ts`, `schema-model.ts`, `drizzle-config.ts`), the dialect, the
 * import style and whether relations are drizzle-orm 1.x `defineRelations`. Every planner step
 * reads this instead of scanning again.
 */
import { nearestSqlNaming, type SqlNaming, type SqlTableNames } from '../../project/conventions.js';
import type { ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import type { NamingNeighbours } from '../target.js';
import {
  loadDrizzleSchema,
  schemaImportStyle,
  usesDefineRelations,
  type DrizzleSchema,
} from './drizzle-schema.js';
import { mysqlWithoutForeignKeys } from './dialects/mysql.js';
import { existingTable, resolveTable, sqlColumnOf } from './resolve.js';
import type { DrizzleTable } from './schema-model.js';

export interface DrizzleScan extends DrizzleSchema {
  /** How the schema files write their imports (`.js` suffixes, a path alias). */
  style: ImportStyle;
  /** drizzle-orm 1.x: relations go into `defineRelations()`, not per-table `relations()`. */
  relationsV1: boolean;
  /** Generated keys get foreign keys; false in a MySQL project that declares none (PlanetScale). */
  foreignKeys: boolean;
}

/**
 * The scan `drizzleSqlNaming` made for the plan that follows it on the same project, taken once:
 * a later plan (sync replays entry after entry, editing the parsed files) scans anew.
 */
const pendingScans = new WeakMap<Project, Promise<DrizzleScan>>();

export async function scanDrizzleProject(project: Project): Promise<DrizzleScan> {
  const pending = pendingScans.get(project);
  if (pending) {
    pendingScans.delete(project);
    return pending;
  }
  return loadScan(project);
}

/**
 * The project's SQL naming, from the tables nearest the new code: its own table when it exists,
 * then the destinations, then every table. The scan is kept for the plan.
 */
export async function drizzleSqlNaming(
  project: Project,
  near: NamingNeighbours,
): Promise<SqlNaming> {
  const scanning = loadScan(project);
  pendingScans.set(project, scanning);
  const scan = await scanning;
  const { tables } = scan.schema;
  const own = near.self.flatMap((wanted) => existingTable(tables, wanted) ?? []);
  const destinations = near.destinations.flatMap((ref) => {
    try {
      return [resolveTable(tables, ref, scan)];
    } catch {
      // Not found or ambiguous: the plan says so; the naming reads the other tables.
      return [];
    }
  });
  const names = (table: DrizzleTable): SqlTableNames => ({
    table: table.name,
    columns: table.columns.map((column) => sqlColumnOf(scan, column)),
  });
  return nearestSqlNaming([own.map(names), destinations.map(names), tables.map(names)]);
}

async function loadScan(project: Project): Promise<DrizzleScan> {
  const loaded = await loadDrizzleSchema(project);
  return {
    ...loaded,
    style: schemaImportStyle(project, loaded.schema),
    relationsV1: usesDefineRelations(project, loaded.schema),
    foreignKeys: loaded.dialect !== 'mysql' || !mysqlWithoutForeignKeys(project, loaded.schema),
  };
}
