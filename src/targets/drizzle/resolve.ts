/**
 * What a plan refers to, found in the scanned schema: the join's two sides and a resource's
 * belongs_to destinations (through the shared `resolveResource` rule), their primary keys, the
 * table a run generates when it exists already, and the key rules (a key refers to a key of its
 * type; an existing table keeps its key).
 */
import { invalidInput, projectProblem } from '../../errors.js';
import type { ResourceRef } from '../../flags/types.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import type { Project } from '../../project/project.js';
import type { BelongsTo, ResourceModel, SurrogateKey } from '../../resource/resource-model.js';
import { camelCase, pascalCase, singularizeLast, snakeCase } from '../../rules/naming.js';
import {
  findExistingResource,
  resolveResource,
  type ResourceNames,
  type WantedResource,
} from '../../rules/resolve-resource.js';
import { assertKeyTypeMatches } from './column-types.js';
import type { ExistingTable } from '../../rules/existing-table.js';
import type { DrizzleScan } from './scan.js';
import type { DrizzleSchema } from './drizzle-schema.js';
import { relativeToRoot, type DrizzleColumn, type DrizzleTable } from './schema-model.js';
import { relationsVariable } from './table-relations.js';

/** One side of a join: its key in the join, the table it refers to and that table's key. */
export interface ResolvedSide {
  key: JoinKey;
  table: DrizzleTable;
  primaryKey: DrizzleColumn;
}

export interface JoinSides {
  source: ResolvedSide;
  target: ResolvedSide;
}

/** A belongs_to with its destination table and the names it takes in this table. */
export interface ResolvedBelongsTo {
  relationship: BelongsTo;
  table: DrizzleTable;
  primaryKey: DrizzleColumn;
  /** The foreign-key property, `organizerId`. */
  field: string;
  indexName: string;
}

/** The join table's variable, its relations() variable and its two key properties. */
export interface JoinNames {
  table: string;
  relations: string;
  sourceKey: string;
  targetKey: string;
}

type Describing = Pick<DrizzleScan, 'describe' | 'relative'>;

function tableNames({ describe, relative }: Describing): ResourceNames<DrizzleTable> {
  return {
    names: (table) => [table.variable, table.name],
    exact: (table, ref) => table.variable === camelCase(`${ref.resource}s`),
    file: (table) => relative(table.file),
    describe,
    resourceName: (table) =>
      pascalCase(singularizeLast(table.variable.replace(/_?(table|schema)$/i, ''))),
    lookedFor: (ref) => `no Drizzle table is named like "${snakeCase(ref.resource)}s"`,
    kinds: 'Tables',
  };
}

