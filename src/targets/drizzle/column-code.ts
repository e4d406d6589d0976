/**
 * The source text of generated columns: `text('role').notNull()`, timestamps, in the project's
 * naming (explicit SQL names, or none under `casing`). Shared by join tables and plain resources.
 */
import { camelCase } from '../../rules/naming.js';
import type { AttributeSpec } from '../../flags/types.js';
import { attributeColumn, type ColumnBuilder, type SqlDialect } from './column-types.js';

export interface ColumnStyle {
  dialect: SqlDialect;
  /** `text('role')` rather than `text()` (drizzle's `casing` names the column). */
  namedColumns: boolean;
}

/** A column to render or add: its property, the builder to import, and its full expression. */
export interface ColumnCode {
  key: string;
  builder: string;
  expression: string;
  /** SQL name, to tell whether an existing table has it. */
  sqlName: string;
}

export function builderCall(column: ColumnBuilder, sqlName: string, named: boolean): string {
  const args = [named ? `'${sqlName}'` : undefined, column.options].filter(Boolean);
  return `${column.builder}(${args.join(', ')})`;
}

export function attributeColumnCode(style: ColumnStyle, attribute: AttributeSpec): ColumnCode {
  const column = attributeColumn(attribute, style.dialect);
  let expression = builderCall(column, attribute.name, style.namedColumns);
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
  const column: ColumnBuilder = pg
    ? { builder: 'timestamp', options: '{ withTimezone: true }' }
    : { builder: 'integer', options: "{ mode: 'timestamp' }" };
  const defaults = pg ? '.notNull().defaultNow()' : '.notNull().$defaultFn(() => new Date())';
  return [
    {
      key: 'insertedAt',
      builder: column.builder,
      expression: builderCall(column, 'inserted_at', style.namedColumns) + defaults,
      sqlName: 'inserted_at',
    },
    {
      key: 'updatedAt',
      builder: column.builder,
      expression:
        builderCall(column, 'updated_at', style.namedColumns) +
        defaults +
        '.$onUpdate(() => new Date())',
      sqlName: 'updated_at',
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
