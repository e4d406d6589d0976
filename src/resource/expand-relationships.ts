/**
 * Ash declares relationships on the resource that has them; joinery generates each where its
 * columns live. On User:
 * - `-r many_to_many:events:Accounts.UserEvent:Works.Event` is a join: its own join spec (keys
 *   `user_id`, `event_id`, each a belongs_to), planned like
 *   `joinery gen resource Accounts UserEvent --primary-key user_id,event_id`;
 * - `-r has_many:hosted_events:Works.Event` is a belongs_to on Event (`user_id`, Ash's default
 *   destination attribute), whose inverse on User is `hosted_events`: a spec for Event.
 * What remains of the command line is the resource itself, when anything remains.
 */
import { invalidInput } from '../errors.js';
import { pascalCase, pluralizeLast, snakeCase } from '../rules/naming.js';
import { resourceStem } from '../rules/resolve-resource.js';
import type { RelationshipSpec, ResourceRef, ResourceSpec } from '../flags/types.js';

export interface ExpandedSpecs {
  /** The resource itself, when the command asks for more than many_to_many/has_many. */
  resource: ResourceSpec | undefined;
  /** One spec per many_to_many (its join) and has_many (its destination), in command-line order. */
  related: ResourceSpec[];
}

export function expandRelationships(spec: ResourceSpec): ExpandedSpecs {
  const elsewhere = spec.relationships.filter(
    (r) => r.kind === 'many_to_many' || r.kind === 'has_many',
  );
  assertJoinKeysUsed(spec);
  if (elsewhere.length === 0) return { resource: spec, related: [] };
  // --join-keys served the self many_to_many; the resource's own spec goes on without it.
  const rest: ResourceSpec = {
    ...spec,
    relationships: spec.relationships.filter((r) => !elsewhere.includes(r)),
  };
  delete rest.joinKeys;
  const nothingElse =
    rest.relationships.length === 0 &&
    rest.attributes.length === 0 &&
    !rest.surrogateKey &&
    !rest.timestamps &&
    rest.table === undefined;
  return {
    resource: nothingElse ? undefined : rest,
    related: elsewhere.map((relationship) =>
      relationship.kind === 'has_many'
        ? hasManySpec(spec, relationship)
        : joinSpec(spec, relationship),
    ),
  };
}

/**
 * `has_many:hosted_events:Works.Event` on Accounts.User → `Works.Event -r belongs_to:user:Accounts.User`,
 * the inverse named `hosted_events` when that is not the default (`events`).
 */
function hasManySpec(owner: ResourceSpec, relationship: RelationshipSpec): ResourceSpec {
  const { destination } = relationship;
  const command = `-r has_many:${relationship.name}:${destination.domain ?? '<Domain>'}.${destination.resource}`;
  if (!destination.domain) {
    throw invalidInput(
      `-r has_many:${relationship.name}:${destination.resource}: joinery adds the foreign key to ${destination.resource} and records it under its domain, which it needs to know.`,
      `Name the domain: ${command}.`,
    );
  }
  if (destination.resource === owner.resource) {
    throw invalidInput(
      `${command}: ${owner.resource} having many of itself is a self-reference, not generated yet.`,
      'Add the column and its relations by hand.',
    );
  }
  const name = snakeCase(resourceStem(owner.resource));
  const belongsTo: RelationshipSpec = {
    kind: 'belongs_to',
    name,
    destination: { domain: owner.domain, resource: owner.resource },
    onDelete: relationship.onDelete,
    primaryKey: false,
    // has_many:...:required: the key on the destination is NOT NULL.
    required: relationship.required,
    public: relationship.public,
  };
  const defaultInverse = snakeCase(pluralizeLast(resourceStem(destination.resource)));
  return {
    domain: destination.domain,
    resource: destination.resource,
    attributes: [],
    relationships: [belongsTo],
    timestamps: false,
    surrogateKey: undefined,
    table: undefined,
    conflicts: owner.conflicts,
    ignoreIfExists: false,
    helpers: false,
    origin: `-r has_many:${relationship.name}:${destination.domain}.${destination.resource} on ${owner.domain}.${owner.resource}`,
    ...(snakeCase(relationship.name) === defaultInverse
      ? {}
      : { inverseNames: { [name]: relationship.name } }),
  };
}

