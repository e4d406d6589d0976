/**
 * Adds columns to an existing table's column object, after its last column:
 *
 *   export const userEvents = pgTable('user_events', {
 *     userId: uuid('user_id').notNull()...,
 *     role: text('role').notNull(),        // added
 *   }, ...)
 *
 * Columns whose property already exists are left alone (the caller also matches SQL names).
 * Returns the keys added, or 'missing' when the table or its column object is not found.
 */
import type { Node as TsNode, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';

export interface NewColumn {
  /** Property name, `joinedAt`. */
  key: string;
  /** Builder chain, `timestamp('joined_at', { withTimezone: true })`. */
  expression: string;
}

/** The `{ ...columns }` object of `const <variable> = <creator>('name', {...}, ...)`. */
export function tableColumnsObject(
  sourceFile: SourceFile,
  variable: string,
): ObjectLiteralExpression | undefined {
  const { Node } = loadTsMorph();
  const call = sourceFile.getVariableDeclaration(variable)?.getInitializer();
  if (!call || !Node.isCallExpression(call)) return undefined;
  let columns: TsNode | undefined = call.getArguments()[1];
  if (columns && Node.isArrowFunction(columns)) columns = columns.getBody();
  while (columns && Node.isParenthesizedExpression(columns)) columns = columns.getExpression();
  return columns && Node.isObjectLiteralExpression(columns) ? columns : undefined;
}

export function addTableColumns(
  sourceFile: SourceFile,
  variable: string,
  columns: NewColumn[],
): string[] | 'missing' {
  const object = tableColumnsObject(sourceFile, variable);
  if (!object) return 'missing';
  const added: string[] = [];
  for (const column of columns) {
    if (object.getProperty(column.key)) continue;
    object.addPropertyAssignment({ name: column.key, initializer: column.expression });
    added.push(column.key);
  }
  return added;
}
