/**
 * Property tests (fast-check) for everything joinery reads from outside: the flag grammar, the
 * join model built from it, file names derived from it, and joinery.json. No input may crash with
 * anything but a JoineryError; every rejection is exit 2; whatever is accepted carries only
 * identifier characters, so no flag or manifest text can reach a template, a path or SQL raw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JoineryError } from '../../src/errors.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { entryFromSpec } from '../../src/manifest/entry-from-spec.js';
import { jsonErrorOffset } from '../../src/manifest/json-error-offset.js';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { serializeManifest } from '../../src/manifest/serialize-manifest.js';
import { specFromEntry } from '../../src/manifest/spec-from-entry.js';
import { buildResourceSpec, type GenResourceFlags } from '../../src/flags/parse-flags.js';
import type { ResourceSpec } from '../../src/flags/types.js';
import { fileNameLike } from '../../src/targets/drizzle/place.js';
import { entityFileName } from '../../src/targets/typeorm/place.js';

const RUNS = { numRuns: 400, seed: 20_260_122 };

/** Pieces an attacker would try, mixed into otherwise plausible flag text. */
const HOSTILE = [
  "'",
  '"',
  '`',
  '${process.exit(1)}',
  '<%- process %>',
  '; DROP TABLE users; --',
  '../',
  '..',
  '/',
  '\\',
  '\n',
  '\u0000',
  ' ',
  ':',
  ',',
  '.',
  '__proto__',
  'constructor',
  'é',
  '😀',
];

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/);
const piece = fc.oneof(word, fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 }));
/** Strings near the grammar: words and hostile pieces glued with its separators. */
const nearGrammar = fc
  .array(fc.tuple(piece, fc.constantFrom('', ':', ',', '.', '_')), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.map(([text, separator]) => text + separator).join(''));
const text = fc.oneof(nearGrammar, fc.string({ maxLength: 30 }), fc.constantFrom(...HOSTILE));
const typeName = fc.constantFrom('uuid', 'string', 'integer', 'map', 'bogus', ':text', 'int');
const attribute = fc.oneof(
  text,
  fc
    .tuple(
      word,
      typeName,
      fc.array(fc.constantFrom('required', 'array', 'public', 'x'), { maxLength: 2 }),
    )
    .map(([name, type, modifiers]) => [name.toLowerCase(), type, ...modifiers].join(':')),
);
const relationship = fc.oneof(
  text,
  fc
    .tuple(
      fc.constantFrom('belongs_to', 'has_many', 'belong'),
      word,
      word,
      fc.constantFrom('', ':primary_key'),
    )
    .map(
      ([kind, name, destination, modifier]) =>
        `${kind}:${name.toLowerCase()}:${destination}${modifier}`,
    ),
);

const anyFlags: fc.Arbitrary<GenResourceFlags> = fc.record({
  names: fc.oneof(
    fc.array(text, { maxLength: 3 }),
    fc.tuple(word, word).map(([domain, resource]) => [domain, resource]),
  ),
  primaryKey: fc.array(fc.oneof(text, fc.constant('user_id,event_id')), { maxLength: 2 }),
  attributes: fc.array(attribute, { maxLength: 3 }),
  relationships: fc.array(relationship, { maxLength: 2 }),
  timestamps: fc.boolean(),
  uuidPrimaryKey: fc.option(text, { nil: undefined }),
  integerPrimaryKey: fc.option(text, { nil: undefined }),
  table: fc.option(text, { nil: undefined }),
  conflicts: fc.option(fc.oneof(text, fc.constantFrom('ignore', 'replace')), { nil: undefined }),
  ignoreIfExists: fc.boolean(),
});

const pascal = fc.stringMatching(/^[A-Z][a-z]{1,6}$/);
const snake = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
/** Mostly valid command lines with one field off now and then: they reach the join model. */
const nearValidFlags: fc.Arbitrary<GenResourceFlags> = fc.record({
  names: fc.tuple(pascal, pascal).map(([domain, resource]) => [domain, `User${resource}`]),
  primaryKey: fc.oneof(
    fc.tuple(snake, snake).map(([a, b]) => [`${a}_id,${b}x_id`]),
    fc.array(text, { maxLength: 1 }),
  ),
  attributes: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.tuple(snake, typeName).map(([name, type]) => `${name}:${type}`) },
      { weight: 1, arbitrary: attribute },
    ),
    { maxLength: 2 },
  ),
  relationships: fc.oneof(fc.constant<string[]>([]), fc.array(relationship, { maxLength: 1 })),
  timestamps: fc.boolean(),
  uuidPrimaryKey: fc.constant(undefined),
  integerPrimaryKey: fc.constant(undefined),
  table: fc.option(fc.oneof(snake, text), { nil: undefined }),
  conflicts: fc.constant(undefined),
  ignoreIfExists: fc.boolean(),
});
const flags = fc.oneof(anyFlags, nearValidFlags);

