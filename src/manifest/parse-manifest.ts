/**
 * Text → Manifest, or an exit-2 error naming `joinery.json`, the line and column, and the entry.
 * Checks shape only (types, keys, relative paths); the attribute and relationship strings are
 * checked later by the flag grammar when an entry is replayed (see spec-from-entry.ts).
 */
import { SURROGATE_KEY_FIELDS } from './entry-from-spec.js';
import { RELATIONSHIP_NAME_FIELDS } from '../flags/types.js';
import { invalidInput, type JoineryError } from '../errors.js';
import { jsonErrorOffset } from './json-error-offset.js';
import {
  entryKey,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestEntry,
  type ManifestMigration,
} from './manifest.js';

const MIGRATION_NAME = /^[a-z][a-z0-9_]{0,199}$/;
const ENTRY_KEY = /^[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+$/;
const HINT = `Fix ${MANIFEST_FILE} (or delete the entry and run joinery gen resource again).`;

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where `"key":` first appears at the top level, for messages about one entry. */
function positionOfKey(text: string, key: string): string {
  const offset = text.indexOf(`${JSON.stringify(key)}:`);
  if (offset < 0) return '';
  const { line, column } = lineAndColumn(text, offset);
  return `:${line}:${column}`;
}

function manifestError(where: string, message: string): JoineryError {
  return invalidInput(`${MANIFEST_FILE}${where}: ${message}`, HINT);
}

/**
 * Top-level keys with their offsets, read with a small scanner: JSON.parse keeps the last of two
 * equal keys silently, and a merge can leave the same entry twice.
 */
const COLON = /\s*:/y;

export function topLevelKeys(text: string): { key: string; offset: number }[] {
  const keys: { key: string; offset: number }[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      COLON.lastIndex = end + 1;
      if (depth === 1 && COLON.test(text)) {
        try {
          keys.push({ key: JSON.parse(text.slice(i, end + 1)) as string, offset: i });
        } catch {
          // Malformed string: JSON.parse below reports it with its position.
        }
      }
      i = end;
    } else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
  }
  return keys;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const stated = /at position (\d+)/.exec(message)?.[1];
    const offset = stated ? Number(stated) : (jsonErrorOffset(text) ?? text.length);
    const { line, column } = lineAndColumn(text, offset);
    const found = offset < text.length ? JSON.stringify(text[offset]) : 'the end of the file';
    throw manifestError(
      `:${line}:${column}`,
      `not valid JSON: unexpected ${found} (${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*$/s, '')}).`,
    );
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringArray(value: unknown, where: string, field: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw manifestError(where, `"${field}" must be an array of strings.`);
  }
  return value as string[];
}

function string(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw manifestError(where, `"${field}" must be a non-empty string.`);
  }
  return value;
}

/** Recorded paths are read by `joinery check`: they must stay inside the project. */
export function assertRelativePath(file: string, where: string): string {
  const segments = file.split(/[\\/]/);
  if (
    file === '' ||
    file.startsWith('/') ||
    /^[A-Za-z]:/.test(file) ||
    file.includes('\0') ||
    segments.some((segment) => segment === '..' || segment === '')
  ) {
    throw manifestError(
      where,
      `"${file}" is not a path inside the project (relative, no "..", no empty segments).`,
    );
  }
  return file;
}

/** An object of strings (`{ "user": "attended" }`); its names are checked like flags later. */
function stringRecord(value: unknown, where: string, field: string): Record<string, string> {
  if (!isObject(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw manifestError(
      where,
      `"${field}" must be an object of strings, e.g. { "user": "attended" }.`,
    );
  }
  return { ...(value as Record<string, string>) };
}

function parseMigration(value: unknown, where: string): ManifestMigration {
  if (!isObject(value)) throw manifestError(where, '"migrations" must hold objects.');
  const name = string(value.name, where, 'migrations[].name');
  // It becomes a drizzle-kit argument, a TypeORM class name and part of a file name.
  if (!MIGRATION_NAME.test(name)) {
    throw manifestError(
      where,
      `migration name "${name}" is not snake_case (a lower-case letter, then letters, digits or underscores).`,
    );
  }
  const sha256 = value.sha256 === undefined ? undefined : parseChecksums(value.sha256, where);
  return {
    name,
    files: stringArray(value.files ?? [], where, 'migrations[].files').map((file) =>
      assertRelativePath(file, where),
    ),
    ...(sha256 ? { sha256 } : {}),
  };
}

function parseChecksums(value: unknown, where: string): Record<string, string> {
  if (
    !isObject(value) ||
    !Object.values(value).every((hash) => typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash))
  ) {
    throw manifestError(
      where,
      '"migrations[].sha256" must map each file to its SHA-256 (64 hex digits).',
    );
  }
  return { ...(value as Record<string, string>) };
}

