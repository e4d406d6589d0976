/**
 * Reading and recording joinery.json through the ChangeSet, like every other file: the recorded
 * entry is planned with the rest of the run, shown by --dry-run, checked by --check and written
 * all-or-nothing. An entry that says the same thing as before is not rewritten.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../change-set/change-set.js';
import { invalidInput } from '../errors.js';
import { entryFromSpec } from './entry-from-spec.js';
import {
  entryFile,
  entryKey,
  MANIFEST_DIR,
  MANIFEST_FILE,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { assembleManifest } from './parse-manifest.js';
import { MANIFEST_INDEX_TEXT, sameEntry, serializeEntry } from './serialize-manifest.js';
import type { ResourceSpec } from '../flags/types.js';

export const manifestPath = (root: string): string => path.join(root, MANIFEST_FILE);

/** joinery.json or an entry file in joinery/: joinery's own record, not generated code. */
export function isManifestFile(root: string, file: string): boolean {
  const relative = path.relative(root, file).split(path.sep).join('/');
  return (
    relative === MANIFEST_FILE ||
    (relative.startsWith(`${MANIFEST_DIR}/`) &&
      relative.endsWith('.json') &&
      !relative.slice(MANIFEST_DIR.length + 1).includes('/'))
  );
}

export interface ManifestTexts {
  index: string | undefined;
  /** Entry files, `joinery/<key>.json`, sorted by name. */
  files: { file: string; text: string }[];
}

/** The texts of joinery.json and joinery/*.json, each read through `read` (absolute paths). */
export function readManifestTexts(
  root: string,
  read: (file: string) => string | undefined,
): ManifestTexts {
  let names: string[];
  try {
    names = readdirSync(path.join(root, MANIFEST_DIR)).filter((name) => name.endsWith('.json'));
  } catch {
    names = [];
  }
  const files = names.sort().flatMap((name) => {
    const file = `${MANIFEST_DIR}/${name}`;
    const text = read(path.join(root, file));
    return text === undefined ? [] : [{ file, text }];
  });
  return { index: read(manifestPath(root)), files };
}

export function readManifest(changes: ChangeSet): Manifest {
  const { index, files } = readManifestTexts(changes.root, (file) => changes.read(file));
  return assembleManifest(index, files);
}

/** Two entries must not claim one table: a second key would converge into the first's table. */
export function assertTableUnclaimed(manifest: Manifest, key: string, table: string): void {
  for (const [other, entry] of manifest.entries) {
    if (other !== key && entry.table === table) {
      throw invalidInput(
        `Table ${table} is already recorded in ${entryFile(other)} as ${other}; ${key} would change the same table.`,
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
  /** The target --orm chose, when it was given. */
  orm?: string | undefined;
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
  const orm = input.orm ?? recorded?.orm;
  return {
    ...spec,
    ...(orm === undefined ? {} : { orm }),
    ...(input.skipMigration ? { skipMigration: true } : {}),
    files: [...new Set([...(recorded?.files ?? []), ...input.files.map(relative)])].sort(),
    migrations,
  };
}

/**
 * Plans `joinery/<key>.json` with `entry` (and the index beside it); returns false when the
 * recorded entry is the same. A manifest read from the single-file layout moves to the folder
 * here, every entry at once, so joinery.json never holds entries again.
 */
export function recordEntry(changes: ChangeSet, manifest: Manifest, entry: ManifestEntry): boolean {
  const key = entryKey(entry);
  const recorded = manifest.entries.get(key);
  if (recorded && sameEntry(recorded, entry)) return false;
  manifest.entries.set(key, entry);
  const toWrite = manifest.singleFile ? [...manifest.entries.keys()] : [key];
  for (const written of toWrite) {
    changes.write(
      path.join(changes.root, entryFile(written)),
      serializeEntry(manifest.entries.get(written)!),
    );
  }
  manifest.singleFile = false;
  changes.write(manifestPath(changes.root), MANIFEST_INDEX_TEXT);
  return true;
}

/**
 * The ORM the entries were generated for with --orm, so `check` and `sync` in a project that
 * depends on more than one replay them without it. Entries that disagree need --orm.
 */
export function recordedOrm(manifest: Manifest): string | undefined {
  const orms = new Set([...manifest.entries.values()].flatMap((entry) => entry.orm ?? []));
  if (orms.size <= 1) return [...orms][0];
  throw invalidInput(
    `${MANIFEST_DIR}/: entries were generated for different ORMs (${[...orms].sort().join(', ')}), and one run replays one.`,
    `Pass --orm ${[...orms].sort().join(' or --orm ')}.`,
  );
}

/** Tables of entries made with --no-migration, whose migrations the project makes itself. */
export function unmigratedTables(manifest: Manifest): Set<string> {
  return new Set(
    [...manifest.entries.values()]
      .filter((entry) => entry.skipMigration)
      .map((entry) => entry.table),
  );
}

/** The manifest files among a change set's changes (formatted as joinery's own). */
export function manifestChanges(changes: ChangeSet): string[] {
  return changes
    .listChanges()
    .map((change) => change.file)
    .filter((file) => isManifestFile(changes.root, file));
}
