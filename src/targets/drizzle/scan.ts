/**
 * Reads the project once for a Drizzle plan: the config, the schema files it covers and their
 * parsed model (`drizzle-schema.ts`, `schema-model.ts`, `drizzle-config.ts`), the dialect, the
 * import style and whether relations are drizzle-orm 1.x `defineRelations`. Every planner step
 * reads this instead of scanning again.
 */
import type { ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import {
  loadDrizzleSchema,
  schemaImportStyle,
  usesDefineRelations,
  type DrizzleSchema,
} from './drizzle-schema.js';
import { mysqlWithoutForeignKeys } from './dialects/mysql.js';

export interface DrizzleScan extends DrizzleSchema {
  /** How the schema files write their imports (`.js` suffixes, a path alias). */
  style: ImportStyle;
  /** drizzle-orm 1.x: relations go into `defineRelations()`, not per-table `relations()`. */
  relationsV1: boolean;
  /** Generated keys get foreign keys; false in a MySQL project that declares none (PlanetScale). */
  foreignKeys: boolean;
}

export async function scanDrizzleProject(project: Project): Promise<DrizzleScan> {
  const loaded = await loadDrizzleSchema(project);
  return {
    ...loaded,
    style: schemaImportStyle(project, loaded.schema),
    relationsV1: usesDefineRelations(project, loaded.schema),
    foreignKeys: loaded.dialect !== 'mysql' || !mysqlWithoutForeignKeys(project, loaded.schema),
  };
}
