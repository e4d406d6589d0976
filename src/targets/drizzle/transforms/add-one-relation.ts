/**
 * Adds a belongs_to's `<property>: one(<target>, { fields: [...], references: [...] })` to the
 * `relations(<table>, ...)` call in a file, adding `one` to the callback's helpers if needed
 * and importing the target when told from where. Nothing changes when the property is there;
 * `missing` when the file has no relations() for the table (the caller creates one).
 */
import type { SourceFile } from 'ts-morph';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';
import {
  ensureHelper,
  findRelationsCallback,
  relationsAnchor,
  returnedObject,
} from './add-many-relation.js';

export interface OneRelation {
  /** `events`: the table whose relations() gains the property. */
  table: string;
  /** `organizer`. */
  property: string;
  /** `users`: the referenced table. */
  target: string;
  /** `organizerId`: the table's foreign-key property. */
  field: string;
  /** `id`: the referenced key property. */
  reference: string;
  relationName?: string | undefined;
  /** The module specifier to import the target from, as the file spells it. */
  targetModule?: string;
}

export function oneRelationArguments(relation: OneRelation): string {
  const name = relation.relationName ? `, relationName: '${relation.relationName}'` : '';
  return `${relation.target}, { fields: [${relation.table}.${relation.field}], references: [${relation.target}.${relation.reference}]${name} }`;
}

export function addOneRelation(sourceFile: SourceFile, relation: OneRelation): TransformResult {
  const callback = findRelationsCallback(sourceFile, relation.table);
  const object = callback && returnedObject(callback);
  if (!callback || !object) return missing(relationsAnchor(relation.table));
  if (object.getProperty(relation.property)) {
    // The relation is there; its target's import may not be (removed by hand, or by a merge).
    return relation.targetModule && ensureImport(sourceFile, relation.targetModule, relation.target)
      ? added(`import ${relation.target}`)
      : present;
  }
  const one = ensureHelper(callback, 'one');
  object.addPropertyAssignment({
    name: relation.property,
    initializer: `${one}(${oneRelationArguments(relation)})`,
  });
  if (relation.targetModule) ensureImport(sourceFile, relation.targetModule, relation.target);
  return added(relation.property);
}
