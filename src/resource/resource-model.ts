/**
 * ORM-neutral reading of a ResourceSpec as a plain resource (anything that is not a two-key join):
 * its table, generated primary key, attributes, timestamps and belongs_to references, each with
 * the inverse has-many the destination gets. Targets turn this into a table/entity (new) or add
 * what is missing to the existing one.
 */
import { invalidInput, type JoineryError } from '../errors.js';
import { createTableMigrationName } from '../rules/migration-names.js';
import { camelCase, pascalCase, pluralizeLast } from '../rules/naming.js';
import { renamed, sqlColumnName, sqlTableName, sqlTimestampNames } from '../rules/naming-sql.js';
import { DEFAULT_SQL_NAMING, type SqlNaming, type TimestampNames } from '../project/conventions.js';
import type {
  AttributeSpec,
  OnDeleteRule,
  ResourceRef,
  ResourceSpec,
  SurrogateKeyKind,
} from '../flags/types.js';

export interface SurrogateKey {
  /** Column/property name as given, `id`. */
  name: string;
  /**
   * uuid: a random (v4) uuid the database generates; uuid_v7: a time-ordered uuid generated in
   * code (neither PostgreSQL before 18 nor SQLite has one built in); integer: an identity /
   * autoincrement column.
   */
  kind: SurrogateKeyKind;
}

export interface BelongsTo {
  /** `organizer`: the relationship on this resource. */
  name: string;
  /**
   * `organizer_id` (`organizerId` where the project's columns are camelCase): the foreign-key
   * column; its type follows the destination's primary key.
   */
  attribute: string;
  destination: ResourceRef;
  /** NOT NULL when required. */
  required: boolean;
  onDelete: OnDeleteRule;
  /** `events` (or `organizerEvents` when two relationships point at one destination): the has-many on the destination. */
  inverse: string;
  /**
   * Set when several relationships link this resource to the same destination, so the ORM can
   * pair each belongs_to with its inverse (Drizzle `relationName`): `events_organizer`.
   */
  relationName: string | undefined;
}

export interface ResourceModel {
  domain: string;
  resource: string;
  /** SQL table name, `events` (`event` where the project's tables are singular). */
  table: string;
  /** Variable/property name of the rows, `events`. */
  collection: string;
  /** Undefined when no key flag was given: only valid for a resource that exists already. */
  primaryKey: SurrogateKey | undefined;
  /**
   * Typed attributes besides the key and the belongs_to columns, in command-line order, named as
   * their SQL columns are.
   */
  attributes: AttributeSpec[];
  belongsTo: BelongsTo[];
  /** inserted_at and updated_at. */
  timestamps: boolean;
  /** The SQL names of the timestamps, in the project's naming. */
  timestampNames: TimestampNames;
  /** The migration that creates the table: `create_events_table`. */
  migrationName: string;
  /** The relationship it was expanded from, for messages (see ResourceSpec.origin). */
  origin?: string;
}

/** A spec is a join when its primary key is exactly two references and nothing generated. */
export function isJoinSpec(spec: ResourceSpec): boolean {
  return !spec.surrogateKey && spec.attributes.filter((a) => a.primaryKey).length === 2;
}

/**
 * The resource as `spec` asks for it, named in SQL under the project's `naming` (the table and
 * column names; --table, or the table joinery.json records, stays as given).
 */
