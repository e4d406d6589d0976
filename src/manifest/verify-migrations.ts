/**
 * The migrations an entry recorded, compared with what is on disk: each recorded file exists and,
 * when joinery recorded its checksum, is unchanged since it was generated (as Prisma checksums
 * its applied migrations); a drizzle-kit SQL file is still listed in drizzle-kit's journal (else
 * `drizzle-kit migrate` never applies it). Entries recorded before checksums fall back to text:
 * the first file names the table and every column of the entry appears in one of them.
 * Whether the migrations produce the schema is the ORM's own check (`pendingMigrations`).
 *
 * None of these is repaired by `joinery sync`: a recorded migration may already be applied
 * somewhere, so rewriting it would hide the difference instead of fixing it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Difference } from '../commands/differences.js';
import { MANIFEST_FILE, type ManifestEntry } from './manifest.js';
import { migrationChecksum } from './migration-checksum.js';

const SOURCE = /\.(?:sql|[cm]?[jt]s)$/;

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Column names an entry's table must have, from its recorded spec. */
export function entryColumns(entry: ManifestEntry): string[] {
  const names = [
    ...entry.primaryKey,
    ...entry.attributes.map((attribute) => attribute.split(':')[0]!),
    // The project's own names when it has timestamps (`created_at`), else joinery's.
    ...(entry.timestamps
      ? ['inserted_at|created_at|insertedAt|createdAt', 'updated_at|updatedAt']
      : []),
  ];
  return [...new Set(names)];
}

const restore = (file: string) => `restore it from version control (\`git checkout -- ${file}\`)`;

/** drizzle-kit's journal beside a `<out>/<tag>.sql` file, and the tags it lists. */
function journalTags(
  root: string,
  file: string,
  journals: Map<string, Set<string> | undefined>,
): { journal: string; tags: Set<string> } | undefined {
  const journal = path.posix.join(path.posix.dirname(file), 'meta', '_journal.json');
  if (!journals.has(journal)) {
    const text = readOrUndefined(path.join(root, journal));
    let tags: Set<string> | undefined;
    try {
      const parsed = text === undefined ? undefined : (JSON.parse(text) as { entries?: unknown });
      if (parsed && Array.isArray(parsed.entries)) {
        tags = new Set(
          parsed.entries.map((item) => String((item as { tag?: unknown } | null)?.tag ?? '')),
        );
      }
    } catch {
      tags = new Set();
    }
    journals.set(journal, tags);
  }
  const tags = journals.get(journal);
  return tags ? { journal, tags } : undefined;
}

/** What is wrong with the recorded migrations, one difference each; empty when all agree. */
export function verifyMigrations(root: string, entry: ManifestEntry): Difference[] {
  if (entry.migrations.length === 0) return [];
  const found: Difference[] = [];
  const texts: string[] = [];
  const journals = new Map<string, Set<string> | undefined>();
  let checksummed = true;
  entry.migrations.forEach((migration, index) => {
    for (const file of migration.files) {
      const text = readOrUndefined(path.join(root, file));
      const recorded = migration.sha256?.[file];
      if (text === undefined) {
        found.push({
          file,
          expected: `migration ${migration.name}`,
          found: 'no file',
          repair: 'manual',
          hint: restore(file),
        });
        continue;
      }
      if (recorded === undefined) checksummed = false;
      else if (migrationChecksum(text) !== recorded) {
        const now = migrationChecksum(text);
        found.push({
          file,
          expected: `migration ${migration.name} as generated (sha256 ${recorded.slice(0, 12)}…)`,
          found:
            text.trim() === '' ? 'an empty file' : `an edited file (sha256 ${now.slice(0, 12)}…)`,
          repair: 'manual',
          hint: `${restore(file)}; if the edit is deliberate, record it: set its "sha256" in ${MANIFEST_FILE} to "${now}"`,
        });
      }
      if (!SOURCE.test(file)) continue;
      texts.push(text);
      if (file.endsWith('.sql')) {
        const journal = journalTags(root, file, journals);
        const tag = path.posix.basename(file, '.sql');
        if (journal && !journal.tags.has(tag)) {
          found.push({
            file: journal.journal,
            expected: `an entry for ${tag} (migration ${migration.name})`,
            found: 'none, so drizzle-kit migrate never applies it',
            repair: 'manual',
            hint: restore(journal.journal),
          });
        }
      }
      if (index === 0 && recorded === undefined && !text.includes(entry.table)) {
        found.push({
          file,
          expected: `migration ${migration.name} creating table ${entry.table}`,
          found: 'no mention of it',
          repair: 'manual',
          hint: `${restore(file)}, or put the table's name back in ${MANIFEST_FILE}`,
        });
      }
    }
  });
  if (found.length > 0 || checksummed) return found;
  if (!entry.migrations[0]!.name.startsWith('create_')) {
    // A table joinery took over was created by the project's own migrations, beside its own.
    texts.push(...siblingMigrations(root, entry));
  }
  const all = texts.join('\n');
  const missing = entryColumns(entry)
    .filter((column) => !new RegExp(`\\b(?:${column})\\b`).test(all))
    .map((column) => column.split('|')[0]!);
  if (missing.length > 0) {
    found.push({
      file: entry.migrations[0]!.files[0] ?? MANIFEST_FILE,
      expected: `a migration creating ${missing.join(', ')} in ${entry.table}`,
      found: 'none: the entity or schema and its migrations disagree',
      repair: 'manual',
      hint: 'restore the recorded migrations from version control',
    });
  }
  return found;
}

/** The texts of the other migration files in the folders of an entry's recorded ones. */
function siblingMigrations(root: string, entry: ManifestEntry): string[] {
  const folders = new Set(
    entry.migrations.flatMap((migration) =>
      migration.files.filter((file) => SOURCE.test(file)).map((file) => path.dirname(file)),
    ),
  );
  return [...folders].flatMap((folder) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, folder));
    } catch {
      return [];
    }
    return names
      .filter((name) => SOURCE.test(name))
      .flatMap((name) => readOrUndefined(path.join(root, folder, name)) ?? []);
  });
}
