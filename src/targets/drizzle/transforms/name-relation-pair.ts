/**
 * drizzle-orm 0.45 pairs a `many()` with the `one()` on the other table by `relationName` once
 * two relations link the same tables; without names a query fails ("There are multiple relations
 * between posts and users"). These read the entries of a table's `relations()` and name one, so a
 * second belongs_to to a destination the table already points at can name the pair already there.
 */
import type { CallExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';
import { findRelationsCallback, returnedObject } from './add-many-relation.js';

export interface RelationEntry {
  /** `author` in `author: one(users, ...)`. */
  property: string;
  helper: 'one' | 'many';
  /** The table variable passed to one()/many(): `users`. */
  target: string;
  relationName: string | undefined;
  call: CallExpression;
}

/** The one()/many() entries of `relations(<table>, ...)` in the file; none without it. */
export function relationEntries(sourceFile: SourceFile, table: string): RelationEntry[] {
  const { Node } = loadTsMorph();
  const callback = findRelationsCallback(sourceFile, table);
  const object = callback && returnedObject(callback);
  if (!object) return [];
  return object.getProperties().flatMap((property) => {
    if (!Node.isPropertyAssignment(property)) return [];
    const call = property.getInitializer();
    if (!call || !Node.isCallExpression(call)) return [];
    const helper = call.getExpression().getText().split('.').pop();
    const [target, options] = call.getArguments();
    if ((helper !== 'one' && helper !== 'many') || !target) return [];
    const nameProperty =
      options && Node.isObjectLiteralExpression(options)
        ? options.getProperty('relationName')
        : undefined;
    const nameValue =
      nameProperty && Node.isPropertyAssignment(nameProperty)
        ? nameProperty.getInitializer()
        : undefined;
    return [
      {
        property: property.getName(),
        helper,
        target: target.getText(),
        relationName:
          nameValue && Node.isStringLiteral(nameValue) ? nameValue.getLiteralValue() : undefined,
        call,
      },
    ];
  });
}

/**
 * `one(users, { fields, references })` → `one(users, { fields, references, relationName })`;
 * `missing` when its options are not an object literal (a variable, a call).
 */
export function nameRelation(entry: RelationEntry, relationName: string): TransformResult {
  const { Node } = loadTsMorph();
  if (entry.relationName !== undefined) return present;
  const options = entry.call.getArguments()[1];
  if (options && Node.isObjectLiteralExpression(options)) {
    options.addPropertyAssignment({ name: 'relationName', initializer: `'${relationName}'` });
  } else if (!options) {
    entry.call.addArgument(`{ relationName: '${relationName}' }`);
  } else return missing(`the options object of ${entry.property}: ${entry.call.getText()}`);
  return added(`${entry.property} relationName '${relationName}'`);
}
