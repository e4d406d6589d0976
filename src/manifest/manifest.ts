/**
 * What joinery generated, one entry per resource, so `joinery check` and `joinery sync` can
 * replay it. The layout is chosen for git: each entry is a file of its own,
 *
 *   joinery.json                      { "entries": "joinery/", "version": 2 }
 *   joinery/Accounts.UserEvent.json   { "domain": "Accounts", "resource": "UserEvent", ... }
 *   joinery/Works.UserTask.json       { ... }
 *
 * so two branches that each add entries add different files, and git merges them without a
 * conflict wherever the keys sort (in one file, insertions next to each other conflict).
 * `joinery.json` only says where the entries are and which layout they follow; every branch
 * writes the same bytes there. The single-file layout of version 1 (all entries inside
 * joinery.json) is still read, and moved to the folder by the next run that records an entry.
 * Attributes and relationships are stored in the flag grammar, so a replayed entry passes
 * through the same strict parser as the command line.
 */
export const MANIFEST_FILE = 'joinery.json';
/** The folder of entry files, beside joinery.json. */
export const MANIFEST_DIR = 'joinery';
export const MANIFEST_VERSION = 2;
/** Version 1: every entry inside joinery.json (read, and migrated on the next write). */
export const SINGLE_FILE_VERSION = 1;

/** `joinery/Accounts.UserEvent.json`, relative to the project root (POSIX separators). */
export const entryFile = (key: string): string => `${MANIFEST_DIR}/${key}.json`;

export interface ManifestMigration {
  /** `create_user_events_join_table`, `add_role_to_user_events`. */
  name: string;
  /** Files the migration created, relative to the project root (POSIX separators). */
  files: string[];
  /**
   * SHA-256 of each file as generated (LF line ends, no BOM), by file, as Prisma checksums its
   * applied migrations: `check` finds a migration edited or emptied after it was recorded.
   * Absent in entries written before it was recorded; such files are not compared.
   */
  sha256?: Record<string, string>;
}

export interface ManifestEntry {
  domain: string;
  resource: string;
  table: string;
  /** A join's two key attributes, in key order; empty for a plain resource. */
  primaryKey: string[];
  /** `user_id:uuid:required`, `role:string:required`: attributes that declare a type. */
  attributes: string[];
  /** `belongs_to:user:Accounts.User:primary_key`. */
  relationships: string[];
  timestamps: boolean;
  /**
   * --orm, when it was given (a project that depends on more than one ORM): replays use it, so
   * `check` and `sync` need no --orm of their own.
   */
  orm?: string;
  /** A plain resource's generated key, as the flag that asked for it (recorded only when given). */
  uuidPrimaryKey?: string;
  uuidV7PrimaryKey?: string;
  integerPrimaryKey?: string;
  /** Generated with --no-migration: replays make no migration either (recorded only when true). */
  skipMigration?: boolean;
  /** --helpers: the relationship helpers module is generated too (recorded only when true). */
  helpers?: boolean;
  /**
   * A join made from `-r many_to_many:attended:...`: each side's name for the relationship
   * through it, by belongs_to (`{ "user": "attended" }`); recorded only when not the default.
   */
  manyToManyNames?: Record<string, string>;
  /**
   * A belongs_to made from `-r has_many:hosted_events:...`: the name its destination gives the
   * has-many back, by belongs_to (`{ "user": "hosted_events" }`); recorded only when not the default.
   */
  inverseNames?: Record<string, string>;
  /** Every file a run for this entry created or updated (migrations apart), sorted. */
  files: string[];
  /** In the order they were generated; the first creates the table. */
  migrations: ManifestMigration[];
}

/** Where an entry was read from, so a replay error can name the file, line and column. */
export interface EntrySource {
  /** Relative to the project root: `joinery/Accounts.UserEvent.json`, or `joinery.json` (v1). */
  file: string;
  text: string;
  /** Offset of the entry's object (its key, in the single-file layout). */
  offset: number;
}

export interface Manifest {
  version: number;
  /** Keyed by `Domain.Resource`. */
  entries: Map<string, ManifestEntry>;
  /** Read from the single-file layout: the next recorded entry moves every entry to the folder. */
  singleFile: boolean;
  /** Where each entry read was written (entries recorded in this run have none). */
  sources: Map<string, EntrySource>;
}

export const entryKey = (entry: { domain: string; resource: string }): string =>
  `${entry.domain}.${entry.resource}`;

export function emptyManifest(): Manifest {
  return { version: MANIFEST_VERSION, entries: new Map(), singleFile: false, sources: new Map() };
}
