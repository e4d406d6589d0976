/**
 * ResourceSpec → the normalized manifest fields, written in the flag grammar: attributes as
 * `name:type[:modifiers]` and relationships as `kind:name:Destination[:modifiers]`, modifiers in
 * their canonical order, so equal specs always give equal entries.
 */
import {
  ATTRIBUTE_MODIFIERS,
  RELATIONSHIP_NAME_FIELDS,
  RELATIONSHIP_MODIFIERS,
  type AttributeSpec,
  type RelationshipSpec,
  type ResourceSpec,
} from '../flags/types.js';
import type { ManifestEntry } from './manifest.js';

export type RecordedSpec = Omit<ManifestEntry, 'files' | 'migrations'>;

function attributeText(attribute: AttributeSpec): string | undefined {
  // A key part named only by --primary-key has no type: its type follows the referenced key.
  if (!attribute.type) return undefined;
  const on: Record<(typeof ATTRIBUTE_MODIFIERS)[number], boolean> = {
    // The key is recorded in `primaryKey`; `required` is implied for key parts.
    primary_key: false,
    public: attribute.public,
    required: attribute.required && !attribute.primaryKey,
    sensitive: attribute.sensitive,
    array: attribute.array,
  };
  const modifiers = ATTRIBUTE_MODIFIERS.filter((modifier) => on[modifier]);
  return [attribute.name, attribute.type, ...modifiers].join(':');
}

function relationshipText(relationship: RelationshipSpec): string {
  const on: Record<(typeof RELATIONSHIP_MODIFIERS)[number], boolean> = {
    primary_key: relationship.primaryKey,
    public: relationship.public,
    required: relationship.required && !relationship.primaryKey,
    on_delete_cascade: relationship.onDelete === 'cascade',
    on_delete_restrict: relationship.onDelete === 'restrict',
    on_delete_set_null: relationship.onDelete === 'set-null',
  };
  const { domain, resource } = relationship.destination;
  return [
    relationship.kind,
    relationship.name,
    domain ? `${domain}.${resource}` : resource,
    ...RELATIONSHIP_MODIFIERS.filter((modifier) => on[modifier]),
  ].join(':');
}

export function entryFromSpec(spec: ResourceSpec, table: string): RecordedSpec {
  return {
    domain: spec.domain,
    resource: spec.resource,
    table,
    primaryKey: spec.attributes.filter((attribute) => attribute.primaryKey).map((a) => a.name),
    attributes: spec.attributes.flatMap((attribute) => attributeText(attribute) ?? []),
    relationships: spec.relationships.map(relationshipText),
    timestamps: spec.timestamps,
    ...surrogateKeyFields(spec),
    ...(spec.helpers ? { helpers: true } : {}),
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) =>
        spec[field] ? [[field, { ...spec[field] }]] : [],
      ),
    ),
  };
}

/** The generated key as the flag that asked for it: `"uuidPrimaryKey": "id"`. */
function surrogateKeyFields(spec: ResourceSpec): Partial<RecordedSpec> {
  const key = spec.surrogateKey;
  if (!key) return {};
  const field = SURROGATE_KEY_FIELDS[key.kind];
  return { [field]: key.name };
}

export const SURROGATE_KEY_FIELDS = {
  uuid: 'uuidPrimaryKey',
  uuid_v7: 'uuidV7PrimaryKey',
  integer: 'integerPrimaryKey',
} as const;