/** Finds the table behind a resource name (`User` → `users`) through the shared rule. */
export function resolveTable(
  tables: DrizzleTable[],
  ref: ResourceRef,
  describing: Describing,
  /** What to do when it is not found; the default speaks of join keys. */
  notFoundHint?: string,
): DrizzleTable {
  return resolveResource(tables, ref, tableNames(describing), notFoundHint);
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

/** A column's SQL name: stated, or what drizzle derives from the property (`casing`, or none). */
export function sqlColumnOf(scan: DrizzleSchema, column: DrizzleColumn): string {
  return (
    column.sqlName ?? (scan.config.casing === 'snake_case' ? snakeCase(column.key) : column.key)
  );
}

/** The found table in SQL names, for the shared rule on taking it over (`claimExisting`). */
export function existingTableFacts(
  project: Project,
  scan: DrizzleScan,
  table: DrizzleTable,
): ExistingTable {
  const sqlName = (column: DrizzleColumn) => sqlColumnOf(scan, column);
  return {
    table: table.name,
    where: `${relativeToRoot(project.root, table.file)}:${table.line}`,
    columns: table.columns.map(sqlName),
    primaryKey: table.columns.filter((column) => column.primaryKey).map(sqlName),
  };
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

/** Both sides' tables and keys; each join key must have its side's key type. */
export function resolveJoinSides(project: Project, scan: DrizzleScan, join: JoinModel): JoinSides {
  const { schema, describe } = scan;
  const resolve = (key: JoinKey): ResolvedSide => {
    const table = resolveTable(schema.tables, key.destination, scan);
    const primaryKey = primaryKeyOf(table, describe(table));
    assertKeyTypeMatches(
      key.attribute,
      primaryKey,
      `${key.destination.resource}'s primary key ${table.variable}.${primaryKey.key} (${relativeToRoot(project.root, table.file)}:${primaryKey.line})`,
      scan.dialect,
    );
    return { key, table, primaryKey };
  };
  return { source: resolve(join.source), target: resolve(join.target) };
}

/** The names the join table has (an existing one keeps its own), else the conventional ones. */
export function joinNames(join: JoinModel, existing: DrizzleTable | undefined): JoinNames {
  const table = existing?.variable ?? join.collection;
  const keyName = (key: JoinKey) =>
    existing?.columns.find((column) => column.sqlName === key.attribute.name)?.key ??
    camelCase(key.attribute.name);
  return {
    table,
    relations: relationsVariable(table),
    sourceKey: keyName(join.source),
    targetKey: keyName(join.target),
  };
}

/** Each belongs_to's destination and key; an existing table keeps its own column and SQL names. */
export function resolveBelongsTo(
  scan: DrizzleScan,
  resource: ResourceModel,
  existing: DrizzleTable | undefined,
): ResolvedBelongsTo[] {
  const { schema, describe } = scan;
  return resource.belongsTo.map((relationship): ResolvedBelongsTo => {
    const table = resolveTable(
      schema.tables,
      relationship.destination,
      scan,
      `Generate it first (joinery gen resource <Domain> ${relationship.destination.resource} --uuid-primary-key id), or name an existing one: -r belongs_to:${relationship.name}:<Domain.Resource>.`,
    );
    return {
      relationship,
      table,
      primaryKey: primaryKeyOf(table, describe(table)),
      field:
        existing?.columns.find((column) => column.sqlName === relationship.attribute)?.key ??
        camelCase(relationship.attribute),
      // An existing table keeps its own SQL name, which may differ from the resource's default.
      indexName: `${existing?.name ?? resource.table}_${relationship.attribute}_idx`,
    };
  });
}

/**
 * An existing table keeps its key: refused rather than warned when the key flag asks for
 * another, since joinery.json would otherwise record a key the table lacks.
 */
export function assertKeepsKey(existing: DrizzleTable, wanted: SurrogateKey | undefined): void {
  if (!wanted) return;
  const mismatch = keyMismatch(existing, wanted);
  if (mismatch) {
    throw invalidInput(
      mismatch,
      'Drop the key flag (the existing key stays); a table joinery created (in joinery.json) can be regenerated with --conflicts replace.',
    );
  }
}

function keyMismatch(existing: DrizzleTable, wanted: SurrogateKey): string | undefined {
  const key = existing.columns.find((column) => column.primaryKey);
  if (!key) return undefined;
  const integer = /int|serial/.test(key.builder);
  const sameName = (key.sqlName ?? key.key) === wanted.name || key.key === camelCase(wanted.name);
  if (sameName && integer === (wanted.kind === 'integer')) return undefined;
  return `${existing.variable} exists with the key ${key.key} (${key.builder}); joinery does not change it to the ${wanted.kind} key ${wanted.name}.`;
}

/** With --conflicts replace, the table keeps the key it has unless a key flag says otherwise. */
export function existingKey(existing: DrizzleTable, resource: ResourceModel): SurrogateKey {
  if (resource.primaryKey) return resource.primaryKey;
  const key = existing.columns.find((column) => column.primaryKey);
  const kind = !key ? 'uuid' : /int|serial/.test(key.builder) ? 'integer' : 'uuid';
  return { name: key?.sqlName ?? 'id', kind };
}

/**
 * An existing table becomes the join only when joinery's join can describe it. A table with its
 * own single-column key (`team_members.id serial`) would get a second primary key (a migration
 * that fails), and a NOT NULL column without a default that the command does not declare
 * (`role`) would be left out of the usage and the helpers' inserts (code that does not compile).
 */
export function assertAdoptableJoin(
  scan: DrizzleScan,
  existing: DrizzleTable,
  join: JoinModel,
  where: string,
): void {
  const keyNames = [join.source.attribute.name, join.target.attribute.name];
  // A key found by its property but renamed in SQL is the join's key: converge reports the rename.
  const keyProperties = keyNames.map((name) => camelCase(name));
  const sqlName = (column: DrizzleColumn) => sqlColumnOf(scan, column);
  const isKey = (column: DrizzleColumn) =>
    keyNames.includes(sqlName(column)) || keyProperties.includes(column.key);
  const ownKey = existing.columns.find((column) => column.primaryKey && !isKey(column));
  const keys = `(${keyNames.join(', ')})`;
  if (ownKey) {
    throw invalidInput(
      `${where}: ${existing.variable} (table ${existing.name}) already has its own primary key ${ownKey.sqlName ?? ownKey.key} (${ownKey.builder}); ${join.resource} as a join needs the composite key ${keys}, and adding it would give the table a second primary key.`,
      `Use that table as a plain resource (joinery gen resource ${join.domain} ${join.resource} -r belongs_to:… ), or give the join another table (--table ${join.table}_links), or make ${keys} its primary key yourself and run again.`,
    );
  }
  const declared = new Set([
    ...keyNames,
    ...join.extraAttributes.map((attribute) => attribute.name),
  ]);
  const undeclared = existing.columns.filter(
    (column) => column.required && !declared.has(sqlName(column)) && !isKey(column),
  );
  if (undeclared.length > 0) {
    const names = undeclared.map(sqlName);
    throw invalidInput(
      `${where}: ${existing.variable} (table ${existing.name}) has NOT NULL ${names.length === 1 ? 'column' : 'columns'} without a default that the command does not declare: ${names.join(', ')}. The usage and helpers would insert rows without ${names.length === 1 ? 'it' : 'them'}.`,
      `Declare ${names.length === 1 ? 'it' : 'them'}: ${names.map((name) => `-a ${name}:<type>:required`).join(' ')}.`,
    );
  }
}
