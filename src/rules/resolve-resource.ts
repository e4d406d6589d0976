/**
 * How a resource name on the command line finds its table or entity, for every target: `User`
 * matches `users`, `usersTable`, `UserEntity` or a table `app_users`; a domain (`Accounts.User`)
 * settles a tie by the folders the candidates live in; an exact name settles what is left. The
 * targets say only how to read a candidate's names (`ResourceNames`).
 */
import { ExitCode, JoineryError, projectProblem } from '../errors.js';
import type { ResourceRef } from '../flags/types.js';
import { didYouMean } from './closest.js';
import { camelCase, kebabCase, pluralizeLast, singularizeLast, snakeCase } from './naming.js';

/** What a target tells about one of its tables/entities. */
export interface ResourceNames<Candidate> {
  /** The code names and SQL table name a candidate answers to: `users`, `UserEntity`, `app_users`. */
  names(candidate: Candidate): string[];
  /** The name that matches `ref` exactly (`users` for User in Drizzle, `User` in TypeORM). */
  exact(candidate: Candidate, ref: ResourceRef): boolean;
  /** The candidate's file, relative to the project root. */
  file(candidate: Candidate): string;
  /** One line in lists: `src/accounts/user.ts:3 users ('users')`. */
  describe(candidate: Candidate): string;
  /** The resource a candidate is, for "did you mean": `User`. */
  resourceName(candidate: Candidate): string;
  /** What was looked for, in the target's words: `no Drizzle table is named like "users"`. */
  lookedFor(ref: ResourceRef): string;
  /** The heading of the candidates listed when none matches: `Tables`, `Entities`. */
  kinds: string;
  /** Listed under the candidates, e.g. entities the scan saw but did not parse. */
  seenElsewhere?: string[];
}

/** `usersTable`, `users`, `user`, `app_users`, `UserEntity` all normalize to `user`. */
export function normalizeResourceName(name: string): string {
  let normalized = normalizedNames.get(name);
  if (normalized === undefined) {
    normalized = camelCase(
      singularizeLast(name.replace(/_?(table|schema|entity)$/i, '') || name),
    ).toLowerCase();
    normalizedNames.set(name, normalized);
  }
  return normalized;
}
/** Inflection is slow and `check` resolves against the same tables once per entry. */
const normalizedNames = new Map<string, string>();

/**
 * The resource a code name stands for, for names derived from it: `UserEntity` → `User`,
 * `usersTable` → `users`, so a join from `UserEntity` is `UserArticle` with key `user_id`, not
 * `UserEntityArticle` / `user_entity_id`. A name that is only the suffix stays as it is.
 */
export function resourceStem(name: string): string {
  return name.replace(/(?<=[a-z0-9])_?(?:Entity|Table|Schema|entity|table|schema)$/, '') || name;
}

/**
 * The folder names a domain may live under: `Works.Calendar` → calendar; `Posts` → posts or
 * post, since Ash domains are plural and NestJS module folders often singular (`modules/post`).
 */
export function domainFolderNames(domain: string): Set<string> {
  const last = domain.split('.').at(-1)!;
  return new Set(
    [last, pluralizeLast(last), singularizeLast(last)].flatMap((name) => [
      kebabCase(name),
      snakeCase(name),
      name.toLowerCase(),
    ]),
  );
}

/**
 * A file lies in the domain's folder when one of its path segments is named like the domain.
 * `file` is relative to the project root: the folders above it (`/home/me/work/app`) say nothing.
 */
export function inDomain(file: string, domain: string): boolean {
  const names = domainFolderNames(domain);
  return file.split(/[\\/]/).some((segment) => names.has(segment.toLowerCase()));
}

/**
 * A resource that is not there (exit 3). Its own class, so the caller that knows the project can
 * add the files the scan skipped (too large, a directory), where the resource may have been.
 */
export class ResourceNotFoundError extends JoineryError {
  constructor(message: string, hint: string) {
    super(message, ExitCode.projectProblem, hint);
  }

