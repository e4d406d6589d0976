/**
 * Adds `<property>: many(<target>)` to the `relations(<table>, ...)` call in a file, adding
 * `many` to the callback's helpers if needed and importing the target when told from where.
 * Nothing changes when the property is there; `missing` when the file has no relations() for the
 * table (the caller creates one).
 */
import type { ArrowFunction, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

export interface ManyRelation {
  /** `users`: the table whose relations() gains the property. */
  table: string;
  /** `userEvents`: the new property. */
  property: string;
  /** `userEvents`: the table passed to many(). */
  target: string;
  /** Pairs it with its `one()` when several relations link the same two tables. */
  relationName?: string | undefined;
  /** The module specifier to import the target from, as the file spells it. */
  targetModule?: string;
}

/** What a relations() transform could not find. */
export function relationsAnchor(table: string): string {
  return `the object returned by relations(${table}, ...)`;
}

export function addManyRelation(sourceFile: SourceFile, relation: ManyRelation): TransformResult {
  const callback = findRelationsCallback(sourceFile, relation.table);
  const object = callback && returnedObject(callback);
  if (!callback || !object) return missing(relationsAnchor(relation.table));
  if (object.getProperty(relation.property)) {
    // The relation is there; its target's import may not be (removed by hand, or by a merge).
    return relation.targetModule && ensureImport(sourceFile, relation.targetModule, relation.target)
      ? added(`import ${relation.target}`)
      : present;
  }
  const many = ensureHelper(callback, 'many');
  object.addPropertyAssignment({
    name: relation.property,
    initializer: relation.relationName
      ? `${many}(${relation.target}, { relationName: '${relation.relationName}' })`
      : `${many}(${relation.target})`,
  });
  if (relation.targetModule) ensureImport(sourceFile, relation.targetModule, relation.target);
  return added(relation.property);
}

/** The arrow function passed as second argument to `relations(table, ...)`. */
export function findRelationsCallback(
  sourceFile: SourceFile,
  table: string,
): ArrowFunction | undefined {
  const { Node, SyntaxKind } = loadTsMorph();
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== 'relations') continue;
    const [tableArg, callback] = call.getArguments();
    if (tableArg?.getText() === table && callback && Node.isArrowFunction(callback))
      return callback;
  }
  return undefined;
}

export function returnedObject(callback: ArrowFunction): ObjectLiteralExpression | undefined {
  const { Node, SyntaxKind } = loadTsMorph();
  let body = callback.getBody();
  if (Node.isBlock(body)) {
    const returned = body.getStatements().find((statement) => Node.isReturnStatement(statement));
    body = returned?.asKind(SyntaxKind.ReturnStatement)?.getExpression() ?? body;
  }
  while (
    Node.isParenthesizedExpression(body) ||
    Node.isAsExpression(body) ||
    Node.isSatisfiesExpression(body)
  ) {
    body = body.getExpression();
  }
  return Node.isObjectLiteralExpression(body) ? body : undefined;
}

/** Returns the expression to call the helper with: `many`, or `helpers.many` for `(helpers) =>`. */
export function ensureHelper(callback: ArrowFunction, helper: 'one' | 'many'): string {
  const { Node } = loadTsMorph();
  const parameter = callback.getParameters()[0];
  if (!parameter) {
    callback.addParameter({ name: `{ ${helper} }` });
    return helper;
  }
  const nameNode = parameter.getNameNode();
  if (Node.isIdentifier(nameNode)) return `${nameNode.getText()}.${helper}`;
  if (Node.isObjectBindingPattern(nameNode)) {
    const elements = nameNode.getElements();
    const existing = elements.find(
      (element) => (element.getPropertyNameNode()?.getText() ?? element.getName()) === helper,
    );
    if (existing) return existing.getName();
    const names = [...elements.map((element) => element.getText()), helper];
    nameNode.replaceWithText(`{ ${names.join(', ')} }`);
    return helper;
  }
  return helper;
}
