/**
 * The flag grammar of `gen resource`, as pure functions: raw strings in, a ResourceSpec out, or a
 * JoineryError (exit 2) naming the flag, the offending text and the valid choices.
 *
 * Both forms are accepted: the reference's (`--primary-key a,b`, repeated `--attributes n:t:mods`)
 * and Ash's own (`--attribute`/`-a` with comma lists or repeats, `--relationship`/`-r`).
 */
import { invalidInput } from '../errors.js';
import { didYouMean } from '../rules/closest.js';
import {
  ATTRIBUTE_MODIFIERS,
  ATTRIBUTE_TYPES,
  ON_DELETE_RULES,
  RELATIONSHIP_KINDS,
  RELATIONSHIP_MODIFIERS,
  RELATIONSHIP_NAME_FIELDS,
  type AttributeSpec,
  type AttributeType,
  type OnDeleteRule,
  type RelationshipKind,
  type RelationshipModifier,
  type RelationshipNameField,
  type RelationshipSpec,
  type ResourceRef,
  type ResourceSpec,
  type SurrogateKeyKind,
} from './types.js';

export interface GenResourceFlags {
  /** `['Accounts', 'UserEvent']` or `['Accounts.UserEvent']`. */
  names: string[];
  primaryKey: string[];
  attributes: string[];
  relationships: string[];
  timestamps: boolean;
  uuidPrimaryKey: string | undefined;
  integerPrimaryKey: string | undefined;
  /** --uuid-v7-primary-key; absent means not given. */
  uuidV7PrimaryKey?: string | undefined;
  /** --on-delete cascade|restrict|set-null; absent means not given. */
  onDelete?: string | undefined;
  table: string | undefined;
  conflicts: string | undefined;
  ignoreIfExists: boolean;
  /** --helpers; absent means false. */
  helpers?: boolean;
  /** A join's many_to_many names by belongs_to (from expansion or joinery.json, not a flag). */
  manyToManyNames?: Record<string, string> | undefined;
  /** A plain resource's has_many names by belongs_to (from a has_many or joinery.json). */
  inverseNames?: Record<string, string> | undefined;
  /** --directions a,b: a join's two direction names, in key order; absent means not given. */
  directions?: string[] | undefined;
  /** --join-keys a_id,b_id: the keys of the join a self many_to_many makes; absent means not given. */
  joinKeys?: string[] | undefined;
}

const MAX_IDENTIFIER = 63; // PostgreSQL truncates longer identifiers silently.
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*$/;
const MODULE_NAME = /^[A-Z][A-Za-z0-9]*$/;
/** `Works.Event`: tells a many_to_many's join resource from a modifier. */
const MODULE_PATH = /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*$/;
/** Ash allows `:string` and friends; a leading colon is harmless, so accept it. */
const TYPE_ALIASES: Record<string, AttributeType> = {
  uuid_v7: 'uuid',
  ci_string: 'string',
  int: 'integer',
  bool: 'boolean',
  datetime: 'utc_datetime',
};

export function parseAttributeName(name: string, flag: string): string {
  if (!ATTRIBUTE_NAME.test(name) || name.length > MAX_IDENTIFIER) {
    throw invalidInput(
      `${flag}: "${name}" is not a valid attribute name.`,
      'Use snake_case: a lower-case letter, then letters, digits or underscores (at most 63).',
    );
  }
  return name;
}

/**
 * `--table user_events`, or `--table app.user_events` for a join whose table lives in a
 * PostgreSQL schema (TypeORM): each part a valid name.
 */
export function parseTableName(value: string): { schema?: string; table: string } {
  const parts = value.split('.');
  if (parts.length === 2) {
    const [schema, table] = parts as [string, string];
    if (ATTRIBUTE_NAME.test(schema) && schema.length <= MAX_IDENTIFIER) {
      return { schema, table: parseAttributeName(table, '--table') };
    }
    throw invalidInput(
      `--table: "${schema}" in "${value}" is not a valid schema name.`,
      'Use --table <name> or --table <schema>.<name>, each a lower-case letter, then letters, digits or underscores (at most 63).',
    );
  }
  return { table: parseAttributeName(value, '--table') };
}

