/**
 * Puts back what makes a table a join table when it is missing: the composite
 * `primaryKey({ columns: [...] })` and the second-key `index(...)` in the table's extra-config
 * array, and `.references(...)` on each key column. What is there is left untouched; the result
 * names what was added ('missing' when the table is not found, 'unsupported' when its extra
 * config is not an array, e.g. the old object form).
 */
import type { ArrayLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { tableColumnsObject } from './add-table-columns.js';

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
  const added: string[] = [];

  for (const [key, references] of Object.entries(constraints.references)) {
    const property = columns.getProperty(key);
    if (!property || !Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer || /\.references\s*\(/.test(initializer.getText())) continue;
    property.setInitializer(`${initializer.getText()}${references}`);
    added.push(`foreign key ${key}`);
  }

  const extra = call.getArguments()[2];
  let array: ArrayLiteralExpression | undefined;
  let parameter = 't';
  if (!extra) {
    call.addArgument('(t) => []');
    const arrow = call.getArguments()[2]!;
    array = Node.isArrowFunction(arrow) ? (arrow.getBody() as ArrayLiteralExpression) : undefined;
  } else if (Node.isArrowFunction(extra)) {
    parameter = extra.getParameters()[0]?.getName() ?? 't';
    let body = extra.getBody();
    while (Node.isParenthesizedExpression(body)) body = body.getExpression();
    array = Node.isArrayLiteralExpression(body) ? body : undefined;
  }
  if (!array) return added.length > 0 ? added : 'unsupported';

  const elements = array.getElements().map((element) => element.getText());
  if (!elements.some((text) => /^primaryKey\s*\(/.test(text))) {
    array.insertElement(
      0,
      `primaryKey({ columns: [${parameter}.${constraints.sourceKey}, ${parameter}.${constraints.targetKey}] })`,
    );
    added.push('primary key');
  }
  const indexed = new RegExp(`\\.on\\(\\s*${parameter}\\.${constraints.targetKey}\\s*[,)]`);
  if (!elements.some((text) => /\bindex\s*\(/i.test(text) && indexed.test(text))) {
    array.addElement(`index('${constraints.indexName}').on(${parameter}.${constraints.targetKey})`);
    added.push(`index ${constraints.indexName}`);
  }
  return added;
}