function parseEntry(key: string, value: unknown, where: string): ManifestEntry {
  if (!ENTRY_KEY.test(key)) {
    throw manifestError(
      where,
      `"${key}" is not a Domain.Resource key (e.g. "Accounts.UserEvent").`,
    );
  }
  if (!isObject(value)) throw manifestError(where, `entry "${key}" must be an object.`);
  if (value.timestamps !== undefined && typeof value.timestamps !== 'boolean') {
    throw manifestError(where, '"timestamps" must be true or false.');
  }
  for (const flag of ['helpers', 'skipMigration']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      throw manifestError(where, `"${flag}" must be true or false.`);
    }
  }
  const keyFields = Object.values(SURROGATE_KEY_FIELDS).filter(
    (field) => value[field] !== undefined,
  );
  const keyFlags = Object.fromEntries(
    keyFields.map((field) => [field, string(value[field], where, field)]),
  );
  if (value.migrations !== undefined && !Array.isArray(value.migrations)) {
    throw manifestError(where, '"migrations" must be an array.');
  }
  const entry: ManifestEntry = {
    domain: string(value.domain, where, 'domain'),
    resource: string(value.resource, where, 'resource'),
    table: string(value.table, where, 'table'),
    primaryKey: stringArray(value.primaryKey ?? [], where, 'primaryKey'),
    attributes: stringArray(value.attributes ?? [], where, 'attributes'),
    relationships: stringArray(value.relationships ?? [], where, 'relationships'),
    timestamps: value.timestamps === true,
    ...keyFlags,
    ...(value.helpers === true ? { helpers: true } : {}),
    ...(value.skipMigration === true ? { skipMigration: true } : {}),
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) =>
        value[field] === undefined ? [] : [[field, stringRecord(value[field], where, field)]],
      ),
    ),
    files: stringArray(value.files ?? [], where, 'files').map((file) =>
      assertRelativePath(file, where),
    ),
    migrations: ((value.migrations as unknown[] | undefined) ?? []).map((migration) =>
      parseMigration(migration, where),
    ),
  };
  if (entryKey(entry) !== key) {
    throw manifestError(
      where,
      `entry "${key}" says domain "${entry.domain}" and resource "${entry.resource}"; the key must be "${entryKey(entry)}".`,
    );
  }
  return entry;
}

export function parseManifest(withBom: string): Manifest {
  // A BOM is accepted (editors on Windows add one); the writer keeps it.
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  const data = parseJson(text);
  if (!isObject(data)) throw manifestError(':1:1', 'must hold one JSON object.');
  const seen = new Map<string, number>();
  for (const { key, offset } of topLevelKeys(text)) {
    if (seen.has(key)) {
      const { line, column } = lineAndColumn(text, offset);
      const first = lineAndColumn(text, seen.get(key)!).line;
      throw manifestError(
        `:${line}:${column}`,
        `"${key}" appears twice (also on line ${first}); a merge kept both copies. Keep one.`,
      );
    }
    seen.set(key, offset);
  }
  const version = data.version ?? MANIFEST_VERSION;
  if (version !== MANIFEST_VERSION) {
    throw invalidInput(
      `${MANIFEST_FILE}${positionOfKey(text, 'version')}: version ${JSON.stringify(version)} is not supported by this joinery (it reads version ${MANIFEST_VERSION}).`,
      'Upgrade joinery, or regenerate the file with this version.',
    );
  }
  const manifest: Manifest = { version: MANIFEST_VERSION, entries: new Map() };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'version') continue;
    manifest.entries.set(key, parseEntry(key, value, positionOfKey(text, key)));
  }
  return manifest;
}
