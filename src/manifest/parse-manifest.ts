/**
 * Text → Manifest, or an exit-2 error naming the file (`joinery.json`, or an entry's own
 * `joinery/<key>.json`), the line and column, and the entry. Checks shape only (types, keys,
 * relative paths); the attribute and relationship strings are checked later by the flag grammar
 * when an entry is replayed (see spec-from-entry.ts).
 */
import { SURROGATE_KEY_FIELDS } from './entry-from-spec.js';
import { RELATIONSHIP_NAME_FIELDS } from '../flags/types.js';
import { invalidInput, type JoineryError } from '../errors.js';
import { didYouMean } from '../rules/closest.js';
import { jsonErrorOffset } from './json-error-offset.js';
import {
  emptyManifest,
  entryFile,
  entryKey,
  MANIFEST_DIR,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  SINGLE_FILE_VERSION,
  type EntrySource,
  type Manifest,
  type ManifestEntry,
  type ManifestMigration,
} from './manifest.js';

const MIGRATION_NAME = /^[a-z][a-z0-9_]{0,199}$/;
const ENTRY_KEY = /^[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+$/;
const hint = (file: string) =>
  `Fix ${file} (or delete the entry and run joinery gen resource again).`;

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where `"key":` first appears, for messages about one entry or field. */
function positionOfKey(text: string, key: string): string {
  const offset = text.indexOf(`${JSON.stringify(key)}:`);
  if (offset < 0) return '';
  const { line, column } = lineAndColumn(text, offset);
  return `:${line}:${column}`;
}

/** `where` is the file and position: `joinery.json:3:5`, `joinery/Accounts.UserEvent.json:1:1`. */
function manifestError(where: string, message: string): JoineryError {
  return invalidInput(`${where}: ${message}`, hint(where.replace(/(?::\d+)+$/, '')));
}

/**
 * `file:line:column` of a replayed entry, at `needle` (a recorded value, such as one
 * relationship string) when it appears in the entry's text, else at the entry itself.
 */
export function positionInEntry(source: EntrySource, needle?: string): string {
  const quoted =
    needle === undefined ? -1 : source.text.indexOf(JSON.stringify(needle), source.offset);
  const { line, column } = lineAndColumn(source.text, quoted >= 0 ? quoted : source.offset);
  return `${source.file}:${line}:${column}`;
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

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const stated = /at position (\d+)/.exec(message)?.[1];
    const offset = stated ? Number(stated) : (jsonErrorOffset(text) ?? text.length);
    const { line, column } = lineAndColumn(text, offset);
    const found = offset < text.length ? JSON.stringify(text[offset]) : 'the end of the file';
    throw manifestError(
      `${file}:${line}:${column}`,
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

/** Entry fields a replay reads; anything else is refused, not silently ignored. */
const ENTRY_FIELDS = new Set([
  'domain',
  'resource',
  'table',
  'primaryKey',
  'attributes',
  'relationships',
  'timestamps',
  ...Object.values(SURROGATE_KEY_FIELDS),
  'skipMigration',
  'helpers',
  'orm',
  ...RELATIONSHIP_NAME_FIELDS,
  'files',
  'migrations',
]);

/** Optional fields other versions of joinery may add (e.g. a migration's content hash). */
const TOLERATED_FIELD = /^(?:checksum|hash|sha256)$/i;

/** `file:line:column` of `"field":` inside the entry that starts at `offset`, else `where`. */
function fieldPosition(text: string, offset: number, file: string, where: string) {
  return (field: string): string => {
    const found = text.indexOf(`${JSON.stringify(field)}:`, offset);
    if (found < 0) return where;
    const { line, column } = lineAndColumn(text, found);
    return `${file}:${line}:${column}`;
  };
}

function parseEntry(
  key: string,
  value: unknown,
  file: string,
  text: string,
  offset: number,
): ManifestEntry {
  const { line, column } = lineAndColumn(text, offset);
  const where = `${file}:${line}:${column}`;
  const at = fieldPosition(text, offset, file, where);
  if (!ENTRY_KEY.test(key)) {
    throw manifestError(
      where,
      `"${key}" is not a Domain.Resource key (e.g. "Accounts.UserEvent").`,
    );
  }
  if (!isObject(value)) throw manifestError(where, `entry "${key}" must be an object.`);
  const unknown = Object.keys(value).find(
    (field) => !ENTRY_FIELDS.has(field) && !TOLERATED_FIELD.test(field),
  );
  if (unknown !== undefined) {
    throw manifestError(
      at(unknown),
      `entry "${key}" has the unknown field "${unknown}"${didYouMean(unknown, [...ENTRY_FIELDS])}.`,
    );
  }
  if (value.orm !== undefined && (typeof value.orm !== 'string' || !/^[a-z]+$/.test(value.orm))) {
    throw manifestError(
      at('orm'),
      '"orm" must be the name of a target, e.g. "drizzle" or "typeorm".',
    );
  }
  if (value.timestamps !== undefined && typeof value.timestamps !== 'boolean') {
    throw manifestError(at('timestamps'), '"timestamps" must be true or false.');
  }
  for (const flag of ['helpers', 'skipMigration']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      throw manifestError(at(flag), `"${flag}" must be true or false.`);
    }
  }
  const keyFields = Object.values(SURROGATE_KEY_FIELDS).filter(
    (field) => value[field] !== undefined,
  );
  const keyFlags = Object.fromEntries(
    keyFields.map((field) => [field, string(value[field], at(field), field)]),
  );
  if (value.migrations !== undefined && !Array.isArray(value.migrations)) {
    throw manifestError(at('migrations'), '"migrations" must be an array.');
  }
  const entry: ManifestEntry = {
    domain: string(value.domain, at('domain'), 'domain'),
    resource: string(value.resource, at('resource'), 'resource'),
    table: string(value.table, at('table'), 'table'),
    primaryKey: stringArray(value.primaryKey ?? [], at('primaryKey'), 'primaryKey'),
    attributes: stringArray(value.attributes ?? [], at('attributes'), 'attributes'),
    relationships: stringArray(value.relationships ?? [], at('relationships'), 'relationships'),
    timestamps: value.timestamps === true,
    ...keyFlags,
    ...(value.helpers === true ? { helpers: true } : {}),
    ...(value.skipMigration === true ? { skipMigration: true } : {}),
    ...(typeof value.orm === 'string' ? { orm: value.orm } : {}),
    ...Object.fromEntries(
      RELATIONSHIP_NAME_FIELDS.flatMap((field) =>
        value[field] === undefined ? [] : [[field, stringRecord(value[field], at(field), field)]],
      ),
    ),
    files: stringArray(value.files ?? [], at('files'), 'files').map((path) =>
      assertRelativePath(path, at('files')),
    ),
    migrations: ((value.migrations as unknown[] | undefined) ?? []).map((migration) =>
      parseMigration(migration, at('migrations')),
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

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/**
 * joinery.json: the index of the folder layout (version 2), or every entry (version 1, the
 * single-file layout of earlier joinery).
 */
export function parseManifest(withBom: string): Manifest {
  // A BOM is accepted (editors on Windows add one); the writer keeps it.
  const text = withoutBom(withBom);
  const data = parseJson(text, MANIFEST_FILE);
  if (!isObject(data)) throw manifestError(`${MANIFEST_FILE}:1:1`, 'must hold one JSON object.');
  const seen = new Map<string, number>();
  for (const { key, offset } of topLevelKeys(text)) {
    if (seen.has(key)) {
      const { line, column } = lineAndColumn(text, offset);
      const first = lineAndColumn(text, seen.get(key)!).line;
      throw manifestError(
        `${MANIFEST_FILE}:${line}:${column}`,
        `"${key}" appears twice (also on line ${first}); a merge kept both copies. Keep one.`,
      );
    }
    seen.set(key, offset);
  }
  const version = data.version ?? SINGLE_FILE_VERSION;
  if (version !== MANIFEST_VERSION && version !== SINGLE_FILE_VERSION) {
    throw invalidInput(
      `${MANIFEST_FILE}${positionOfKey(text, 'version')}: version ${JSON.stringify(version)} is not supported by this joinery (it reads versions ${SINGLE_FILE_VERSION} and ${MANIFEST_VERSION}).`,
      'Upgrade joinery, or regenerate the file with this version.',
    );
  }
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    entries: new Map(),
    singleFile: version === SINGLE_FILE_VERSION,
    sources: new Map(),
  };
  if (version === MANIFEST_VERSION) {
    const other = Object.keys(data).find((key) => key !== 'version' && key !== 'entries');
    if (other !== undefined || (data.entries ?? `${MANIFEST_DIR}/`) !== `${MANIFEST_DIR}/`) {
      throw manifestError(
        `${MANIFEST_FILE}${other === undefined ? positionOfKey(text, 'entries') || ':1:1' : positionOfKey(text, other)}`,
        `version ${MANIFEST_VERSION} keeps each entry in ${MANIFEST_DIR}/<Domain.Resource>.json; joinery.json holds only { "entries": "${MANIFEST_DIR}/", "version": ${MANIFEST_VERSION} }.`,
      );
    }
    return manifest;
  }
  for (const [key, value] of Object.entries(data)) {
    if (key === 'version') continue;
    const offset = seen.get(key) ?? 0;
    const entry = parseEntry(key, value, MANIFEST_FILE, text, offset);
    const source = { file: MANIFEST_FILE, text, offset };
    manifest.entries.set(key, entry);
    manifest.sources.set(key, source);
    entrySources.set(entry, source);
  }
  return manifest;
}

/**
 * Where each parsed entry was read, so a later replay error (the flag grammar, the join model)
 * can name the file, line and column without every caller carrying positions along. Entries are
 * never changed in place, only replaced, so an entry object keeps its source.
 */
const entrySources = new WeakMap<ManifestEntry, EntrySource>();

export function sourceOf(entry: ManifestEntry): EntrySource | undefined {
  return entrySources.get(entry);
}

/** `joinery/Accounts.UserEvent.json` → its entry; the file name is the entry's key. */
export function parseEntryFile(
  file: string,
  withBom: string,
): { key: string; entry: ManifestEntry } {
  const text = withoutBom(withBom);
  const key = file.slice(`${MANIFEST_DIR}/`.length).replace(/\.json$/, '');
  if (entryFile(key) !== file || !ENTRY_KEY.test(key)) {
    throw manifestError(
      `${file}:1:1`,
      `"${key}" is not a Domain.Resource name (e.g. ${entryFile('Accounts.UserEvent')}).`,
    );
  }
  const data = parseJson(text, file);
  return { key, entry: parseEntry(key, data, file, text, Math.max(0, text.indexOf('{'))) };
}

/** The index (when there is one) and the entry files, as one manifest. */
export function assembleManifest(
  index: string | undefined,
  files: { file: string; text: string }[],
): Manifest {
  const manifest = index === undefined ? emptyManifest() : parseManifest(index);
  for (const { file, text } of files) {
    const { key, entry } = parseEntryFile(file, text);
    const earlier = manifest.sources.get(key);
    if (earlier) {
      throw manifestError(
        `${file}:1:1`,
        `${key} is recorded twice, here and in ${positionInEntry(earlier)}. Keep one (joinery moves entries out of ${MANIFEST_FILE}).`,
      );
    }
    const plain = withoutBom(text);
    const source = { file, text: plain, offset: Math.max(0, plain.indexOf('{')) };
    manifest.entries.set(key, entry);
    manifest.sources.set(key, source);
    entrySources.set(entry, source);
  }
  return manifest;
}
