/**
 * drizzle-orm 1.x (`defineRelations`): adds the many-to-many `through` relation to one side, e.g.
 *   users: { events: r.many.events({ from: r.users.id.through(r.userEvents.userId),
 *                                    to: r.events.id.through(r.userEvents.eventId) }) }
 * creating the table's entry when absent; and a plain resource's belongs_to as a `one` with its
 * `many` back. Nothing changes for properties already there; `missing` when the file has no
 * `defineRelations(schema, (r) => ({ ... }))` to add to.
 */
import type { CallExpression, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

const DEFINE_RELATIONS = 'the (r) => ({ ... }) object of defineRelations()';

export interface ThroughSide {
  /** Table variable of this side and its key column: `users`, `id`. */
  table: string;
  key: string;
  /** The join table's column referring to this side: `userId`. */
  joinKey: string;
}

export interface ThroughRelation {
  join: string;
  from: ThroughSide;
  to: ThroughSide;
  /** `events` on users. */
  property: string;
}

export interface JoinRowRelations {
  join: string;
  /**
   * `userEvents: r.many.userEvents(...)` on each side, and `user`/`event` on the join. A self
   * join names each side's many (`property`, `followsAsFollower`) and pairs it by `alias`.
   */
  sides: {
    table: string;
    key: string;
    joinKey: string;
    relationship: string;
    property?: string;
    alias?: string;
  }[];
}

export function findDefineRelations(sourceFile: SourceFile): CallExpression | undefined {
  const { SyntaxKind } = loadTsMorph();
  return sourceFile
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .find((call) => call.getExpression().getText() === 'defineRelations');
}

/** The `(r) => ({ ... })` object and the name of its builder parameter. */
function relationsObject(
  call: CallExpression,
): { object: ObjectLiteralExpression; r: string } | undefined {
  const { Node } = loadTsMorph();
  const callback = call.getArguments()[1];
  if (!callback || !Node.isArrowFunction(callback)) return undefined;
  const r = callback.getParameters()[0]?.getName() ?? 'r';
  let body = callback.getBody();
  while (Node.isParenthesizedExpression(body)) body = body.getExpression();
  return Node.isObjectLiteralExpression(body) ? { object: body, r } : undefined;
}

function tableEntry(object: ObjectLiteralExpression, table: string): ObjectLiteralExpression {
  const { Node } = loadTsMorph();
  const existing = object.getProperty(table);
  if (existing && Node.isPropertyAssignment(existing)) {
    const initializer = existing.getInitializer();
    if (initializer && Node.isObjectLiteralExpression(initializer)) return initializer;
  }
  const added = object.addPropertyAssignment({ name: table, initializer: '{}' });
  return added.getInitializerOrThrow() as ObjectLiteralExpression;
}

/** Adds `<table>.<name>` unless the entry has it; what was added, for the result. */
function addProperty(
  entry: ObjectLiteralExpression,
  table: string,
  name: string,
  initializer: string,
): string[] {
  if (entry.getProperty(name)) return [];
  entry.addPropertyAssignment({ name, initializer });
  return [`${table}.${name}`];
}

/**
 * Makes sure an explicit `defineRelations({ users, events }, ...)` schema lists the table,
 * imported from `module` when given. A schema passed whole (`defineRelations(schema, ...)`)
 * already holds every table it exports: present.
 */
export function ensureInRelationsSchema(
  call: CallExpression,
  table: string,
  module?: string,
): TransformResult {
  const { Node } = loadTsMorph();
  const schema = call.getArguments()[0];
  if (!schema || !Node.isObjectLiteralExpression(schema) || schema.getProperty(table)) {
    return present;
  }
  schema.addShorthandPropertyAssignment({ name: table });
  if (module) ensureImport(call.getSourceFile(), module, table);
  return added(table);
}

/** The initializer text of `<table>.<property>` in defineRelations(), when the entry has it. */
export function definedRelationText(
  sourceFile: SourceFile,
  table: string,
  property: string,
): string | undefined {
  const { Node } = loadTsMorph();
  const call = findDefineRelations(sourceFile);
  const found = call && relationsObject(call);
  const entry = found?.object.getProperty(table);
  if (!entry || !Node.isPropertyAssignment(entry)) return undefined;
  const object = entry.getInitializer();
  if (!object || !Node.isObjectLiteralExpression(object)) return undefined;
  const relation = object.getProperty(property);
  if (!relation) return undefined;
  return Node.isPropertyAssignment(relation)
    ? (relation.getInitializer()?.getText() ?? '')
    : relation.getText();
}

export function addThroughRelation(
  sourceFile: SourceFile,
  relation: ThroughRelation,
): TransformResult {
  const call = findDefineRelations(sourceFile);
  const found = call && relationsObject(call);
  if (!found) return missing(DEFINE_RELATIONS);
  const { object, r } = found;
  const { join, from, to } = relation;
  return added(
    ...addProperty(
      tableEntry(object, from.table),
      from.table,
      relation.property,
      `${r}.many.${to.table}({ from: ${r}.${from.table}.${from.key}.through(${r}.${join}.${from.joinKey}), ` +
        `to: ${r}.${to.table}.${to.key}.through(${r}.${join}.${to.joinKey}) })`,
    ),
  );
}

/** The plain pair (join rows with their own attributes): many on each side, one on the join. */
export function addJoinRowRelations(
  sourceFile: SourceFile,
  relations: JoinRowRelations,
): TransformResult {
  const call = findDefineRelations(sourceFile);
  const found = call && relationsObject(call);
  if (!found) return missing(DEFINE_RELATIONS);
  const { object, r } = found;
  const changed: string[] = [];
  for (const side of relations.sides) {
    const alias = side.alias ? `, alias: '${side.alias}'` : '';
    changed.push(
      ...addProperty(
        tableEntry(object, side.table),
        side.table,
        side.property ?? relations.join,
        `${r}.many.${relations.join}({ from: ${r}.${side.table}.${side.key}, to: ${r}.${relations.join}.${side.joinKey}${alias} })`,
      ),
      ...addProperty(
        tableEntry(object, relations.join),
        relations.join,
        side.relationship,
        `${r}.one.${side.table}({ from: ${r}.${relations.join}.${side.joinKey}, to: ${r}.${side.table}.${side.key}${alias} })`,
      ),
    );
  }
  return added(...changed);
}

/** A belongs_to in 1.x terms: `one` on the table holding the key, `many` back on its target. */
export interface BelongsToRelations {
  /** `events`, its key column `organizerId` and the relation's name `organizer`. */
  table: string;
  field: string;
  property: string;
  /** `users` and the column the key refers to, `id`. */
  target: string;
  reference: string;
  /** The property on the target: `events`. */
  inverse: string;
  /** A NOT NULL key: the loaded `one` is never null (`optional: false`). */
  required: boolean;
  /** Pairs the two sides when a table refers to the same target more than once. */
  alias?: string;
}

/**
 * Adds `organizer: r.one.users({ from: r.events.organizerId, to: r.users.id })` to the table's
 * entry and `events: r.many.events({ from: r.users.id, to: r.events.organizerId })` to the
 * target's, creating entries as needed. Properties already there are left alone.
 */
export function addBelongsToRelations(
  sourceFile: SourceFile,
  relations: BelongsToRelations[],
): TransformResult {
  const call = findDefineRelations(sourceFile);
  const found = call && relationsObject(call);
  if (!found) return missing(DEFINE_RELATIONS);
  const { object, r } = found;
  const changed: string[] = [];
  for (const relation of relations) {
    const { table, field, target, reference } = relation;
    const alias = relation.alias ? `, alias: '${relation.alias}'` : '';
    const optional = relation.required ? ', optional: false' : '';
    changed.push(
      ...addProperty(
        tableEntry(object, table),
        table,
        relation.property,
        `${r}.one.${target}({ from: ${r}.${table}.${field}, to: ${r}.${target}.${reference}${optional}${alias} })`,
      ),
      ...addProperty(
        tableEntry(object, target),
        target,
        relation.inverse,
        `${r}.many.${table}({ from: ${r}.${target}.${reference}, to: ${r}.${table}.${field}${alias} })`,
      ),
    );
  }
  return added(...changed);
}
