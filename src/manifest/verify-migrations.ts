/**
 * The migrations an entry recorded, compared with what the entry says, by text: each recorded file
 * exists, the first one names the table, and every column of the entry appears in one of them.
 * ORM-neutral (drizzle's SQL and TypeORM's classes both spell the names out) and cheap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ManifestEntry } from './manifest.js';

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

/** Problems found, as sentences; empty when the migrations agree with the entry. */
export function verifyMigrations(root: string, entry: ManifestEntry): string[] {
  if (entry.migrations.length === 0) return [];
  const problems: string[] = [];
  const texts: string[] = [];
  entry.migrations.forEach((migration, index) => {
    const sources = migration.files.filter((file) => SOURCE.test(file));
    for (const file of migration.files) {
      const text = readOrUndefined(path.join(root, file));
      if (text === undefined) {
        problems.push(`migration ${migration.name}: ${file} is missing.`);
      } else if (sources.includes(file)) {
        texts.push(text);
        if (index === 0 && !text.includes(entry.table)) {
          problems.push(
            `migration ${migration.name}: ${file} does not mention table ${entry.table}.`,
          );
        }
      }
    }
  });
  if (problems.length > 0) return problems;
  if (!entry.migrations[0]!.name.startsWith('create_')) {
    // A table joinery took over was created by the project's own migrations, beside its own.
    texts.push(...siblingMigrations(root, entry));
  }
  const all = texts.join('\n');
  const missing = entryColumns(entry)
    .filter((column) => !new RegExp(`\\b(?:${column})\\b`).test(all))
    .map((column) => column.split('|')[0]!);
  if (missing.length > 0) {
    problems.push(
      `no recorded migration creates ${missing.join(', ')} in ${entry.table}: the entity or schema and its migrations disagree.`,
    );
  }
  return problems;
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
