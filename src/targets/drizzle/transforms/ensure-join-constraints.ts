/**
 * Puts back what makes a table a join table when it is missing: the composite
 * `primaryKey({ columns: [...] })` and the second-key `index(...)` in the table's extra-config
 * array (importing them from the core module when told which), and `.references(...)` on each
 * key column. What is there is left untouched; the result names what was added (`missing` when
 * the table is not found, or when nothing could be added because its extra config is not an
 * array, e.g. the old object form).
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added as addedResult,
  addedBy,
  missing,
  type TransformResult,
} from '../../../transforms/transform-result.js';
import { addColumnReferences } from './add-column-references.js';
import { tableColumnsObject } from './add-table-columns.js';
import { camelCase } from '../../../rules/naming.js';
import { extraConfigAnchor, extraConfigArray, indexesColumn } from './add-table-index.js';

export interface JoinConstraints {
  table: string;
  sourceKey: string;
  targetKey: string;
  indexName: string;
  /** `.references(() => users.id, { onDelete: 'cascade' })` for each key property. */
  references: Record<string, string>;
  /** Where `primaryKey` and `index` come from, `drizzle-orm/pg-core`: imported when added. */
  coreModule?: string;
}

export function ensureJoinConstraints(
  sourceFile: SourceFile,
  constraints: JoinConstraints,
): TransformResult {
  const { Node } = loadTsMorph();
  const declaration = sourceFile.getVariableDeclaration(constraints.table);
  const call = declaration?.getInitializer();
  const columns = tableColumnsObject(sourceFile, constraints.table);
  if (!call || !Node.isCallExpression(call) || !columns) {
    return missing(`the columns object of ${constraints.table}`);
  }
  const referenced = addColumnReferences(sourceFile, constraints.table, constraints.references);
  const added = addedBy(referenced).map((key) => `foreign key ${key}`);

  const found = extraConfigArray(sourceFile, constraints.table);
  if (typeof found === 'string') {
    return added.length > 0
      ? addedResult(...added)
      : missing(extraConfigAnchor(constraints.table, found));
  }
  const { elements, parameter } = found;
  const core = constraints.coreModule;
  if (!elements.some((text) => /^primaryKey\s*\(/.test(text))) {
    found.add(
      `primaryKey({ columns: [${parameter}.${constraints.sourceKey}, ${parameter}.${constraints.targetKey}] })`,
      'pk',
      { first: true },
    );
    added.push('primary key');
  }
  if (!indexesColumn(elements, parameter, constraints.targetKey)) {
    found.add(
      `index('${constraints.indexName}').on(${parameter}.${constraints.targetKey})`,
      camelCase(constraints.indexName),
    );
    added.push(`index ${constraints.indexName}`);
  }
  // After both edits, as the planner imported them: primaryKey first, then index.
  if (core && added.includes('primary key')) ensureImport(sourceFile, core, 'primaryKey');
  if (core && added.some((what) => what.startsWith('index')))
    ensureImport(sourceFile, core, 'index');
  return addedResult(...added);
}