export function parseModuleName(name: string, what: string): string {
  if (!MODULE_NAME.test(name) || name.length > MAX_IDENTIFIER) {
    throw invalidInput(
      `${what} "${name}" is not a valid name.`,
      'Use PascalCase: an upper-case letter, then letters or digits, e.g. Accounts or UserEvent.',
    );
  }
  return name;
}

/** `Accounts UserEvent`, `Accounts.UserEvent` or `MyApp.Accounts.UserEvent`. */
export function parseResourceNames(names: readonly string[]): { domain: string; resource: string } {
  const parts = names.flatMap((name) => name.split('.'));
  if (parts.length < 2) {
    throw invalidInput(
      `gen resource needs a domain and a resource name, got "${names.join(' ')}".`,
      'Example: joinery gen resource Accounts UserEvent (or Accounts.UserEvent).',
    );
  }
  parts.forEach((part) => parseModuleName(part, 'Domain or resource'));
  return { domain: parts.slice(0, -1).join('.'), resource: parts.at(-1)! };
}

/** `Accounts.User` or `User`. */
export function parseResourceRef(text: string, flag: string): ResourceRef {
  const parts = text.split('.');
  parts.forEach((part) => parseModuleName(part, `${flag}: destination`));
  return {
    domain: parts.length > 1 ? parts.slice(0, -1).join('.') : undefined,
    resource: parts.at(-1)!,
  };
}

/** Splits comma lists and rejects empty entries such as a trailing comma. */
export function splitList(values: readonly string[], flag: string): string[] {
  return values.flatMap((value) => {
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.some((entry) => entry === '')) {
      throw invalidInput(
        `${flag} "${value}" has an empty entry (a trailing or doubled comma?).`,
        `Separate entries with single commas, e.g. ${flag} user_id:uuid,event_id:uuid.`,
      );
    }
    return entries;
  });
}

export function parseAttributeType(text: string, flag: string): AttributeType {
  const name = text.replace(/^:/, '');
  if ((ATTRIBUTE_TYPES as readonly string[]).includes(name)) return name as AttributeType;
  const alias = TYPE_ALIASES[name];
  if (alias) return alias;
  throw invalidInput(
    `${flag}: unknown type "${text}"${didYouMean(name, ATTRIBUTE_TYPES)}.`,
    `Valid types: ${ATTRIBUTE_TYPES.join(', ')}.`,
  );
}

/** `user_id:uuid:required:primary_key` → AttributeSpec. */
export function parseAttribute(text: string, flag = '--attribute'): AttributeSpec {
  const [name = '', type, ...modifiers] = text.split(':');
  parseAttributeName(name, `${flag} "${text}"`);
  if (type === undefined || type === '') {
    throw invalidInput(
      `${flag} "${text}" has no type.`,
      `Write name:type[:modifiers], e.g. ${flag} ${name}:string:required. Valid types: ${ATTRIBUTE_TYPES.join(', ')}.`,
    );
  }
  const attribute: AttributeSpec = {
    name,
    type: parseAttributeType(type, `${flag} "${text}"`),
    primaryKey: false,
    required: false,
    public: false,
    sensitive: false,
    array: false,
  };
  for (const modifier of modifiers) {
    switch (parseModifier(modifier, ATTRIBUTE_MODIFIERS, `${flag} "${text}"`)) {
      case 'primary_key':
        attribute.primaryKey = true;
        attribute.required = true;
        break;
      case 'required':
        attribute.required = true;
        break;
      case 'public':
        attribute.public = true;
        break;
      case 'sensitive':
        attribute.sensitive = true;
        break;
      case 'array':
        attribute.array = true;
        break;
    }
  }
  return attribute;
}

