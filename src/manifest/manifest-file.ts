/**
 * Reading and recording joinery.json through the ChangeSet, like every other file: the recorded
 * entry is planned with the rest of the run, shown by --dry-run, checked by --check and written
 * all-or-nothing. An entry that says the same thing as before is not rewritten.
 */
import path from 'node:path';
import type { ChangeSet } from '../change-set/change-set.js';
import { invalidInput } from '../errors.js';
import { entryFromSpec } from './entry-from-spec.js';
import {
  emptyManifest,
  entryKey,
  MANIFEST_FILE,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { parseManifest } from './parse-manifest.js';
import { sameEntry, serializeManifest } from './serialize-manifest.js';
import type { ResourceSpec } from '../flags/types.js';

export const manifestPath = (root: string): string => path.join(root, MANIFEST_FILE);

export function readManifest(changes: ChangeSet): Manifest {
  const text = changes.read(manifestPath(changes.root));
  return text === undefined ? emptyManifest() : parseManifest(text);
}

/** Two entries must not claim one table: a second key would converge into the first's table. */
export function assertTableUnclaimed(manifest: Manifest, key: string, table: string): void {
  for (const [other, entry] of manifest.entries) {
    if (other !== key && entry.table === table) {
      throw invalidInput(
        `Table ${table} is already recorded in ${MANIFEST_FILE} as ${other}; ${key} would change the same table.`,
        `Use joinery gen resource ${other.replace(/\.(?=[^.]*$)/, ' ')} ..., or pass --table <another_name>.`,
      );
    }
  }
}

export interface RecordInput {
  spec: ResourceSpec;
  table: string;
  /** Absolute paths of files this run creates or updates (migrations apart). */
  files: string[];
  /** The migration this run produces, when its files are known. */
  migration: { name: string; files: string[] } | undefined;
  /** --no-migration. */
  skipMigration: boolean;
}

/** The entry after this run: the recorded one grown by what the run adds. */
export function nextEntry(
  recorded: ManifestEntry | undefined,
  input: RecordInput,
  relative: (file: string) => string,
): ManifestEntry {
  const spec = entryFromSpec(input.spec, input.table);
  const migrations = [...(recorded?.migrations ?? [])];
  if (input.migration && input.migration.files.length > 0) {
    migrations.push({ name: input.migration.name, files: input.migration.files.map(relative) });
  }
  return {
    ...spec,
    ...(input.skipMigration ? { skipMigration: true } : {}),
    files: [...new Set([...(recorded?.files ?? []), ...input.files.map(relative)])].sort(),
    migrations,
  };
}

/** Plans joinery.json with `entry` in it; returns false when the recorded entry is the same. */
export function recordEntry(changes: ChangeSet, manifest: Manifest, entry: ManifestEntry): boolean {
  const key = entryKey(entry);
  const recorded = manifest.entries.get(key);
  if (recorded && sameEntry(recorded, entry)) return false;
  manifest.entries.set(key, entry);
  changes.write(manifestPath(changes.root), serializeManifest(manifest));
  return true;
}
