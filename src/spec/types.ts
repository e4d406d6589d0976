/** The normalized description of one resource, built from the command line (see parse-flags.ts). */

export const ATTRIBUTE_TYPES = [
  'uuid',
  'string',
  'text',
  'integer',
  'bigint',
  'boolean',
  'float',
  'decimal',
  'date',
  'utc_datetime',
  'utc_datetime_usec',
  'naive_datetime',
  'map',
  'json',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const ATTRIBUTE_MODIFIERS = [
  'primary_key',
  'public',
  'required',
  'sensitive',
  'array',
] as const;
export type AttributeModifier = (typeof ATTRIBUTE_MODIFIERS)[number];

export const RELATIONSHIP_KINDS = ['belongs_to', 'has_many', 'has_one', 'many_to_many'] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];

export const RELATIONSHIP_MODIFIERS = ['primary_key', 'public', 'required'] as const;
export type RelationshipModifier = (typeof RELATIONSHIP_MODIFIERS)[number];

export interface AttributeSpec {
  name: string;
  /** Absent when only named as a primary-key part: the type then follows the referenced key. */
  type: AttributeType | undefined;
  primaryKey: boolean;
  required: boolean;
  public: boolean;
  sensitive: boolean;
  array: boolean;
}

export interface ResourceRef {
  domain: string | undefined;
  resource: string;
}

export interface RelationshipSpec {
  kind: RelationshipKind;
  name: string;
  destination: ResourceRef;
  primaryKey: boolean;
  required: boolean;
  public: boolean;
}

export interface ResourceSpec {
  domain: string;
  resource: string;
  /** Attributes in command-line order, primary-key parts first if declared only with --primary-key. */
  attributes: AttributeSpec[];
  relationships: RelationshipSpec[];
  timestamps: boolean;
  surrogateKey: { name: string; kind: 'uuid' | 'integer' } | undefined;
  table: string | undefined;
  conflicts: 'ignore' | 'replace' | undefined;
  ignoreIfExists: boolean;
  /** --helpers: also generate the relationship helpers module (load, append, remove, set). */
  helpers: boolean;
}