function parseModifier<T extends string>(text: string, valid: readonly T[], where: string): T {
  if ((valid as readonly string[]).includes(text)) return text as T;
  throw invalidInput(
    `${where}: unknown modifier "${text}"${didYouMean(text, valid)}.`,
    `Valid modifiers: ${valid.join(', ')}.`,
  );
}

/**
 * `belongs_to:user:Accounts.User:primary_key:required` → RelationshipSpec. A many_to_many may
 * name its join resource before the destination, as Ash does:
 * `many_to_many:events:Accounts.UserEvent:Works.Event`.
 */
export function parseRelationship(text: string, flag = '--relationship'): RelationshipSpec {
  const parts = text.split(':');
  const [kind = '', name = ''] = parts;
  const where = `${flag} "${text}"`;
  const withThrough = kind === 'many_to_many' && MODULE_PATH.test(parts[3] ?? '');
  const through = withThrough ? parts[2] : undefined;
  const [destination = '', ...modifiers] = parts.slice(withThrough ? 3 : 2);
  if (!(RELATIONSHIP_KINDS as readonly string[]).includes(kind)) {
    throw invalidInput(
      `${where}: unknown relationship type "${kind}"${didYouMean(kind, RELATIONSHIP_KINDS)}.`,
      `Write type:name:Destination[:modifiers]; valid types: ${RELATIONSHIP_KINDS.join(', ')}.`,
    );
  }
  if (!name || !destination) {
    throw invalidInput(
      `${where} needs a name and a destination.`,
      `Write type:name:Destination[:modifiers], e.g. ${flag} belongs_to:user:Accounts.User:required.`,
    );
  }
  parseAttributeName(name, where);
  const relationship: RelationshipSpec = {
    kind: kind as RelationshipKind,
    name,
    destination: parseResourceRef(destination, where),
    ...(through === undefined ? {} : { through: parseResourceRef(through, where) }),
    primaryKey: false,
    required: false,
    public: false,
  };
  for (const modifier of modifiers) {
    const parsed: RelationshipModifier = parseModifier(modifier, RELATIONSHIP_MODIFIERS, where);
    if (parsed === 'primary_key') {
      if (kind !== 'belongs_to') {
        throw invalidInput(
          `${where}: primary_key applies to belongs_to only (it makes <name>_id a key part).`,
          `Drop :primary_key, or declare the key with -r belongs_to:${name}:${destination}:primary_key.`,
        );
      }
      relationship.primaryKey = relationship.required = true;
    }
    if (parsed === 'required') relationship.required = true;
    if (parsed === 'public') relationship.public = true;
    if (parsed.startsWith('on_delete_')) {
      if (kind !== 'belongs_to' && kind !== 'has_many') {
        throw invalidInput(
          `${where}: ${parsed} applies to belongs_to and has_many only.`,
          'The rule belongs on a relationship joinery makes a foreign key for.',
        );
      }
      relationship.onDelete = parsed.slice('on_delete_'.length).replace('_', '-') as OnDeleteRule;
    }
  }
  return relationship;
}

/** Merges repeated declarations of one attribute (e.g. from --primary-key and --attribute). */
function mergeAttribute(into: AttributeSpec, from: AttributeSpec, flag: string): void {
  if (into.type && from.type && into.type !== from.type) {
    throw invalidInput(
      `${flag}: attribute "${from.name}" is declared twice with different types (${into.type} and ${from.type}).`,
      'Declare each attribute once.',
    );
  }
  into.type ??= from.type;
  for (const key of ['primaryKey', 'required', 'public', 'sensitive', 'array'] as const) {
    into[key] ||= from[key];
  }
}

function blankAttribute(name: string): AttributeSpec {
  return {
    name,
    type: undefined,
    primaryKey: false,
    required: false,
    public: false,
    sensitive: false,
    array: false,
  };
}

