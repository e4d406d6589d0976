/**
 * ORM-neutral reading of a ResourceSpec as a many-to-many join: which two keys, which resources
 * they refer to, what the relationships are called, and what else the join row carries.
 */
import { invalidInput } from '../errors.js';
import { createJoinMigrationName } from '../rules/migration-names.js';
import { directionNames } from '../rules/direction-names.js';
import { camelCase, pascalCase, pluralizeLast } from '../rules/naming.js';
import { renamed, sqlTableName, sqlTimestampNames } from '../rules/naming-sql.js';
import { DEFAULT_SQL_NAMING, type SqlNaming, type TimestampNames } from '../project/conventions.js';
import type { AttributeSpec, ResourceRef, ResourceSpec } from '../flags/types.js';
import { parseTableName } from '../flags/parse-flags.js';

export interface JoinKey {
  /**
   * `user_id`: the key attribute on the join resource, named as its SQL column is (`userId` in a
   * project whose columns are camelCase).
   */
  attribute: AttributeSpec;
  /** `user`: the belongs_to relationship on the join resource. */
  relationship: string;
  destination: ResourceRef;
  /**
   * What this key's destination calls the many-to-many through the join, reaching the other
   * key's destination: `events` on users (the other key's plural), or `attended` when
   * `-r many_to_many:attended:...` named it. A property where the ORM has one (Drizzle 1.x).
   */
  manyToMany: string;
}

export interface JoinModel {
  domain: string;
  resource: string;
  /** SQL table name, `user_events` (`user_event` where the project's tables are singular). */
  table: string;
  /** The schema `--table app.user_events` names for the table (PostgreSQL, TypeORM only). */
  schema?: string;
  /** Property/variable name of the join rows, `userEvents`. */
  collection: string;
  source: JoinKey;
  target: JoinKey;
  /** Named as their SQL columns are, like the keys. */
  extraAttributes: AttributeSpec[];
  timestamps: boolean;
  /** The SQL names of the timestamps, in the project's naming. */
  timestampNames: TimestampNames;
  migrationName: string;
  /** Also plan the relationship helpers module beside the join resource. */
  helpers: boolean;
  /**
   * Both keys refer to one resource (users following users): both directions live on it, named
   * by `manyToMany` (see src/rules/direction-names.ts), each with its own relation.
   */
  self: boolean;
}

/**
 * The join as `spec` asks for it, named in SQL under the project's `naming` (the table and
 * column names; --table, or the table joinery.json records, stays as given).
 */
export function toJoinModel(spec: ResourceSpec, naming: SqlNaming = DEFAULT_SQL_NAMING): JoinModel {
  const keyParts = spec.attributes.filter((attribute) => attribute.primaryKey);
  if (spec.surrogateKey || keyParts.length !== 2) {
    throw invalidInput(
      `${spec.resource} is not a join resource: joinery needs a primary key of exactly two references` +
        (keyParts.length ? `, got ${keyParts.map((key) => key.name).join(', ')}.` : '.'),
      'Example: --primary-key user_id,event_id (a plain resource takes a generated key instead: --uuid-primary-key id).',
    );
  }
  assertOnlyKeyRelationships(spec, keyParts);
  const [sourceKey, targetKey] = keyParts.map((attribute) => toJoinKey(spec, attribute)) as [
    KeyReference,
    KeyReference,
  ];
  if (sourceKey.relationship === targetKey.relationship) {
    throw invalidInput(
      `Both keys of ${spec.resource} would be named "${sourceKey.relationship}".`,
      'Name the two references differently, or use -r belongs_to:name:Destination:primary_key for each.',
    );
  }
  const self = sameResource(sourceKey.destination, targetKey.destination);
  const [sourceName, targetName] = directionNames(
    spec.resource,
    sourceKey,
    targetKey,
    spec.manyToManyNames ?? {},
    self,
  );
  const column = (attribute: AttributeSpec) => renamed(attribute, naming);
  const source = { ...sourceKey, attribute: column(sourceKey.attribute), manyToMany: sourceName };
  const target = { ...targetKey, attribute: column(targetKey.attribute), manyToMany: targetName };
  const named = spec.table === undefined ? undefined : parseTableName(spec.table);
  const table = named?.table ?? sqlTableName(spec.resource, naming);
  return {
    domain: spec.domain,
    resource: spec.resource,
    table,
    ...(named?.schema ? { schema: named.schema } : {}),
    collection: camelCase(pluralizeLast(spec.resource)),
    source,
    target,
    extraAttributes: spec.attributes.filter((attribute) => !attribute.primaryKey).map(column),
    timestamps: spec.timestamps,
    timestampNames: sqlTimestampNames(naming),
    migrationName: createJoinMigrationName(table),
    helpers: spec.helpers,
    self,
  };
}

type KeyReference = Omit<JoinKey, 'manyToMany'>;

/**
 * A join generates its two key references and nothing else: a belongs_to that is not a key
 * (`-r belongs_to:venue:Works.Venue`) or a has_one would be recorded and never generated, so it
 * is refused rather than dropped. (has_many and many_to_many were expanded into specs of their
 * own before this.)
 */
function assertOnlyKeyRelationships(spec: ResourceSpec, keyParts: AttributeSpec[]): void {
  const keys = new Set(keyParts.map((attribute) => attribute.name));
  const extra = spec.relationships.find(
    (relationship) =>
      (relationship.kind !== 'belongs_to' || !keys.has(`${relationship.name}_id`)) &&
      relationship.kind !== 'has_many' &&
      relationship.kind !== 'many_to_many',
  );
  if (!extra) return;
  const destination = extra.destination.domain
    ? `${extra.destination.domain}.${extra.destination.resource}`
    : extra.destination.resource;
  const keyList = [...keys].join(', ');
  throw invalidInput(
    `-r ${extra.kind}:${extra.name}:${destination}: ${spec.resource} is a join resource (key ${keyList}), and joinery generates only its two key references; this ${extra.kind} would not be generated.`,
    extra.kind === 'belongs_to'
      ? `Drop it; to make it a key part, add :primary_key (a join has exactly two), or keep a plain column with -a ${extra.name}_id:<type>.`
      : `Drop it; declare the reference on ${destination} instead (-r belongs_to:<name>:${spec.domain}.${spec.resource}).`,
  );
}

/** A domain left out matches any: `Accounts.User` and `User` are one resource. */
function sameResource(a: ResourceRef, b: ResourceRef): boolean {
  return a.resource === b.resource && (!a.domain || !b.domain || a.domain === b.domain);
}

function toJoinKey(spec: ResourceSpec, attribute: AttributeSpec): KeyReference {
  const declared = spec.relationships.find(
    (relationship) =>
      relationship.kind === 'belongs_to' && `${relationship.name}_id` === attribute.name,
  );
  if (declared) {
    return { attribute, relationship: declared.name, destination: declared.destination };
  }
  const match = /^(.+)_id$/.exec(attribute.name);
  if (!match) {
    throw invalidInput(
      `Primary-key part "${attribute.name}" does not say which resource it refers to.`,
      `Name it <resource>_id (e.g. user_id), or add -r belongs_to:<name>:<Domain.Resource>:primary_key.`,
    );
  }
  const relationship = match[1]!;
  return {
    attribute,
    relationship,
    destination: { domain: undefined, resource: pascalCase(relationship) },
  };
}
