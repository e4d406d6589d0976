/**
 * Adds columns to an existing table's column object, after its last column:
 *
 *   export const userEvents = pgTable('user_events', {
 *     userId: uuid('user_id').notNull()...,
 *     role: text('role').notNull(),        // added
 *   }, ...)
 *
 * Columns whose property already exists are left alone (the caller also matches SQL names); each
 * added column's imports (its builder, a referenced table) are added with it. Adds the keys
 * added; `missing` when the table or its column object is not found.
 */
import type { ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { columnsObjectOf } from '../schema-model.js';

export interface NewColumn {
  /** Property name, `joinedAt`. */
  key: string;
  /** Builder chain, `timestamp('joined_at', { withTimezone: true })`. */
  expression: string;
  /** `[module, name]` the expression needs: `['drizzle-orm/pg-core', 'timestamp']`. */
  imports?: [string, string][];
}

/** The `{ ...columns }` object of `const <variable> = <creator>('name', {...}, ...)`. */
export function tableColumnsObject(
  sourceFile: SourceFile,
  variable: string,
): ObjectLiteralExpression | undefined {
  const { Node } = loadTsMorph();
  const call = sourceFile.getVariableDeclaration(variable)?.getInitializer();
  if (!call || !Node.isCallExpression(call)) return undefined;
  const columns = call.getArguments()[1];
  return columns && columnsObjectOf(columns);
}

export function addTableColumns(
  sourceFile: SourceFile,
  variable: string,
  columns: NewColumn[],
): TransformResult {
  const object = tableColumnsObject(sourceFile, variable);
  if (!object) return missing(`the columns object of ${variable}`);
  const addedColumns: NewColumn[] = [];
  for (const column of columns) {
    if (object.getProperty(column.key)) continue;
    object.addPropertyAssignment({ name: column.key, initializer: column.expression });
    addedColumns.push(column);
  }
  for (const column of addedColumns) {
    for (const [module, name] of column.imports ?? []) ensureImport(sourceFile, module, name);
  }
  return added(...addedColumns.map((column) => column.key));
}
