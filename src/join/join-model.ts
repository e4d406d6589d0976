/**
 * ORM-neutral reading of a ResourceSpec as a many-to-many join: which two keys, which resources
 * they refer to, what the relationships are called, and what else the join row carries.
 */
import { invalidInput } from '../errors.js';
import { camelCase, pascalCase, pluralizeLast, snakeCase } from '../spec/naming.js';
import type { AttributeSpec, ResourceRef, ResourceSpec } from '../spec/types.js';

export interface JoinKey {
  /** `user_id`: the key attribute on the join resource. */
  attribute: AttributeSpec;
  /** `user`: the belongs_to relationship on the join resource. */
  relationship: string;
  destination: ResourceRef;
}

export interface JoinModel {
  domain: string;
  resource: string;
  /** SQL table name, `user_events`. */
  table: string;
  /** Property/variable name of the join rows, `userEvents`. */
  collection: string;
  source: JoinKey;
  target: JoinKey;
  extraAttributes: AttributeSpec[];
  timestamps: boolean;
  migrationName: string;
  /** Also plan the relationship helpers module beside the join resource. */
  helpers: boolean;
}

export function toJoinModel(spec: ResourceSpec): JoinModel {
  const keyParts = spec.attributes.filter((attribute) => attribute.primaryKey);
  if (spec.surrogateKey || keyParts.length !== 2) {
    throw invalidInput(
      `${spec.resource} is not a join resource: joinery needs a primary key of exactly two references` +
        (keyParts.length ? `, got ${keyParts.map((key) => key.name).join(', ')}.` : '.'),
      `Example: --primary-key user_id,event_id. Plain resources are not supported yet.`,
    );
  }
  const [source, target] = keyParts.map((attribute) => toJoinKey(spec, attribute)) as [
    JoinKey,
    JoinKey,
  ];
  if (source.relationship === target.relationship) {
    throw invalidInput(
      `Both keys of ${spec.resource} would be named "${source.relationship}".`,
      'Name the two references differently, or use -r belongs_to:name:Destination:primary_key for each.',
    );
  }
  const table = spec.table ?? snakeCase(pluralizeLast(spec.resource));
  return {
    domain: spec.domain,
    resource: spec.resource,
    table,
    collection: camelCase(pluralizeLast(spec.resource)),
    source,
    target,
    extraAttributes: spec.attributes.filter((attribute) => !attribute.primaryKey),
    timestamps: spec.timestamps,
    migrationName: `create_${table}_join_table`,
    helpers: spec.helpers,
  };
}

function toJoinKey(spec: ResourceSpec, attribute: AttributeSpec): JoinKey {
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
