/** Finds the table behind a resource name (`User` → `users`) through the shared rule. */
import { projectProblem } from '../../errors.js';
import type { ResourceRef } from '../../flags/types.js';
import { camelCase, pascalCase, singularizeLast, snakeCase } from '../../rules/naming.js';
import {
  findExistingResource,
  resolveResource,
  type ResourceNames,
  type WantedResource,
} from '../../rules/resolve-resource.js';
import type { DrizzleColumn, DrizzleTable } from './schema-model.js';

function tableNames(describe: (table: DrizzleTable) => string): ResourceNames<DrizzleTable> {
  return {
    names: (table) => [table.variable, table.name],
    exact: (table, ref) => table.variable === camelCase(`${ref.resource}s`),
    file: (table) => table.file,
    describe,
    resourceName: (table) =>
      pascalCase(singularizeLast(table.variable.replace(/_?(table|schema)$/i, ''))),
    lookedFor: (ref) => `no Drizzle table is named like "${snakeCase(ref.resource)}s"`,
    kinds: 'Tables',
  };
}

export function resolveTable(
  tables: DrizzleTable[],
  ref: ResourceRef,
  describe: (table: DrizzleTable) => string,
  /** What to do when it is not found; the default speaks of join keys. */
  notFoundHint?: string,
): DrizzleTable {
  return resolveResource(tables, ref, tableNames(describe), notFoundHint);
}

/** The table a run generates, when the schema already declares it. */
export function existingTable(
  tables: DrizzleTable[],
  wanted: WantedResource,
): DrizzleTable | undefined {
  return findExistingResource(tables, wanted, (table) => ({
    name: table.variable,
    table: table.name,
  }));
}

export function primaryKeyOf(table: DrizzleTable, describe: string): DrizzleColumn {
  const key = table.columns.find((column) => column.primaryKey);
  if (!key) {
    throw projectProblem(
      `${describe} has no single-column primary key; a join refers to one.`,
      'Give the table a column with .primaryKey(), then run joinery again.',
    );
  }
  return key;
}