export function buildResourceSpec(flags: GenResourceFlags): ResourceSpec {
  const { domain, resource } = parseResourceNames(flags.names);
  const attributes: AttributeSpec[] = [];
  const byName = new Map<string, AttributeSpec>();
  const add = (attribute: AttributeSpec, flag: string) => {
    const existing = byName.get(attribute.name);
    if (existing) mergeAttribute(existing, attribute, flag);
    else {
      byName.set(attribute.name, attribute);
      attributes.push(attribute);
    }
  };

  // Primary-key parts come first so the key order is the order given in --primary-key.
  const keyNames = splitList(flags.primaryKey, '--primary-key');
  for (const name of keyNames) {
    parseAttributeName(name, '--primary-key');
    if (keyNames.indexOf(name) !== keyNames.lastIndexOf(name)) {
      throw invalidInput(
        `--primary-key names "${name}" twice: a join's two keys need two names.`,
        'For a resource joined to itself, name each side, e.g. --primary-key follower_id,followee_id -r belongs_to:follower:Accounts.User:primary_key -r belongs_to:followee:Accounts.User:primary_key.',
      );
    }
    add({ ...blankAttribute(name), primaryKey: true, required: true }, '--primary-key');
  }
  for (const text of splitList(flags.attributes, '--attribute')) {
    add(parseAttribute(text), '--attribute');
  }

  const relationships = splitList(flags.relationships, '--relationship').map((text) =>
    parseRelationship(text),
  );
  const seen = new Set<string>();
  for (const relationship of relationships) {
    if (seen.has(relationship.name)) {
      throw invalidInput(
        `--relationship: "${relationship.name}" is declared twice.`,
        'Declare each relationship once.',
      );
    }
    seen.add(relationship.name);
    // belongs_to x with primary_key makes x_id a key part (Ash's own way to spell a join key).
    if (relationship.kind === 'belongs_to' && relationship.primaryKey) {
      add({ ...blankAttribute(`${relationship.name}_id`), primaryKey: true, required: true }, '-r');
    }
  }

  const surrogateKey = parseSurrogateKey(flags);
  const onDelete = parseOnDelete(flags.onDelete);
  for (const relationship of relationships) {
    // A has_many becomes a belongs_to on its destination: the same rules apply to its key.
    if (relationship.kind !== 'belongs_to' && relationship.kind !== 'has_many') continue;
    if (relationship.primaryKey) {
      // A join row means nothing without both sides: its keys always cascade.
      if (relationship.onDelete && relationship.onDelete !== 'cascade') {
        throw invalidInput(
          `--relationship: the join key "${relationship.name}" always cascades on delete.`,
          `Drop on_delete_${relationship.onDelete.replace('-', '_')} from it.`,
        );
      }
      continue;
    }
    relationship.onDelete ??= onDelete;
    if (relationship.onDelete === 'set-null' && relationship.required) {
      throw invalidInput(
        `on delete set-null cannot apply to the required relationship "${relationship.name}": its column is NOT NULL.`,
        'Drop :required from that relationship, or use --on-delete cascade or restrict.',
      );
    }
  }

  if (flags.table !== undefined) parseTableName(flags.table);
  if (flags.conflicts !== undefined && !['ignore', 'replace'].includes(flags.conflicts)) {
    throw invalidInput(
      `--conflicts: unknown value "${flags.conflicts}".`,
      'Valid values: ignore, replace.',
    );
  }

  const directions = parseDirections(flags.directions, attributes, relationships);
  const joinKeys = parseJoinKeys(flags.joinKeys);
  const names: Partial<Record<RelationshipNameField, Record<string, string> | undefined>> = {
    ...flags,
    ...(directions ? { manyToManyNames: { ...flags.manyToManyNames, ...directions } } : {}),
  };
  return {
    domain,
    resource,
    attributes,
    relationships,
    timestamps: flags.timestamps,
    surrogateKey,
    table: flags.table,
    conflicts: flags.conflicts as ResourceSpec['conflicts'],
    ignoreIfExists: flags.ignoreIfExists,
    helpers: flags.helpers ?? false,
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) => relationshipNames(field, names[field])),
    ),
    ...(joinKeys ? { joinKeys } : {}),
  };
}

