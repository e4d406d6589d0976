/** Finds the table behind a resource name (`User` → `users`), or says precisely why not. */
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import { didYouMean } from '../../rules/closest.js';
import {
  camelCase,
  kebabCase,
  pascalCase,
  singularizeLast,
  snakeCase,
} from '../../rules/naming.js';
import type { ResourceRef } from '../../flags/types.js';
import type { DrizzleColumn, DrizzleTable } from './schema-model.js';

/** `usersTable`, `users`, `user`, `app_users` all normalize to `user`. */
export function normalizeTableName(name: string): string {
  let normalized = normalizedNames.get(name);
  if (normalized === undefined) {
    normalized = camelCase(singularizeLast(name.replace(/_?(table|schema)$/i, ''))).toLowerCase();
    normalizedNames.set(name, normalized);
  }
  return normalized;
}
/** Inflection is slow and `check` resolves against the same tables once per join. */
const normalizedNames = new Map<string, string>();

function inDomain(file: string, domain: string): boolean {
  const last = domain.split('.').at(-1)!;
  const names = new Set([kebabCase(last), snakeCase(last), last.toLowerCase()]);
  return file.split(path.sep).some((segment) => names.has(segment.toLowerCase()));
}

export function resolveTable(
  tables: DrizzleTable[],
  ref: ResourceRef,
  describe: (table: DrizzleTable) => string,
  /** What to do when it is not found; the default speaks of join keys. */
  notFoundHint?: string,
): DrizzleTable {
  const wanted = ref.resource.toLowerCase();
  let matches = tables.filter(
    (table) =>
      normalizeTableName(table.variable) === wanted || normalizeTableName(table.name) === wanted,
  );
  if (ref.domain && matches.length > 1) {
    const inGivenDomain = matches.filter((table) => inDomain(table.file, ref.domain!));
    if (inGivenDomain.length > 0) matches = inGivenDomain;
  }
  if (matches.length > 1) {
    // An exact variable match (`users` for User) beats a looser one (`userTable`).
    const exact = matches.filter((table) => table.variable === camelCase(`${ref.resource}s`));
    if (exact.length === 1) matches = exact;
  }
  const label = ref.domain ? `${ref.domain}.${ref.resource}` : ref.resource;
  if (matches.length === 0) {
    const seen = tables.map((table) => `  ${describe(table)}`).join('\n') || '  (none)';
    const resources = tables.map((table) =>
      pascalCase(singularizeLast(table.variable.replace(/_?(table|schema)$/i, ''))),
    );
    throw projectProblem(
      `Resource ${label} not found${didYouMean(ref.resource, resources)}: no Drizzle table is named like "${snakeCase(ref.resource)}s".\nTables seen:\n${seen}`,
      notFoundHint ??
        `Create it first, or point to it with -r belongs_to:${snakeCase(ref.resource)}:<Domain.Resource>:primary_key.`,
    );
  }
  if (matches.length > 1) {
    throw projectProblem(
      `Resource ${label} is ambiguous; it matches:\n${matches.map((table) => `  ${describe(table)}`).join('\n')}`,
      `Name its domain: -r belongs_to:${snakeCase(ref.resource)}:<Domain>.${ref.resource}:primary_key.`,
    );
  }
  return matches[0]!;
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
