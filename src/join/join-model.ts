/**
 * ORM-neutral reading of a ResourceSpec as a many-to-many join: which two keys, which resources
 * they refer to, what the relationships are called, and what else the join row carries.
 */
import { invalidInput } from '../errors.js';
import { createJoinMigrationName } from '../rules/migration-names.js';
import { directionNames } from '../rules/direction-names.js';
import { camelCase, pascalCase, pluralizeLast, snakeCase } from '../rules/naming.js';
import type { AttributeSpec, ResourceRef, ResourceSpec } from '../flags/types.js';
import { parseTableName } from '../flags/parse-flags.js';

export interface JoinKey {
  /** `user_id`: the key attribute on the join resource. */
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
  /** SQL table name, `user_events`. */
  table: string;
  /** The schema `--table app.user_events` names for the table (PostgreSQL, TypeORM only). */
  schema?: string;
  /** Property/variable name of the join rows, `userEvents`. */
  collection: string;
  source: JoinKey;
  target: JoinKey;
  extraAttributes: AttributeSpec[];
  timestamps: boolean;
  migrationName: string;
  /** Also plan the relationship helpers module beside the join resource. */
  helpers: boolean;
  /**
   * Both keys refer to one resource (users following users): both directions live on it, named
   * by `manyToMany` (see src/rules/direction-names.ts), each with its own relation.
   */
  self: boolean;
}

export function toJoinModel(spec: ResourceSpec): JoinModel {
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
  const source = { ...sourceKey, manyToMany: sourceName };
  const target = { ...targetKey, manyToMany: targetName };
  const named = spec.table === undefined ? undefined : parseTableName(spec.table);
  const table = named?.table ?? snakeCase(pluralizeLast(spec.resource));
  return {
    domain: spec.domain,
    resource: spec.resource,
    table,
    ...(named?.schema ? { schema: named.schema } : {}),
    collection: camelCase(pluralizeLast(spec.resource)),
    source,
    target,
    extraAttributes: spec.attributes.filter((attribute) => !attribute.primaryKey),
    timestamps: spec.timestamps,
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
