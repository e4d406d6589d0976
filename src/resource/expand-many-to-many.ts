/**
 * `-r many_to_many:events:Accounts.UserEvent:Works.Event` on User is Ash's way to ask for a join:
 * it becomes its own join spec (keys `user_id`, `event_id`, each a belongs_to), planned like
 * `joinery gen resource Accounts UserEvent --primary-key user_id,event_id`. What remains of the
 * command line is the plain resource, when anything remains.
 */
import { invalidInput } from '../errors.js';
import { pluralizeLast, snakeCase } from '../spec/naming.js';
import type { RelationshipSpec, ResourceRef, ResourceSpec } from '../spec/types.js';

export interface ExpandedSpecs {
  /** The resource itself, when the command asks for more than many_to_many relationships. */
  resource: ResourceSpec | undefined;
  /** One join spec per many_to_many, in command-line order. */
  joins: ResourceSpec[];
}

export function expandManyToMany(spec: ResourceSpec): ExpandedSpecs {
  const manyToMany = spec.relationships.filter((r) => r.kind === 'many_to_many');
  if (manyToMany.length === 0) return { resource: spec, joins: [] };
  const rest = {
    ...spec,
    relationships: spec.relationships.filter((r) => !manyToMany.includes(r)),
  };
  const onlyJoins =
    rest.relationships.length === 0 &&
    rest.attributes.length === 0 &&
    !rest.surrogateKey &&
    !rest.timestamps &&
    rest.table === undefined;
  return {
    resource: onlyJoins ? undefined : rest,
    joins: manyToMany.map((relationship) => joinSpec(spec, relationship)),
  };
}

function joinSpec(owner: ResourceSpec, relationship: RelationshipSpec): ResourceSpec {
  const self: ResourceRef = { domain: owner.domain, resource: owner.resource };
  const through = relationship.through ?? {
    domain: owner.domain,
    resource: `${owner.resource}${relationship.destination.resource}`,
  };
  const source = snakeCase(owner.resource);
  const target = snakeCase(relationship.destination.resource);
  if (source === target) {
    throw invalidInput(
      `-r many_to_many:${relationship.name}: ${owner.resource} to itself needs two differently named keys.`,
      `Generate the join directly: joinery gen resource ${through.domain ?? owner.domain} ${through.resource} -r belongs_to:<a>:${owner.resource}:primary_key -r belongs_to:<b>:${owner.resource}:primary_key.`,
    );
  }
  const belongsTo = (name: string, destination: ResourceRef): RelationshipSpec => ({
    kind: 'belongs_to',
    name,
    destination,
    primaryKey: true,
    required: true,
    public: false,
  });
  const key = (name: string) => ({
    name: `${name}_id`,
    type: undefined,
    primaryKey: true,
    required: true,
    public: false,
    sensitive: false,
    array: false,
  });
  return {
    domain: through.domain ?? owner.domain,
    resource: through.resource,
    attributes: [key(source), key(target)],
    relationships: [belongsTo(source, self), belongsTo(target, relationship.destination)],
    timestamps: false,
    surrogateKey: undefined,
    table: undefined,
    conflicts: owner.conflicts,
    ignoreIfExists: owner.ignoreIfExists,
    helpers: owner.helpers,
    // `many_to_many:attended:Works.Event`: User reaches events as `attended`, not `events`.
    ...(snakeCase(relationship.name) === pluralizeLast(target)
      ? {}
      : { manyToManyNames: { [source]: relationship.name } }),
  };
}
