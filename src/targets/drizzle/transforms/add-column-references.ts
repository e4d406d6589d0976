/**
 * Appends `.references(() => users.id, { onDelete: ... })` to columns of a table that have no
 * `.references(...)`; columns that have one (whatever its rule) or are absent are left alone.
 * Adds the keys changed, importing what a reference names when told where it comes from;
 * `missing` when the table's column object is not found.
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { tableColumnsObject } from './add-table-columns.js';

/** The `.references(...)` text to append, and the `[module, name]` imports it needs. */
export interface ColumnReference {
  text: string;
  imports: [string, string][];
}

export function addColumnReferences(
  sourceFile: SourceFile,
  table: string,
  /** Column property → the `.references(...)` text to append (with its imports). */
  references: Record<string, string | ColumnReference>,
): TransformResult {
  const { Node } = loadTsMorph();
  const columns = tableColumnsObject(sourceFile, table);
  if (!columns) return missing(`the columns object of ${table}`);
  const keys: string[] = [];
  for (const [key, reference] of Object.entries(references)) {
    const property = columns.getProperty(key);
    if (!property || !Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer || /\.references\s*\(/.test(initializer.getText())) continue;
    const { text, imports } =
      typeof reference === 'string' ? { text: reference, imports: [] } : reference;
    property.setInitializer(`${initializer.getText()}${text}`);
    for (const [module, name] of imports) ensureImport(sourceFile, module, name);
    keys.push(key);
  }
  return added(...keys);
}
