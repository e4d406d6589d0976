/**
 * A manifest entry → ResourceSpec, through the same flag grammar as the command line: nothing in
 * joinery.json reaches a template or SQL without passing the identifier checks of parse-flags.ts.
 */
import { invalidInput, JoineryError } from '../errors.js';
import { buildResourceSpec } from '../flags/parse-flags.js';
import type { ResourceSpec } from '../flags/types.js';
import { entryKey, MANIFEST_FILE, type ManifestEntry } from './manifest.js';

export function specFromEntry(entry: ManifestEntry): ResourceSpec {
  try {
    return buildResourceSpec({
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
  } catch (error) {
    if (!(error instanceof JoineryError)) throw error;
    throw invalidInput(
      `${MANIFEST_FILE}: entry "${entryKey(entry)}": ${error.message}`,
      `Fix that entry in ${MANIFEST_FILE}. ${error.hint ?? ''}`.trim(),
    );
  }
}
