/**
 * Manifest → text: each entry's fields in one fixed order, two-space indentation and a trailing
 * newline, so the same entry always gives the same bytes. The folder layout writes one entry per
 * file and an index that is the same on every branch; the single-file layout (version 1) is kept
 * for reading old projects and for tests.
 */
import { RELATIONSHIP_NAME_FIELDS } from '../flags/types.js';
import {
  MANIFEST_DIR,
  MANIFEST_VERSION,
  SINGLE_FILE_VERSION,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';

/** joinery.json in the folder layout: where the entries are, and the version. */
export const MANIFEST_INDEX_TEXT = `${JSON.stringify({ entries: `${MANIFEST_DIR}/`, version: MANIFEST_VERSION }, null, 2)}\n`;

/** One entry file, `joinery/Accounts.UserEvent.json`. */
export function serializeEntry(entry: ManifestEntry): string {
  return `${JSON.stringify(orderedEntry(entry), null, 2)}\n`;
}

/** Field order inside an entry: what it is, then what it holds, then what it produced. */
function orderedEntry(entry: ManifestEntry): ManifestEntry {
  return {
    domain: entry.domain,
    resource: entry.resource,
    table: entry.table,
    primaryKey: [...entry.primaryKey],
    attributes: [...entry.attributes],
    relationships: [...entry.relationships],
    timestamps: entry.timestamps,
    ...(entry.orm === undefined ? {} : { orm: entry.orm }),
    ...(entry.uuidPrimaryKey === undefined ? {} : { uuidPrimaryKey: entry.uuidPrimaryKey }),
    ...(entry.uuidV7PrimaryKey === undefined ? {} : { uuidV7PrimaryKey: entry.uuidV7PrimaryKey }),
    ...(entry.integerPrimaryKey === undefined
      ? {}
      : { integerPrimaryKey: entry.integerPrimaryKey }),
    ...(entry.helpers ? { helpers: true } : {}),
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) =>
        entry[field] ? [[field, sortedKeys(entry[field])]] : [],
      ),
    ),
    ...(entry.skipMigration ? { skipMigration: true } : {}),
    files: [...new Set(entry.files)].sort(),
    migrations: mergeByName(entry.migrations).map((migration) => ({
      name: migration.name,
      files: [...new Set(migration.files)].sort(),
      ...(migration.sha256 ? { sha256: sortedKeys(migration.sha256) } : {}),
    })),
  };
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** One record per migration name (a hand-written entry may name one before its files exist). */
function mergeByName(migrations: ManifestEntry['migrations']): ManifestEntry['migrations'] {
  const byName = new Map<string, ManifestEntry['migrations'][number]>();
  for (const { name, files, sha256 } of migrations) {
    const merged = byName.get(name);
    const hashes = merged?.sha256 || sha256 ? { ...merged?.sha256, ...sha256 } : undefined;
    byName.set(name, {
      name,
      files: [...(merged?.files ?? []), ...files],
      ...(hashes ? { sha256: hashes } : {}),
    });
  }
  return [...byName.values()];
}

/** The single-file layout (version 1): every entry inside joinery.json, sorted by key. */
export function serializeManifest(
  manifest: Pick<Manifest, 'entries'> & { version?: number },
): string {
  const keys = [...manifest.entries.keys()].sort();
  const object: Record<string, unknown> = {};
  for (const key of keys) object[key] = orderedEntry(manifest.entries.get(key)!);
  object.version = SINGLE_FILE_VERSION;
  return `${JSON.stringify(object, null, 2)}\n`;
}

/** Two entries say the same thing (the text layout aside). */
export function sameEntry(a: ManifestEntry, b: ManifestEntry): boolean {
  return JSON.stringify(orderedEntry(a)) === JSON.stringify(orderedEntry(b));
}
