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
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Recorded migration files gone from disk (relative), for the replay to plan again where it can. */
export function missingMigrationFiles(root: string, entry: ManifestEntry): string[] {
  return entry.migrations.flatMap((migration) =>
    migration.files.filter((file) => !existsSync(path.join(root, file))),
  );
}

/** The files a replay would create, by relative path, with the text it would write. */
export function plannedFiles(planned: {
  changes: readonly { file: string; kind: string; after: string }[];
  changeSet: { relative(file: string): string };
}): Map<string, string> {
  return new Map(
    planned.changes
      .filter((change) => change.kind === 'create')
      .map((change) => [planned.changeSet.relative(change.file), change.after]),
  );
}

/** What is wrong with the recorded migrations, one difference each; empty when all agree. */
export function verifyMigrations(root: string, entry: ManifestEntry): Difference[] {
  if (entry.migrations.length === 0) return [];
  const found: Difference[] = [];
  const texts: string[] = [];
  const journals = new Map<string, Set<string> | undefined>();
  let checksummed = true;
  entry.migrations.forEach((migration, index) => {
    const gone = migration.files.filter((file) => !existsSync(path.join(root, file)));
    const regenerable = gone.length > 0 && drizzleRegenerable(root, migration.files, gone);
    for (const file of migration.files) {
      const text = readOrUndefined(path.join(root, file));
      const recorded = migration.sha256?.[file];
      if (text === undefined) {
        if (regenerable === true) {
          // Only the SQL file is reported; its snapshot and journal entry went with it.
          if (file.endsWith('.sql')) {
            found.push({
              file,
              expected: `migration ${migration.name}`,
              found: 'no file, and no journal entry or snapshot for it either',
              repair: 'sync',
            });
          }
          continue;
        }
        found.push({
          file,
          expected: `migration ${migration.name}`,
          found: 'no file',
          repair: 'manual',
          hint:
            typeof regenerable === 'string' ? `${restore(file)}; ${regenerable}` : restore(file),
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

/**
 * Can drizzle-kit write a recorded migration again? Only when it is gone whole: its SQL file, its
 * snapshot, and its entry in the journal, and no later migration was generated after it (that
 * one's snapshot already has the table, so drizzle-kit would see nothing to do). Then
 * `drizzle-kit generate` diffs the schema against the snapshot before it and writes the same
 * migration again. True when it can; otherwise what to do instead (a string), or undefined when
 * this is no drizzle-kit journal migration.
 */
function drizzleRegenerable(
  root: string,
  files: string[],
  gone: string[],
): true | string | undefined {
  const sql = files.find((file) => file.endsWith('.sql'));
  if (!sql || !gone.includes(sql)) return undefined;
  const journal = journalTags(root, sql, new Map());
  if (!journal) return undefined;
  const tag = path.posix.basename(sql, '.sql');
  const present = files.filter((file) => !gone.includes(file));
  const regenerate = `then joinery sync generates it again with drizzle-kit`;
  if (journal.tags.has(tag)) {
    return `if it was never applied anywhere, remove its entry from ${journal.journal}${present.length > 0 ? ` and ${present.join(', ')}` : ''}, ${regenerate}`;
  }
  if (present.length > 0) {
    return `if it was never applied anywhere, remove ${present.join(', ')} too, ${regenerate}`;
  }
  const later = [...journal.tags].filter((other) => other.localeCompare(tag) > 0);
  if (later.length > 0) {
    return `drizzle-kit cannot write it again after the later ${later.join(', ')}`;
  }
  return true;
}

/**
 * check and sync, for a target whose migration is source it plans (TypeORM): a recorded
 * migration file that is gone and that the replay planned again at its path is restored by sync
 * when it came out byte for byte as recorded (the checksum agrees), so it is what was applied;
 * otherwise it stays a difference sync refuses, now saying why. The replay's own "create" of it is
 * then dropped from the differences, so each file is one line.
 */
export function settleMissingMigrations(
  differences: Difference[],
  entry: ManifestEntry,
  planned: ReadonlyMap<string, string>,
): Difference[] {
  const recorded = new Map(
    entry.migrations.flatMap((migration) =>
      migration.files.map((file) => [file, migration.sha256?.[file]] as const),
    ),
  );
  const missing = new Set(
    differences
      .filter((difference) => difference.found === 'no file' && recorded.has(difference.file))
      .map((difference) => difference.file),
  );
  return differences.flatMap((difference): Difference[] => {
    if (!missing.has(difference.file)) return [difference];
    const text = planned.get(difference.file);
    if (difference.repair === 'sync') return []; // the replay's "create" line
    if (text === undefined) return [difference];
    const sha = recorded.get(difference.file);
    if (sha !== undefined && migrationChecksum(text) === sha) {
      return [{ ...difference, repair: 'sync', hint: undefined }];
    }
    return [
      {
        ...difference,
        hint: `${restore(difference.file)}; joinery would write it differently now${sha === undefined ? ' (no checksum was recorded to compare)' : ` (sha256 ${migrationChecksum(text).slice(0, 12)}…, recorded ${sha.slice(0, 12)}…)`}, so it is not the migration that was applied`,
      },
    ];
  });
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
