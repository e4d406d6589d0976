/**
 * The names of a join's two directions, written once for every target: what each key's
 * destination calls the rows it reaches through the join.
 *
 * Rule: a key's direction is named, in this order, by `--directions` (or `manyToManyNames` in
 * joinery.json, or the `-r many_to_many:<name>` it was expanded from), else the plural of the
 * *other* key's belongs_to: `user`/`event` → users.events and events.users; `follower`/`followee`
 * → users.followees (the rows where the user is the follower) and users.followers.
 *
 * A join of a resource to itself (users following users) puts both directions on one resource,
 * so there the names are also its properties (Drizzle 0.45 `many()`, TypeORM `@OneToMany`,
 * Drizzle 1.x `through`), and they must differ from each other; the targets check them against
 * the properties the resource already has.
 */
import { invalidInput } from '../errors.js';
import { articleFor, camelCase, pascalCase, pluralizeLast, singularizeLast } from './naming.js';

export interface DirectionKey {
  /** The belongs_to on the join: `follower`. */
  relationship: string;
}

/** `{ follower: 'following' }` by belongs_to; names are snake_case or camelCase as given. */
export type GivenDirectionNames = Record<string, string>;

/**
 * Each key's direction: the name given for it, else the plural of the other key. Refuses a name
 * for a belongs_to the join does not have, and, on a self join, two directions of one name.
 */
export function directionNames(
  resource: string,
  source: DirectionKey,
  target: DirectionKey,
  given: GivenDirectionNames,
  self: boolean,
): [string, string] {
  const unknown = Object.keys(given).find(
    (side) => side !== source.relationship && side !== target.relationship,
  );
  if (unknown) {
    throw invalidInput(
      `${resource}: a direction name is given for "${unknown}", which is neither of its keys (${source.relationship}, ${target.relationship}).`,
      `Key manyToManyNames by the join's belongs_to names, e.g. { "${source.relationship}": "${camelCase(pluralizeLast(target.relationship))}" }, or pass --directions <${source.relationship}'s>,<${target.relationship}'s>.`,
    );
  }
  const name = (key: DirectionKey, other: DirectionKey) =>
    // Own keys only: a relationship named `constructor` must not find Object's.
    camelCase(
      (Object.hasOwn(given, key.relationship) ? given[key.relationship] : undefined) ??
        pluralizeLast(other.relationship),
    );
  const names: [string, string] = [name(source, target), name(target, source)];
  if (self && names[0] === names[1]) {
    throw invalidInput(
      `${resource} joins a resource to itself, and both directions would be called "${names[0]}".`,
      `Name them apart: --directions ${camelCase(pluralizeLast(target.relationship))},${camelCase(pluralizeLast(source.relationship))} (what a ${source.relationship} reaches, then what a ${target.relationship} reaches).`,
    );
  }
  return names;
}

/**
 * The helper names of one direction of a self join: `loadFollowing(db, userId)`,
 * `appendFollowing(db, userId, followingIds)`, and the type of an item, `FollowingOfUser`.
 */
export function selfDirectionHelperNames(resource: string, direction: string) {
  const suffix = pascalCase(direction);
  return {
    load: `load${suffix}`,
    append: `append${suffix}`,
    remove: `remove${suffix}`,
    set: `set${suffix}`,
    id: `${camelCase(resource)}Id`,
    ids: `${camelCase(singularizeLast(direction))}Ids`,
    items: camelCase(direction),
  };
}

/** `FolloweeOfUser`: what a self join's load returns per item, one type per direction. */
export function selfDirectionItemType(resource: string, direction: string): string {
  return `${pascalCase(singularizeLast(direction))}Of${pascalCase(resource)}`;
}

/** A self join's usage speaks of the one resource: "Load a user with its followees and its followers". */
export function selfUsage(resource: string, primaryKey: string) {
  const row = camelCase(resource);
  return { row, article: articleFor(resource), id: `${row}Id`, primaryKey };
}
