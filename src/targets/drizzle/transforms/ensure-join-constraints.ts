/**
 * Puts back what makes a table a join table when it is missing: the composite
 * `primaryKey({ columns: [...] })` and the second-key `index(...)` in the table's extra-config
 * array, and `.references(...)` on each key column. What is there is left untouched; the result
 * names what was added ('missing' when the table is not found, 'unsupported' when its extra
 * config is not an array, e.g. the old object form).
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { addColumnReferences } from './add-column-references.js';
import { tableColumnsObject } from './add-table-columns.js';
import { extraConfigArray, indexesColumn } from './add-table-index.js';

export interface JoinConstraints {
  table: string;
  sourceKey: string;
  targetKey: string;
  indexName: string;
  /** `.references(() => users.id, { onDelete: 'cascade' })` for each key property. */
  references: Record<string, string>;
}

export function ensureJoinConstraints(
  sourceFile: SourceFile,
  constraints: JoinConstraints,
): string[] | 'missing' | 'unsupported' {
  const { Node } = loadTsMorph();
  const declaration = sourceFile.getVariableDeclaration(constraints.table);
  const call = declaration?.getInitializer();
  const columns = tableColumnsObject(sourceFile, constraints.table);
  if (!call || !Node.isCallExpression(call) || !columns) return 'missing';
  const referenced = addColumnReferences(sourceFile, constraints.table, constraints.references);
  const added = referenced === 'missing' ? [] : referenced.map((key) => `foreign key ${key}`);

  const found = extraConfigArray(sourceFile, constraints.table);
  if (typeof found === 'string') return added.length > 0 ? added : 'unsupported';
  const { array, parameter } = found;

  const elements = array.getElements().map((element) => element.getText());
  if (!elements.some((text) => /^primaryKey\s*\(/.test(text))) {
    array.insertElement(
      0,
      `primaryKey({ columns: [${parameter}.${constraints.sourceKey}, ${parameter}.${constraints.targetKey}] })`,
    );
    added.push('primary key');
  }
  if (!indexesColumn(elements, parameter, constraints.targetKey)) {
    array.addElement(`index('${constraints.indexName}').on(${parameter}.${constraints.targetKey})`);
    added.push(`index ${constraints.indexName}`);
  }
  return added;
}