/** Runs `run`; a JoineryError must be exit 2; anything else thrown fails the property. */
function acceptedOrExit2<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(JoineryError);
    expect((error as JoineryError).exitCode).toBe(2);
    expect((error as JoineryError).message.length).toBeGreaterThan(0);
    return undefined;
  }
}

const SAFE = /^[A-Za-z0-9_.]+$/;

function identifiersOf(spec: ResourceSpec): string[] {
  return [
    spec.domain,
    spec.resource,
    ...(spec.table ? [spec.table] : []),
    ...spec.attributes.map((attribute) => attribute.name),
    ...spec.relationships.flatMap((relationship) => [
      relationship.name,
      relationship.destination.resource,
      ...(relationship.destination.domain ? [relationship.destination.domain] : []),
    ]),
    ...(spec.surrogateKey ? [spec.surrogateKey.name] : []),
  ];
}

describe('the flag grammar under arbitrary input', () => {
  it('never crashes: a spec, or a JoineryError with exit 2', () => {
    fc.assert(
      fc.property(flags, (input) => {
        acceptedOrExit2(() => buildResourceSpec(input));
      }),
      RUNS,
    );
  });

  it('accepts only identifier characters in every name it passes on', () => {
    fc.assert(
      fc.property(flags, (input) => {
        const spec = acceptedOrExit2(() => buildResourceSpec(input));
        if (!spec) return;
        for (const name of identifiersOf(spec)) expect(name).toMatch(SAFE);
      }),
      RUNS,
    );
  });

  it('the join model derived from an accepted spec is exit 2 or plain snake_case names', () => {
    let joins = 0;
    fc.assert(
      fc.property(flags, (input) => {
        const spec = acceptedOrExit2(() => buildResourceSpec(input));
        if (!spec) return;
        const join = acceptedOrExit2(() => toJoinModel(spec));
        if (!join) return;
        joins++;
        expect(join.table).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(join.migrationName).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(join.collection).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      }),
      RUNS,
    );
    // The generator reaches valid joins too, so the properties above are not vacuous.
    expect(joins).toBeGreaterThan(RUNS.numRuns / 20);
  });

  it('file names derived from an accepted resource never leave their folder', () => {
    const siblings = fc.constantFrom(
      ['user.ts', 'users'],
      ['users.ts', 'users'],
      ['User.ts', 'User'],
      ['user.entity.ts', 'User'],
      ['user_profile.ts', 'userProfiles'],
    );
    fc.assert(
      fc.property(flags, siblings, (input, [file, variable]) => {
        const spec = acceptedOrExit2(() => buildResourceSpec(input));
        if (!spec) return;
        for (const name of [
          fileNameLike(`/p/src/${file}`, variable, spec.resource),
          entityFileName(`/p/src/${file}`, variable, spec.resource),
        ]) {
          expect(name).toMatch(/^[A-Za-z0-9_-]+(\.[a-z]+)*\.[cm]?[jt]sx?$/);
        }
      }),
      RUNS,
    );
  });
});

describe('joinery.json under arbitrary input', () => {
  it('any text: a manifest, or a JoineryError with exit 2 naming joinery.json', () => {
    const jsonish = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.json(),
      fc.json().map((json) => json.slice(0, Math.max(0, json.length - 1))),
      fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }).map((object) => JSON.stringify(object)),
    );
    fc.assert(
      fc.property(jsonish, (input) => {
        try {
          parseManifest(input);
        } catch (error) {
          expect(error).toBeInstanceOf(JoineryError);
          expect((error as JoineryError).exitCode).toBe(2);
          expect((error as JoineryError).message).toMatch(/^joinery\.json/);
        }
      }),
      RUNS,
    );
  });

  it('accepted specs survive serialize → parse → replay unchanged', () => {
    fc.assert(
      fc.property(flags, (input) => {
        const spec = acceptedOrExit2(() => buildResourceSpec(input));
        const join = spec && acceptedOrExit2(() => toJoinModel(spec));
        if (!spec || !join) return;
        const recorded = { ...entryFromSpec(spec, join.table), files: [], migrations: [] };
        const key = `${recorded.domain}.${recorded.resource}`;
        const text = serializeManifest({ version: 1, entries: new Map([[key, recorded]]) });
        const parsed = parseManifest(text).entries.get(key)!;
        expect(parsed).toEqual(recorded);
        expect(entryFromSpec(specFromEntry(parsed), join.table)).toEqual(
          entryFromSpec(spec, join.table),
        );
      }),
      RUNS,
    );
  });

  it('jsonErrorOffset finds an error exactly when JSON.parse does', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', '"', ':', 'x', ' '))
      .map(([json, at, insert]) => {
        const index = json.length === 0 ? 0 : at % json.length;
        return json.slice(0, index) + insert + json.slice(index);
      });
    fc.assert(
      fc.property(mutated, (input) => {
        let valid = true;
        try {
          JSON.parse(input);
        } catch {
          valid = false;
        }
        const offset = jsonErrorOffset(input);
        expect(offset === undefined).toBe(valid);
        if (offset !== undefined) expect(offset).toBeLessThanOrEqual(input.length);
      }),
      RUNS,
    );
  });
});
