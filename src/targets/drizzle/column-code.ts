/**
 * The source text of generated columns: `text('role').notNull()`, timestamps, in the project's
 * naming (explicit SQL names as its tables write them, or none where drizzle derives the same
 * name from the property: under `casing`, or camelCase columns). Shared by join tables and plain
 * resources.
 */
import type { TimestampNames } from '../../project/conventions.js';
import { camelCase, snakeCase } from '../../rules/naming.js';
import type { AttributeSpec } from '../../flags/types.js';
import type { BelongsTo } from '../../resource/resource-model.js';
import {
  attributeColumn,
  referenceColumn,
  type ColumnBuilder,
  type SqlDialect,
} from './column-types.js';
import { MYSQL_TIMESTAMP, MYSQL_TIMESTAMP_DEFAULTS } from './dialects/mysql.js';
import type { ResolvedBelongsTo } from './resolve.js';
import type { DrizzleConfig } from './drizzle-config.js';
import type { DrizzleColumn, DrizzleTable } from './schema-model.js';

export interface ColumnStyle {
  dialect: SqlDialect;
  /** Key columns get `.references(...)`; false where the project declares no foreign keys. */
  foreignKeys: boolean;
  /**
   * The project's tables state their columns' SQL names (`text('role')`); when they do not,
   * a column is written `text()` wherever drizzle derives its SQL name from the property.
   */
  namedColumns: boolean;
  /** drizzle.config's `casing`, which derives SQL names from properties. */
  casing: DrizzleConfig['casing'];
  /** The project's own timestamps (`created_at timestamp`), when its tables have them. */
  timestamps?: ProjectTimestamps | undefined;
}

export interface ProjectTimestamps extends TimestampNames {
  /** The builder and options of the project's created column, when it is the dialect's kind. */
  column: ColumnBuilder | undefined;
}

/**
 * The timestamps the new columns take: `names` (the shared rule's, the project's own when its
 * tables have them), with the created column's builder when the project has that column as the
 * dialect's timestamp kind (Postgres `timestamp`, SQLite `integer` in a timestamp mode), so
 * `--timestamps` matches them instead of adding `inserted_at timestamptz` beside `created_at
 * timestamp`.
 */