/**
 * `--directions following,followers` on a join: the first key's direction, then the second's,
 * as manyToManyNames keyed by each key's belongs_to (`follower_id` → `follower`).
 */
function parseDirections(
  values: string[] | undefined,
  attributes: AttributeSpec[],
  relationships: RelationshipSpec[],
): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const names = splitList(values, '--directions');
  const keys = attributes.filter((attribute) => attribute.primaryKey);
  if (keys.length !== 2) {
    throw invalidInput(
      '--directions names the two directions of a join, and this resource is not one.',
      'Use it with a join: --primary-key follower_id,followee_id --directions following,followers.',
    );
  }
  if (names.length !== 2) {
    throw invalidInput(
      `--directions needs two names (what a ${keys[0]!.name} row reaches, then what a ${keys[1]!.name} row reaches), got ${names.length}.`,
      'Example: --directions following,followers.',
    );
  }
  names.forEach((name) => parseAttributeName(name, '--directions'));
  const belongsTo = (key: AttributeSpec) =>
    relationships.find((r) => r.kind === 'belongs_to' && `${r.name}_id` === key.name)?.name ??
    key.name.replace(/_id$/, '');
  return { [belongsTo(keys[0]!)]: names[0]!, [belongsTo(keys[1]!)]: names[1]! };
}

/** `--join-keys follower_id,followee_id`: two distinct `<name>_id` attributes. */
function parseJoinKeys(values: string[] | undefined): [string, string] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const keys = splitList(values, '--join-keys');
  keys.forEach((key) => parseAttributeName(key, '--join-keys'));
  if (keys.length !== 2 || keys[0] === keys[1] || !keys.every((key) => /^[a-z]\w*_id$/.test(key))) {
    throw invalidInput(
      `--join-keys needs two different <name>_id keys, got "${keys.join(',')}".`,
      'Example: --join-keys follower_id,followee_id (the first is the resource the many_to_many is declared on).',
    );
  }
  return [keys[0]!, keys[1]!];
}

/** Both the keys (belongs_to names) and the names become identifiers: checked like attributes. */
function relationshipNames(
  field: RelationshipNameField,
  names: Record<string, string> | undefined,
): [RelationshipNameField, Record<string, string>][] {
  if (!names || Object.keys(names).length === 0) return [];
  for (const [belongsTo, name] of Object.entries(names)) {
    parseAttributeName(belongsTo, `${field}: key`);
    parseAttributeName(name, `${field}.${belongsTo}`);
  }
  return [[field, { ...names }]];
}

const SURROGATE_KEY_FLAGS: [SurrogateKeyKind, string, keyof GenResourceFlags][] = [
  ['uuid', '--uuid-primary-key', 'uuidPrimaryKey'],
  ['uuid_v7', '--uuid-v7-primary-key', 'uuidV7PrimaryKey'],
  ['integer', '--integer-primary-key', 'integerPrimaryKey'],
];

function parseSurrogateKey(flags: GenResourceFlags): ResourceSpec['surrogateKey'] {
  const given = SURROGATE_KEY_FLAGS.filter(([, , key]) => flags[key] !== undefined);
  if (given.length > 1) {
    throw invalidInput(
      `${given.map(([, flag]) => flag).join(' and ')} exclude each other.`,
      'Pass one of them.',
    );
  }
  const [kind, flag, key] = given[0] ?? [];
  if (!kind || !flag || !key) return undefined;
  return { name: parseAttributeName(String(flags[key]), flag), kind };
}

function parseOnDelete(text: string | undefined): OnDeleteRule | undefined {
  if (text === undefined) return undefined;
  const rule = text.replace('_', '-');
  if ((ON_DELETE_RULES as readonly string[]).includes(rule)) return rule as OnDeleteRule;
  throw invalidInput(
    `--on-delete: unknown rule "${text}"${didYouMean(rule, ON_DELETE_RULES)}.`,
    `Valid rules: ${ON_DELETE_RULES.join(', ')}.`,
  );
}
