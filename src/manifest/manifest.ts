/**
 * `joinery.json`: what joinery generated, one entry per join resource, so `joinery check` and
 * `joinery sync` can replay it. The layout is chosen for git:
 *
 *   {
 *     "Accounts.UserEvent": { ...one block per entry... },
 *     "Works.UserTask": { ... },
 *     "version": 1
 *   }
 *
 * Entries are sorted by key and `version` always comes last, so every entry ends with `},` and
 * adding one is a pure insertion that never edits an existing line: two branches adding different
 * joins merge cleanly. Attributes and relationships are stored in the flag grammar, so a replayed
 * entry passes through the same strict parser as the command line.
 */
export const MANIFEST_FILE = 'joinery.json';
export const MANIFEST_VERSION = 1;

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

export interface Manifest {
  version: number;
  /** Keyed by `Domain.Resource`. */
  entries: Map<string, ManifestEntry>;
}

export const entryKey = (entry: { domain: string; resource: string }): string =>
  `${entry.domain}.${entry.resource}`;

export function emptyManifest(): Manifest {
  return { version: MANIFEST_VERSION, entries: new Map() };
}