/** A many_to_many from the resource to itself (`many_to_many:following:Accounts.User` on User). */
function isSelfManyToMany(owner: ResourceSpec, relationship: RelationshipSpec): boolean {
  const { destination } = relationship;
  return (
    relationship.kind === 'many_to_many' &&
    destination.resource === owner.resource &&
    (!destination.domain || destination.domain === owner.domain)
  );
}

/** --join-keys names the keys of exactly one self many_to_many; anywhere else it would be lost. */
function assertJoinKeysUsed(spec: ResourceSpec): void {
  if (!spec.joinKeys) return;
  const selfJoins = spec.relationships.filter((r) => isSelfManyToMany(spec, r));
  if (selfJoins.length === 1) return;
  throw invalidInput(
    selfJoins.length === 0
      ? `--join-keys names the keys of a self many_to_many (${spec.resource} to ${spec.resource}), and this command has none.`
      : `--join-keys is ambiguous: ${selfJoins.length} many_to_many relate ${spec.resource} to itself.`,
    `Declare one: -r many_to_many:<name>:${spec.domain}.${spec.resource} --join-keys <a>_id,<b>_id, or generate the join itself: joinery gen resource ${spec.domain} <Join> --primary-key <a>_id,<b>_id.`,
  );
}

function joinSpec(owner: ResourceSpec, relationship: RelationshipSpec): ResourceSpec {
  const self: ResourceRef = { domain: owner.domain, resource: owner.resource };
  const selfJoin = isSelfManyToMany(owner, relationship);
  const ownerStem = resourceStem(owner.resource);
  const destinationStem = resourceStem(relationship.destination.resource);
  const through = relationship.through ?? {
    domain: owner.domain,
    resource: `${ownerStem}${selfJoin ? pascalCase(relationship.name) : destinationStem}`,
  };
  const [source, target] = selfJoin
    ? selfJoinKeys(owner, relationship, through)
    : [snakeCase(ownerStem), snakeCase(destinationStem)];
  if (source === target) {
    throw invalidInput(
      `-r many_to_many:${relationship.name}: ${owner.resource} to ${relationship.destination.resource} needs two differently named keys.`,
      `Generate the join directly: joinery gen resource ${through.domain ?? owner.domain} ${through.resource} -r belongs_to:<a>:${owner.resource}:primary_key -r belongs_to:<b>:${relationship.destination.resource}:primary_key.`,
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
    ...(snakeCase(relationship.name) === snakeCase(pluralizeLast(target))
      ? {}
      : { manyToManyNames: { [source]: relationship.name } }),
  };
}

/**
 * The belongs_to names of a self join, from --join-keys (`follower_id,followee_id` →
 * `follower`, `followee`; the resource declaring the many_to_many is the first). Both keys would
 * otherwise be `user_id`, so a self many_to_many without them is refused.
 */
function selfJoinKeys(
  owner: ResourceSpec,
  relationship: RelationshipSpec,
  through: ResourceRef,
): [string, string] {
  if (!owner.joinKeys) {
    const label = `${owner.domain}.${owner.resource}`;
    throw invalidInput(
      `-r many_to_many:${relationship.name}:${label}: ${owner.resource} joined to itself needs its two keys named; both would be ${snakeCase(owner.resource)}_id.`,
      `Name them, this resource's first: --join-keys follower_id,followee_id. Or generate the join: joinery gen resource ${through.domain ?? owner.domain} ${through.resource} -r belongs_to:follower:${label}:primary_key -r belongs_to:followee:${label}:primary_key.`,
    );
  }
  const [source, target] = owner.joinKeys.map((key) => key.replace(/_id$/, '')) as [string, string];
  return [source, target];
}
