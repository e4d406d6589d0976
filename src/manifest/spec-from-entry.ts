/**
 * A manifest entry → ResourceSpec, through the same flag grammar as the command line: nothing in
 * the manifest reaches a template or SQL without passing the identifier checks of parse-flags.ts.
 * The spec is also read as the model it will be planned as (a join, or a plain resource), so an
 * entry no command line could have produced is refused here, at the entry's file, line and column,
 * before anything is planned.
 */
import { invalidInput, JoineryError } from '../errors.js';
import { buildResourceSpec } from '../flags/parse-flags.js';
import type { ResourceSpec } from '../flags/types.js';
import { toJoinModel } from '../join/join-model.js';
import { expandRelationships } from '../resource/expand-relationships.js';
import { isJoinSpec, toResourceModel } from '../resource/resource-model.js';
import { entryFile, entryKey, type ManifestEntry } from './manifest.js';
import { positionInEntry, sourceOf } from './parse-manifest.js';

export function specFromEntry(entry: ManifestEntry): ResourceSpec {
  try {
    const spec = buildResourceSpec({
      names: [entryKey(entry)],
      primaryKey: entry.primaryKey,
      attributes: entry.attributes,
      relationships: entry.relationships,
      timestamps: entry.timestamps,
      uuidPrimaryKey: entry.uuidPrimaryKey,
      uuidV7PrimaryKey: entry.uuidV7PrimaryKey,
      integerPrimaryKey: entry.integerPrimaryKey,
      table: entry.table,
      conflicts: undefined,
      ignoreIfExists: false,
      helpers: entry.helpers === true,
      manyToManyNames: entry.manyToManyNames,
      inverseNames: entry.inverseNames,
    });
    assertPlannable(spec);
    return spec;
  } catch (error) {
    if (!(error instanceof JoineryError)) throw error;
    const where = replayPosition(entry, error.message);
    throw invalidInput(
      `${where}: entry "${entryKey(entry)}": ${error.message}`,
      `Fix that entry in ${where.replace(/(?::\d+)+$/, '')} (or delete it and run joinery gen resource again). ${error.hint ?? ''}`.trim(),
    );
  }
}

/** The checks the planners make of a spec before reading the project, made of the entry now. */
function assertPlannable(spec: ResourceSpec): void {
  const { resource } = expandRelationships(spec);
  if (!resource) return;
  if (isJoinSpec(resource)) toJoinModel(resource);
  else toResourceModel(resource);
}

/** The recorded value the message quotes (the bad attribute or relationship), else the entry. */
function replayPosition(entry: ManifestEntry, message: string): string {
  const source = sourceOf(entry);
  if (!source) return entryFile(entryKey(entry));
  const values = [
    ...entry.attributes,
    ...entry.relationships,
    ...entry.primaryKey,
    ...Object.values(entry.manyToManyNames ?? {}),
    ...Object.values(entry.inverseNames ?? {}),
  ];
  const quoted =
    values.find((value) => message.includes(value)) ??
    values.find((value) =>
      value.split(':').some((part) => part !== '' && message.includes(`"${part}"`)),
    );
  return positionInEntry(source, quoted);
}
