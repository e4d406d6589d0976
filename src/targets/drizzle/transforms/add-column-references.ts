/**
 * Appends `.references(() => users.id, { onDelete: ... })` to columns of a table that have no
 * `.references(...)`; columns that have one (whatever its rule) or are absent are left alone.
 * Returns the keys changed, or 'missing' when the table's column object is not found.
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { tableColumnsObject } from './add-table-columns.js';

export function addColumnReferences(
  sourceFile: SourceFile,
  table: string,
  /** Column property → the `.references(...)` text to append. */
  references: Record<string, string>,
): string[] | 'missing' {
  const { Node } = loadTsMorph();
  const columns = tableColumnsObject(sourceFile, table);
  if (!columns) return 'missing';
  const added: string[] = [];
  for (const [key, text] of Object.entries(references)) {
    const property = columns.getProperty(key);
    if (!property || !Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer || /\.references\s*\(/.test(initializer.getText())) continue;
    property.setInitializer(`${initializer.getText()}${text}`);
    added.push(key);
  }
  return added;
}