  /** The same error with the skipped files listed under what was seen. */
  withSkipped(skipped: { file: string; reason: string }[]): ResourceNotFoundError {
    if (skipped.length === 0) return this;
    const lines = skipped.map(({ file, reason }) => `  ${file}: ${reason}`);
    return new ResourceNotFoundError(
      `${this.message}\nFiles not scanned:\n${lines.join('\n')}`,
      this.hint ?? '',
    );
  }
}

/** The one candidate `ref` names, or an error listing what was seen or what is ambiguous. */
export function resolveResource<Candidate>(
  candidates: readonly Candidate[],
  ref: ResourceRef,
  how: ResourceNames<Candidate>,
  /** What to do when it is not found; the default speaks of join keys. */
  notFoundHint?: string,
): Candidate {
  // `UserEntity` on the command line is the resource User, as the class `UserEntity` is.
  const wanted = new Set([ref.resource.toLowerCase(), normalizeResourceName(ref.resource)]);
  let matches = candidates.filter((candidate) =>
    how.names(candidate).some((name) => wanted.has(normalizeResourceName(name))),
  );
  if (ref.domain && matches.length > 1) {
    const inGivenDomain = matches.filter((candidate) => inDomain(how.file(candidate), ref.domain!));
    if (inGivenDomain.length > 0) matches = inGivenDomain;
  }
  if (matches.length > 1) {
    // An exact name (`users` for User, `class User`) beats a looser one (`userTable`, `UserEntity`).
    const exact = matches.filter((candidate) => how.exact(candidate, ref));
    if (exact.length === 1) matches = exact;
  }
  const label = ref.domain ? `${ref.domain}.${ref.resource}` : ref.resource;
  const keyFlag = `-r belongs_to:${snakeCase(ref.resource)}`;
  if (matches.length === 0) {
    const elsewhere = how.seenElsewhere ?? [];
    const seen = [...candidates.map(how.describe), ...elsewhere].map((line) => `  ${line}`);
    const names = [
      ...candidates.map(how.resourceName),
      ...elsewhere.map((line) => line.split(' ').at(-1)!),
    ];
    throw new ResourceNotFoundError(
      `Resource ${label} not found${didYouMean(ref.resource, names)}: ${how.lookedFor(ref)}.\n${how.kinds} seen:\n${seen.join('\n') || '  (none)'}`,
      notFoundHint ??
        `Create it first, or point to it with ${keyFlag}:<Domain.Resource>:primary_key.`,
    );
  }
  if (matches.length > 1) {
    throw projectProblem(
      `Resource ${label} is ambiguous; it matches:\n${matches.map((candidate) => `  ${how.describe(candidate)}`).join('\n')}`,
      `Name its domain: ${keyFlag}:<Domain>.${ref.resource}:primary_key.`,
    );
  }
  return matches[0]!;
}

/** The resource being generated, as the code may already hold it. */
export interface WantedResource {
  /** `UserEvent` */
  resource: string;
  /** `userEvents` */
  collection: string;
  /** `user_events` */
  table: string;
}

/**
 * The table/entity a `gen resource` run is about, when it exists: one whose SQL table is the
 * resource's, or whose code name is the resource (`class UserEvent`) or its collection
 * (`const userEvents`); failing those, one whose code name is the resource with a suffix
 * (`class UserEntity`, `usersTable`), as resolving a join's sides already allows.
 */
export function findExistingResource<Candidate>(
  candidates: readonly Candidate[],
  wanted: WantedResource,
  read: (candidate: Candidate) => { name: string; table: string },
): Candidate | undefined {
  const exact = candidates.find((candidate) => {
    const { name, table } = read(candidate);
    return table === wanted.table || name === wanted.resource || name === wanted.collection;
  });
  if (exact) return exact;
  const normalized = normalizeResourceName(wanted.resource);
  const suffixed = candidates.filter(
    (candidate) =>
      /(table|schema|entity)$/i.test(read(candidate).name) &&
      normalizeResourceName(read(candidate).name) === normalized,
  );
  return suffixed.length === 1 ? suffixed[0] : undefined;
}