export function toResourceModel(
  spec: ResourceSpec,
  naming: SqlNaming = DEFAULT_SQL_NAMING,
): ResourceModel {
  const keyParts = spec.attributes.filter((attribute) => attribute.primaryKey);
  if (keyParts.length > 0) {
    throw invalidInput(
      `${spec.resource} has a primary key of ${keyParts.map((key) => key.name).join(', ')}: a join resource needs a primary key of exactly two references, a plain resource a generated key.`,
      'Use --uuid-primary-key id, --uuid-v7-primary-key id or --integer-primary-key id; a join resource takes exactly two keys (--primary-key user_id,event_id).',
    );
  }
  for (const relationship of spec.relationships) {
    // has_many and many_to_many were expanded into specs of their own (expand-relationships.ts).
    if (relationship.kind === 'has_one') {
      throw invalidInput(
        `-r has_one:${relationship.name}: joinery does not generate has_one yet.`,
        `Declare belongs_to on ${refText(relationship.destination)} (joinery gen resource ${refText(relationship.destination)} -r belongs_to:<name>:${spec.domain}.${spec.resource}), which adds a has-many back to ${spec.resource}, or -r has_many:<name>:${refText(relationship.destination)}.`,
      );
    }
  }

  if (spec.table?.includes('.')) {
    throw invalidInput(
      `--table ${spec.table}: a schema-qualified table is supported for join resources only.`,
      `Declare the schema on the entity itself, or pass --table ${spec.table.split('.').pop()}.`,
    );
  }
  const table = spec.table ?? sqlTableName(spec.resource, naming);
  const collection = camelCase(pluralizeLast(spec.resource));
  const belongsTo = spec.relationships.filter((r) => r.kind === 'belongs_to');
  const self = belongsTo.find((r) => r.destination.resource === spec.resource);
  if (self) {
    // Both targets: a self-reference needs two named directions, which plain belongs_to lacks.
    throw invalidInput(
      `-r belongs_to:${self.name}: ${spec.resource} referring to itself is not supported yet.`,
      'Point the relationship at another resource, or add the column and its relation by hand.',
    );
  }
  const sameDestination = (ref: ResourceRef) =>
    belongsTo.filter((r) => r.destination.resource === ref.resource).length > 1;
  const attributes = spec.attributes.filter(
    (attribute) => !belongsTo.some((r) => `${r.name}_id` === attribute.name),
  );
  const inverseNames = spec.inverseNames ?? {};
  const stray = Object.keys(inverseNames).find((name) => !belongsTo.some((r) => r.name === name));
  if (stray) {
    throw invalidInput(
      `${spec.resource}: a has_many name is given for "${stray}", which is none of its belongs_to.`,
      `Key inverseNames by belongs_to names (${belongsTo.map((r) => r.name).join(', ') || 'none here'}).`,
    );
  }
  const clash = attributes.find((attribute) => attribute.name === spec.surrogateKey?.name);
  if (clash) {
    throw invalidInput(
      `--attribute ${clash.name} has the name of the primary key.`,
      'Drop that attribute; the key flag declares it.',
    );
  }

  return {
    domain: spec.domain,
    resource: spec.resource,
    table,
    collection,
    primaryKey: spec.surrogateKey && {
      ...spec.surrogateKey,
      name: sqlColumnName(spec.surrogateKey.name, naming),
    },
    attributes: attributes.map((attribute) => renamed(attribute, naming)),
    belongsTo: belongsTo.map((relationship) => {
      const link: BelongsTo = {
        name: relationship.name,
        attribute: sqlColumnName(`${relationship.name}_id`, naming),
        destination: relationship.destination,
        required: relationship.required,
        onDelete: relationship.onDelete ?? 'restrict',
        // Own keys only: a belongs_to named `constructor` must not find Object's.
        inverse: camelCase(
          (Object.hasOwn(inverseNames, relationship.name)
            ? inverseNames[relationship.name]
            : undefined) ?? collection,
        ),
        relationName: undefined,
      };
      const shared = sameDestination(relationship.destination);
      return shared ? distinguished({ table, collection }, link) : link;
    }),
    timestamps: spec.timestamps,
    timestampNames: sqlTimestampNames(naming),
    migrationName: createTableMigrationName(table),
    ...(spec.origin ? { origin: spec.origin } : {}),
  };
}

/**
 * A belongs_to that is not the only link between its table and its destination: its inverse gets
 * a name of its own (`organizerEvents`, unless a has_many named it) and the pair a relationName
 * (`events_organizer`). The model applies it to links declared together; the targets to a link
 * beside one the project already has.
 */
export function distinguished(
  resource: Pick<ResourceModel, 'table' | 'collection'>,
  link: BelongsTo,
): BelongsTo {
  return {
    ...link,
    inverse:
      link.inverse === resource.collection
        ? `${camelCase(link.name)}${pascalCase(resource.collection)}`
        : link.inverse,
    relationName: link.relationName ?? `${resource.table}_${link.name}`,
  };
}

/**
 * A resource the project lacks, asked for without a key flag: what to pass, or, for one a
 * has_many points at, to generate it first.
 */
export function missingResourceError(resource: ResourceModel): JoineryError {
  const label = `${resource.domain}.${resource.resource}`;
  const create = `joinery gen resource ${resource.domain} ${resource.resource} --uuid-primary-key id`;
  if (resource.origin) {
    return invalidInput(
      `${resource.origin}: ${label} does not exist, and joinery adds the has_many's key to it.`,
      `Generate it first (${create} ...), then run this again.`,
    );
  }
  return invalidInput(
    `${label} does not exist yet, and a new resource needs a primary key.`,
    `Pass one: --uuid-primary-key id (a random uuid), --uuid-v7-primary-key id (time-ordered, made in code) or --integer-primary-key id, e.g. ${create} ...`,
  );
}

function refText(ref: ResourceRef): string {
  return ref.domain ? `${ref.domain}.${ref.resource}` : ref.resource;
}