export function projectTimestamps(
  tables: readonly DrizzleTable[],
  dialect: SqlDialect,
  names: TimestampNames,
): ProjectTimestamps {
  const columns = tables.flatMap((table) => table.columns);
  const sqlNameOf = (column: DrizzleColumn) => column.sqlName ?? snakeCase(column.key);
  const created = columns.find(
    (column) => sqlNameOf(column) === names.created || column.key === camelCase(names.created),
  );
  const kind =
    created &&
    (dialect === 'postgresql'
      ? created.builder === 'timestamp'
      : created.builder === 'integer' && /mode:\s*'timestamp/.test(created.options ?? ''));
  return {
    ...names,
    column: created && kind ? { builder: created.builder, options: created.options } : undefined,
  };
}

/** A column to render or add: its property, the builder to import, and its full expression. */
export interface ColumnCode {
  key: string;
  builder: string;
  expression: string;
  /** SQL name, to tell whether an existing table has it. */
  sqlName: string;
}

/** How a column's SQL name is written: `ColumnStyle`'s naming part. */
export type ColumnNaming = Pick<ColumnStyle, 'namedColumns' | 'casing'>;

/** `uuid('user_id')`, or `uuid()` where the project leaves names out and drizzle derives it. */
export function builderCall(column: ColumnBuilder, sqlName: string, naming: ColumnNaming): string {
  const args = [statesName(naming, sqlName) ? `'${sqlName}'` : undefined, column.options].filter(
    Boolean,
  );
  return `${column.builder}(${args.join(', ')})`;
}

/** Does the generated column (property `camelCase(sqlName)`) state its SQL name? */
export function statesName(naming: ColumnNaming, sqlName: string): boolean {
  return naming.namedColumns || derivedSqlName(naming.casing, camelCase(sqlName)) !== sqlName;
}

/** The SQL name drizzle gives a column declared without one. */
function derivedSqlName(casing: DrizzleConfig['casing'], key: string): string {
  return casing === 'snake_case' ? snakeCase(key) : casing === 'camelCase' ? camelCase(key) : key;
}

/**
 * Do the tables new code sits beside state their columns' SQL names? Most of their columns do
 * (`uuid('user_id')`), or most are declared bare (`uuid()`, under `casing` or camelCase SQL).
 */
export function statesColumnNames(tables: readonly DrizzleTable[]): boolean {
  const columns = tables.flatMap((table) => table.columns);
  const stated = columns.filter((column) => column.sqlName !== undefined).length;
  return columns.length === 0 || stated * 2 >= columns.length;
}

export function attributeColumnCode(style: ColumnStyle, attribute: AttributeSpec): ColumnCode {
  const column = attributeColumn(attribute, style.dialect);
  let expression = builderCall(column, attribute.name, style);
  if (column.jsonType) expression += `.$type<${column.jsonType}>()`;
  else if (attribute.array) expression += '.array()';
  if (attribute.required) expression += '.notNull()';
  return {
    key: camelCase(attribute.name),
    builder: column.builder,
    expression,
    sqlName: attribute.name,
  };
}

/** inserted_at and updated_at, set by drizzle on insert and (updated_at) on update. */
export function timestampColumnCode(style: ColumnStyle): ColumnCode[] {
  const pg = style.dialect === 'postgresql';
  const mysql = style.dialect === 'mysql';
  const column: ColumnBuilder =
    style.timestamps?.column ??
    (pg
      ? { builder: 'timestamp', options: '{ withTimezone: true }' }
      : mysql
        ? MYSQL_TIMESTAMP
        : { builder: 'integer', options: "{ mode: 'timestamp' }" });
  const defaults = pg
    ? '.notNull().defaultNow()'
    : mysql
      ? MYSQL_TIMESTAMP_DEFAULTS
      : '.notNull().$defaultFn(() => new Date())';
  const created = style.timestamps?.created ?? 'inserted_at';
  const updated = style.timestamps?.updated ?? 'updated_at';
  return [
    {
      key: camelCase(created),
      builder: column.builder,
      expression: builderCall(column, created, style) + defaults,
      sqlName: created,
    },
    {
      key: camelCase(updated),
      builder: column.builder,
      expression: builderCall(column, updated, style) + defaults + '.$onUpdate(() => new Date())',
      sqlName: updated,
    },
  ];
}

/** Does the table have this SQL column, named explicitly or through `casing`? */
export function hasSqlColumn(
  columns: readonly { key: string; sqlName: string | undefined }[],
  sqlName: string,
): boolean {
  return columns.some(
    (column) =>
      column.sqlName === sqlName || (!column.sqlName && column.key === camelCase(sqlName)),
  );
}

/** A belongs_to's key column: `uuid('organizer_id').notNull().references(...)`. */
export function foreignKeyColumn(style: ColumnStyle, link: ResolvedBelongsTo): ColumnCode {
  const column = referenceColumn(link.primaryKey, style.dialect);
  const { relationship, table, primaryKey } = link;
  return {
    key: link.field,
    builder: column.builder,
    sqlName: relationship.attribute,
    expression:
      builderCall(column, relationship.attribute, style) +
      (relationship.required ? '.notNull()' : '') +
      (style.foreignKeys ? foreignKeyReference(table, primaryKey, relationship) : ''),
  };
}

export function foreignKeyReference(
  table: DrizzleTable,
  primaryKey: DrizzleColumn,
  relationship: BelongsTo,
): string {
  return `.references(() => ${table.variable}.${primaryKey.key}, { onDelete: '${onDeleteText(relationship.onDelete)}' })`;
}

function onDeleteText(rule: BelongsTo['onDelete']): string {
  return rule === 'set-null' ? 'set null' : rule;
}
