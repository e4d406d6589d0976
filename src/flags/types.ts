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

/**
 * `on_delete_*` extends Ash's modifiers so one belongs_to can differ from --on-delete (which sets
 * the rule of every belongs_to in the run); joinery.json records the rule this way.
 */
export const RELATIONSHIP_MODIFIERS = [
  'primary_key',
  'public',
  'required',
  'on_delete_cascade',
  'on_delete_restrict',
  'on_delete_set_null',
] as const;
export type RelationshipModifier = (typeof RELATIONSHIP_MODIFIERS)[number];

export interface AttributeSpec {
  name: string;
  /**
   * The name as the command line gave it (`user_id`), set once a model renamed the attribute to
   * its SQL column (`userId`, see src/rules/naming-sql.ts); messages speak of the flag.
   */
  given?: string;
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

export const ON_DELETE_RULES = ['cascade', 'restrict', 'set-null'] as const;
/** What deleting the referenced row does to a belongs_to's rows (`--on-delete`). */
export type OnDeleteRule = (typeof ON_DELETE_RULES)[number];

export const SURROGATE_KEY_KINDS = ['uuid', 'uuid_v7', 'integer'] as const;
export type SurrogateKeyKind = (typeof SURROGATE_KEY_KINDS)[number];

export interface RelationshipSpec {
  kind: RelationshipKind;
  name: string;
  destination: ResourceRef;
  /** many_to_many only: the join resource (`many_to_many:events:Accounts.UserEvent:Works.Event`). */
  through?: ResourceRef | undefined;
  /** belongs_to and has_many: from an `on_delete_*` modifier or --on-delete; undefined means the default. */
  onDelete?: OnDeleteRule | undefined;
  primaryKey: boolean;
  required: boolean;
  public: boolean;
}

/** The spec (and joinery.json entry) fields that name relationships by belongs_to. */
export const RELATIONSHIP_NAME_FIELDS = ['manyToManyNames', 'inverseNames'] as const;
export type RelationshipNameField = (typeof RELATIONSHIP_NAME_FIELDS)[number];

export interface ResourceSpec {
  domain: string;
  resource: string;
  /** Attributes in command-line order, primary-key parts first if declared only with --primary-key. */
  attributes: AttributeSpec[];
  relationships: RelationshipSpec[];
  timestamps: boolean;
  /** --uuid-primary-key / --uuid-v7-primary-key / --integer-primary-key (plain resources). */
  surrogateKey: { name: string; kind: SurrogateKeyKind } | undefined;
  table: string | undefined;
  conflicts: 'ignore' | 'replace' | undefined;
  ignoreIfExists: boolean;
  /** --helpers: also generate the relationship helpers module (load, append, remove, set). */
  helpers: boolean;
  /**
   * A join made from `-r many_to_many:attended:Works.Event` on User: what each side calls the
   * relationship through it, keyed by the join's belongs_to (`{ user: 'attended' }`). Only names
   * other than the default (the other key's plural, `events`) are kept.
   */
  manyToManyNames?: Record<string, string>;
  /**
   * A belongs_to made from `-r has_many:hosted_events:Works.Event` on User: the name User gives the
   * has-many back, keyed by belongs_to (`{ user: 'hosted_events' }`); only names other than the
   * default (the resource's plural, `events`) are kept.
   */
  inverseNames?: Record<string, string>;
  /**
   * `--join-keys follower_id,followee_id`: the keys of the join a self `-r many_to_many` makes
   * (the resource's own first); never recorded, the join's entry records its keys.
   */
  joinKeys?: [string, string];
  /** The relationship this spec was expanded from (`-r has_many:gadgets:Works.Gadget` on User), for messages; never recorded. */
  origin?: string;
}
