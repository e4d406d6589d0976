/**
 * Convergence, not overwrite: a new `gen` for a recorded join adds to what joinery.json says it
 * has. Attributes and relationships are merged by name; a definition that contradicts the recorded
 * one (another type, another key, another table) is refused, since joinery never changes an
 * existing column. `--conflicts replace` skips this merge on purpose.
 */
import { invalidInput } from '../errors.js';
import {
  RELATIONSHIP_NAME_FIELDS,
  type AttributeSpec,
  type RelationshipSpec,
  type ResourceSpec,
} from '../flags/types.js';
import { entryFile, entryKey } from './manifest.js';

const replaceHint = (key: string) =>
  `Run the command with --conflicts replace (or --force) to regenerate the join from this command line, or edit ${entryFile(key)}.`;

function mergeAttribute(key: string, recorded: AttributeSpec, given: AttributeSpec): AttributeSpec {
  const differs: string[] = [];
  if (recorded.type && given.type && recorded.type !== given.type) {
    differs.push(`type ${recorded.type}, not ${given.type}`);
  }
  if (recorded.array !== given.array) differs.push(recorded.array ? 'an array' : 'not an array');
  if (!recorded.primaryKey && !given.primaryKey && recorded.required !== given.required) {
    differs.push(recorded.required ? 'required' : 'not required');
  }
  if (differs.length > 0) {
    throw invalidInput(
      `${key}: attribute "${given.name}" is recorded in ${entryFile(key)} as ${differs.join(', ')}; joinery does not change existing columns.`,
      replaceHint(key),
    );
  }
  return {
    ...recorded,
    type: recorded.type ?? given.type,
    public: recorded.public || given.public,
    sensitive: recorded.sensitive || given.sensitive,
  };
}

function sameDestination(a: RelationshipSpec, b: RelationshipSpec): boolean {
  return (
    a.kind === b.kind &&
    a.destination.resource === b.destination.resource &&
    (a.destination.domain === undefined ||
      b.destination.domain === undefined ||
      a.destination.domain === b.destination.domain)
  );
}

export function mergeSpecs(recorded: ResourceSpec, given: ResourceSpec): ResourceSpec {
  const key = entryKey(recorded);
  const keyOf = (spec: ResourceSpec) =>
    spec.attributes.filter((attribute) => attribute.primaryKey).map((attribute) => attribute.name);
  const givenKey = keyOf(given);
  if (givenKey.length > 0 && givenKey.join() !== keyOf(recorded).join()) {
    throw invalidInput(
      `${key} is recorded in ${entryFile(key)} with primary key ${keyOf(recorded).join(',')}, not ${givenKey.join(',')}.`,
      replaceHint(key),
    );
  }
  if (given.table !== undefined && recorded.table !== undefined && given.table !== recorded.table) {
    throw invalidInput(
      `${key} is recorded in ${entryFile(key)} with table ${recorded.table}, not ${given.table}.`,
      replaceHint(key),
    );
  }

  const [recordedKey, givenSurrogate] = [recorded.surrogateKey, given.surrogateKey];
  if (
    recordedKey &&
    givenSurrogate &&
    (recordedKey.name !== givenSurrogate.name || recordedKey.kind !== givenSurrogate.kind)
  ) {
    throw invalidInput(
      `${key} is recorded in ${entryFile(key)} with a ${recordedKey.kind} primary key ${recordedKey.name}; joinery does not change an existing key.`,
      replaceHint(key),
    );
  }

  const attributes = recorded.attributes.map((attribute) => ({ ...attribute }));
  for (const attribute of given.attributes) {
    const index = attributes.findIndex((candidate) => candidate.name === attribute.name);
    if (index < 0) attributes.push({ ...attribute });
    else attributes[index] = mergeAttribute(key, attributes[index]!, attribute);
  }
  const relationships = [...recorded.relationships];
  for (const relationship of given.relationships) {
    const existing = relationships.find((candidate) => candidate.name === relationship.name);
    if (!existing) relationships.push(relationship);
    else if (!sameDestination(existing, relationship)) {
      throw invalidInput(
        `${key}: relationship "${relationship.name}" is recorded in ${entryFile(key)} with another type or destination.`,
        replaceHint(key),
      );
    } else if (
      relationship.onDelete !== undefined &&
      (existing.onDelete ?? 'restrict') !== relationship.onDelete
    ) {
      throw invalidInput(
        `${key}: relationship "${relationship.name}" is recorded in ${entryFile(key)} with on delete ${existing.onDelete ?? 'restrict'}, not ${relationship.onDelete}; joinery does not change an existing foreign key.`,
        replaceHint(key),
      );
    }
  }
  return {
    ...recorded,
    attributes,
    relationships,
    surrogateKey: recordedKey ?? givenSurrogate,
    timestamps: recorded.timestamps || given.timestamps,
    helpers: recorded.helpers || given.helpers,
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) =>
        recorded[field] || given[field] ? [[field, { ...recorded[field], ...given[field] }]] : [],
      ),
    ),
    conflicts: given.conflicts,
    ignoreIfExists: given.ignoreIfExists,
  };
}
