/**
 * SQL names under the project's convention (`SqlNaming`, read in src/project/conventions.ts):
 * the same rule for every target, so a join's table, its key columns and its timestamps are
 * named alike whichever ORM writes them.
 */
import type { AttributeSpec } from '../flags/types.js';
import type { SqlNaming, TimestampNames } from '../project/conventions.js';
import { camelCase, pluralizeLast, snakeCase } from './naming.js';

/** `UserEvent` → `user_events`, or `user_event` where the project's tables are singular. */
export function sqlTableName(resource: string, naming: SqlNaming): string {
  return snakeCase(naming.tables === 'plural' ? pluralizeLast(resource) : resource);
}

/**
 * `user_id` → `userId` where the project's columns are camelCase; under snake case a name stays
 * as the command gave it (`-a joinedAt:…` asked for that column).
 */
export function sqlColumnName(name: string, naming: SqlNaming): string {
  return naming.columns === 'camel' ? camelCase(name) : name;
}

/** The project's own timestamps when it has them, else inserted_at/updated_at in its casing. */
export function sqlTimestampNames(naming: SqlNaming): TimestampNames {
  return (
    naming.timestamps ?? {
      created: sqlColumnName('inserted_at', naming),
      updated: sqlColumnName('updated_at', naming),
    }
  );
}

/** The attribute named as its SQL column, remembering the flag's name for messages. */
export function renamed(attribute: AttributeSpec, naming: SqlNaming): AttributeSpec {
  const name = sqlColumnName(attribute.name, naming);
  return name === attribute.name ? attribute : { ...attribute, name, given: attribute.name };
}

/** How messages name an attribute: as the command line did. */
export const flagName = (attribute: AttributeSpec): string => attribute.given ?? attribute.name;
