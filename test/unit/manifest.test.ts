/**
 * joinery.json: the normalized entry, stable text, positions in errors, the flag grammar on
 * replay, convergence merges, and the property the layout exists for: two branches that add
 * different entries merge in git without a conflict.
 */
import { errorOf, genFlags } from '../support/gen-flags.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryFromSpec } from '../../src/manifest/entry-from-spec.js';
import { emptyManifest, type ManifestEntry } from '../../src/manifest/manifest.js';
import { mergeSpecs } from '../../src/manifest/merge-spec.js';
import {
  assembleManifest,
  parseEntryFile,
  parseManifest,
} from '../../src/manifest/parse-manifest.js';
import { readManifest, recordEntry } from '../../src/manifest/manifest-file.js';
import { ChangeSet } from '../../src/change-set/change-set.js';
import {
  MANIFEST_INDEX_TEXT,
  sameEntry,
  serializeEntry,
  serializeManifest,
} from '../../src/manifest/serialize-manifest.js';
import { specFromEntry } from '../../src/manifest/spec-from-entry.js';
import { migrationChecksum } from '../../src/manifest/migration-checksum.js';
import { verifyMigrations } from '../../src/manifest/verify-migrations.js';
import { buildResourceSpec, type GenResourceFlags } from '../../src/flags/parse-flags.js';

const flags = (overrides: Partial<GenResourceFlags>): GenResourceFlags =>
  genFlags(['Accounts', 'UserEvent'], { primaryKey: ['user_id,event_id'], ...overrides });

const entry = (overrides: Partial<ManifestEntry> = {}): ManifestEntry => ({
  ...entryFromSpec(buildResourceSpec(flags({})), 'user_events'),
  files: ['src/accounts/user-event.ts'],
  migrations: [{ name: 'create_user_events_join_table', files: ['drizzle/0001_x.sql'] }],
  ...overrides,
});

describe('entryFromSpec / specFromEntry', () => {
  it.each([
    [flags({}), { primaryKey: ['user_id', 'event_id'], attributes: [] }],
    [
      flags({ attributes: ['user_id:uuid:required', 'event_id:uuid:required', 'role:string'] }),
      { attributes: ['user_id:uuid', 'event_id:uuid', 'role:string'] },
    ],
    [
      flags({ attributes: ['tags:string:array:required:public'] }),
      { attributes: ['tags:string:public:required:array'] },
    ],
    [
      flags({
        primaryKey: [],
        relationships: [
          'belongs_to:user:Accounts.User:primary_key',
          'belongs_to:event:Works.Event:primary_key',
        ],
      }),
      {
        primaryKey: ['user_id', 'event_id'],
        relationships: [
          'belongs_to:user:Accounts.User:primary_key',
          'belongs_to:event:Works.Event:primary_key',
        ],
      },
    ],
  ])('%j records %j and replays to the same entry', (input, expected) => {
    const recorded = entryFromSpec(buildResourceSpec(input), 'user_events');
    expect(recorded).toMatchObject(expected);
    const replayed = entryFromSpec(
      specFromEntry({ ...recorded, files: [], migrations: [] }),
      'user_events',
    );
    expect(replayed).toEqual(recorded);
  });

  it('replays entries through the flag grammar: hostile text is an exit-2 error naming the entry', () => {
    const error = errorOf(() =>
      specFromEntry(entry({ attributes: ["role'); DROP TABLE x;--:string"] })),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      /^joinery\/Accounts\.UserEvent\.json: entry "Accounts\.UserEvent": .*not a valid attribute name/,
    );
    expect(errorOf(() => specFromEntry(entry({ table: 'users; drop' }))).exitCode).toBe(2);
  });
});

describe('serializeManifest', () => {
  it('sorts entries, keeps a fixed field order, puts version last, ends with a newline', () => {
    const manifest = emptyManifest();
    manifest.entries.set(
      'Works.UserTask',
      entry({ domain: 'Works', resource: 'UserTask', table: 'user_tasks' }),
    );
    manifest.entries.set('Accounts.UserEvent', entry({ files: ['b.ts', 'a.ts', 'a.ts'] }));
    const text = serializeManifest(manifest);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'Accounts.UserEvent',
      'Works.UserTask',
      'version',
    ]);
    expect(Object.keys(JSON.parse(text)['Accounts.UserEvent'])).toEqual([
      'domain',
      'resource',
      'table',
      'primaryKey',
      'attributes',
      'relationships',
      'timestamps',
      'files',
      'migrations',
    ]);
    expect(JSON.parse(text)['Accounts.UserEvent'].files).toEqual(['a.ts', 'b.ts']);
    expect(serializeManifest(parseManifest(text))).toBe(text);
  });

  it('every entry ends with "}," so adding one never edits an existing line', () => {
    const one = emptyManifest();
    one.entries.set('Accounts.UserEvent', entry());
    const two = parseManifest(serializeManifest(one));
    two.entries.set('Accounts.UserAaa', entry({ resource: 'UserAaa', table: 'user_aaas' }));
    const before = serializeManifest(one).split('\n');
    const after = serializeManifest(two).split('\n');
    // Every old line is still there, in order: the new entry is a pure insertion.
    let at = 0;
    for (const line of before) {
      at = after.indexOf(line, at);
      expect(at).toBeGreaterThanOrEqual(0);
      at++;
    }
  });

  it('sameEntry ignores file order and duplicates', () => {
    expect(sameEntry(entry({ files: ['b', 'a'] }), entry({ files: ['a', 'b', 'a'] }))).toBe(true);
    expect(sameEntry(entry(), entry({ timestamps: true }))).toBe(false);
  });
});

describe('parseManifest', () => {
  it.each([
    ['{ "Accounts.UserEvent": { }, }', /joinery\.json:1:30: not valid JSON: unexpected "}"/],
    ['{\n  "version": 1,\n  "x": \n}', /joinery\.json:4:1: not valid JSON: unexpected "}"/],
    ['[]', /joinery\.json:1:1: must hold one JSON object/],
    ['{ "version": 3 }', /version 3 is not supported/],
    ['{ "entries": "elsewhere/", "version": 2 }', /joinery\.json:1:3: version 2 keeps each entry/],
    [
      '{\n  "accounts.user": {}\n}',
      /joinery\.json:2:3: "accounts\.user" is not a Domain\.Resource key/,
    ],
  ])('%j → exit 2 %s', (text, message) => {
    const error = errorOf(() => parseManifest(text));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('names a duplicated entry (a merge that kept both copies) with both lines', () => {
    const block = JSON.stringify(entry());
    const error = errorOf(() =>
      parseManifest(
        `{\n  "Accounts.UserEvent": ${block},\n  "Accounts.UserEvent": ${block},\n  "version": 1\n}\n`,
      ),
    );
    expect(error.message).toMatch(
      /joinery\.json:3:3: "Accounts\.UserEvent" appears twice \(also on line 2\)/,
    );
  });

  it.each([['../outside.ts'], ['/etc/passwd'], ['src/../../x'], ['C:\\x'], ['a//b']])(
    'refuses a recorded path that leaves the project: %s',
    (file) => {
      const text = serializeManifest({
        version: 1,
        entries: new Map([['Accounts.UserEvent', entry({ files: [file] })]]),
      });
      const error = errorOf(() => parseManifest(text));
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/is not a path inside the project/);
    },
  );

  it.each([['../../evil'], ['Create Table'], ["x'); --"]])(
    'refuses a migration name that is not snake_case: %s',
    (name) => {
      const text = serializeManifest({
        version: 1,
        entries: new Map([['Accounts.UserEvent', entry({ migrations: [{ name, files: [] }] })]]),
      });
      expect(errorOf(() => parseManifest(text)).message).toMatch(/is not snake_case/);
    },
  );

  it('keeps many_to_many names through a write and a read; refuses anything but strings', () => {
    const named = entry({ manyToManyNames: { user: 'attended' } });
    const text = serializeManifest({
      version: 1,
      entries: new Map([['Accounts.UserEvent', named]]),
    });
    expect(text).toContain('"manyToManyNames": {\n      "user": "attended"\n    },');
    expect(parseManifest(text).entries.get('Accounts.UserEvent')).toEqual(named);
    for (const bad of [['attended'], { user: 1 }, 'attended']) {
      const hostile = JSON.stringify({ 'Accounts.UserEvent': { ...named, manyToManyNames: bad } });
      expect(errorOf(() => parseManifest(hostile)).message).toMatch(
        /"manyToManyNames" must be an object of strings/,
      );
    }
  });

  it('refuses an entry whose key does not match its domain and resource', () => {
    const text = JSON.stringify({ 'Accounts.UserTask': entry(), version: 1 });
    expect(errorOf(() => parseManifest(text)).message).toMatch(
      /the key must be "Accounts\.UserEvent"/,
    );
  });
});

describe('mergeSpecs (convergence)', () => {
  const recorded = buildResourceSpec(flags({ attributes: ['role:string:required'] }));

  it('adds new attributes after the recorded ones and keeps recorded ones not repeated', () => {
    const merged = mergeSpecs(
      recorded,
      buildResourceSpec(flags({ attributes: ['joined_at:utc_datetime'], timestamps: true })),
    );
    expect(merged.attributes.map((attribute) => attribute.name)).toEqual([
      'user_id',
      'event_id',
      'role',
      'joined_at',
    ]);
    expect(merged.timestamps).toBe(true);
    const keysOnly = mergeSpecs(recorded, buildResourceSpec(flags({})));
    expect(keysOnly.attributes.map((attribute) => attribute.name)).toContain('role');
  });

  it.each([
    [
      flags({ attributes: ['role:text:required'] }),
      /recorded in joinery\/Accounts\.UserEvent\.json as type string, not text/,
    ],
    [flags({ attributes: ['role:string'] }), /as required/],
    [
      flags({ primaryKey: ['user_id,topic_id'] }),
      /with primary key user_id,event_id, not user_id,topic_id/,
    ],
    [flags({ table: 'memberships' }), /with table user_events, not memberships/],
  ])('refuses to change what is recorded: %j', (given, message) => {
    const error = errorOf(() =>
      mergeSpecs({ ...recorded, table: 'user_events' }, buildResourceSpec(given)),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/--conflicts replace/);
  });
});

describe('verifyMigrations', () => {
  const found = (root: string, recorded: ReturnType<typeof entry>) =>
    verifyMigrations(root, recorded).map(({ file, expected, found, repair }) => ({
      file,
      expected,
      found,
      repair,
    }));

  it('reports missing files, a migration not naming the table, and columns no migration creates', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'joinery-verify-'));
    try {
      await writeFile(
        path.join(root, 'create.sql'),
        'CREATE TABLE "user_events" ("user_id" uuid, "event_id" uuid);',
      );
      const base = entry({
        attributes: ['role:string'],
        migrations: [{ name: 'create_user_events_join_table', files: ['create.sql'] }],
      });
      expect(found(root, base)).toEqual([
        {
          file: 'create.sql',
          expected: 'a migration creating role in user_events',
          found: 'none: the entity or schema and its migrations disagree',
          repair: 'manual',
        },
      ]);
      await writeFile(
        path.join(root, 'add.sql'),
        'ALTER TABLE "user_events" ADD COLUMN "role" text;',
      );
      expect(
        found(root, {
          ...base,
          migrations: [...base.migrations, { name: 'add_role_to_user_events', files: ['add.sql'] }],
        }),
      ).toEqual([]);
      expect(
        found(root, entry({ migrations: [{ name: 'create_x', files: ['gone.sql'] }] })),
      ).toEqual([
        { file: 'gone.sql', expected: 'migration create_x', found: 'no file', repair: 'manual' },
      ]);
      await writeFile(
        path.join(root, 'other.sql'),
        'CREATE TABLE "others" ("user_id" uuid, "event_id" uuid);',
      );
      expect(
        found(root, entry({ migrations: [{ name: 'create_x', files: ['other.sql'] }] })),
      ).toEqual([
        {
          file: 'other.sql',
          expected: 'migration create_x creating table user_events',
          found: 'no mention of it',
          repair: 'manual',
        },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('compares recorded checksums (line ends aside) and finds a SQL file missing from the journal', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'joinery-verify-'));
    try {
      const sql = 'CREATE TABLE "user_events" ("user_id" uuid, "event_id" uuid);\n';
      await mkdir(path.join(root, 'drizzle/meta'), { recursive: true });
      await writeFile(path.join(root, 'drizzle/0001_create.sql'), sql.replace('\n', '\r\n'));
      await writeFile(
        path.join(root, 'drizzle/meta/_journal.json'),
        JSON.stringify({ entries: [{ tag: '0001_create' }] }),
      );
      const recorded = entry({
        migrations: [
          {
            name: 'create_user_events_join_table',
            files: ['drizzle/0001_create.sql'],
            sha256: { 'drizzle/0001_create.sql': migrationChecksum(sql) },
          },
        ],
      });
      expect(found(root, recorded)).toEqual([]);
      await writeFile(path.join(root, 'drizzle/0001_create.sql'), '');
      expect(found(root, recorded)).toEqual([
        {
          file: 'drizzle/0001_create.sql',
          expected: expect.stringMatching(/^migration create_user_events_join_table as generated/),
          found: 'an empty file',
          repair: 'manual',
        },
      ]);
      await writeFile(path.join(root, 'drizzle/0001_create.sql'), sql);
      await writeFile(
        path.join(root, 'drizzle/meta/_journal.json'),
        JSON.stringify({ entries: [] }),
      );
      expect(found(root, recorded)).toEqual([
        {
          file: 'drizzle/meta/_journal.json',
          expected: 'an entry for 0001_create (migration create_user_events_join_table)',
          found: 'none, so drizzle-kit migrate never applies it',
          repair: 'manual',
        },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('the folder layout', () => {
  it('a single-file joinery.json (version 1) is read, and the next recorded entry moves every entry to joinery/', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'joinery-layout-'));
    try {
      const topic = entry({ resource: 'UserTopic', table: 'user_topics' });
      const old = { entries: new Map([['Accounts.UserTopic', topic]]) };
      await writeFile(path.join(dir, 'joinery.json'), serializeManifest(old));
      const changes = new ChangeSet(dir);
      const manifest = readManifest(changes);
      expect(manifest.singleFile).toBe(true);
      expect([...manifest.entries.keys()]).toEqual(['Accounts.UserTopic']);
      expect(recordEntry(changes, manifest, entry())).toBe(true);
      const written = new Map(
        changes.listChanges().map((change) => [changes.relative(change.file), change.after]),
      );
      expect([...written.keys()]).toEqual([
        'joinery.json',
        'joinery/Accounts.UserEvent.json',
        'joinery/Accounts.UserTopic.json',
      ]);
      expect(written.get('joinery.json')).toBe(MANIFEST_INDEX_TEXT);
      expect(written.get('joinery/Accounts.UserTopic.json')).toBe(serializeEntry(topic));
      const reread = assembleManifest(
        written.get('joinery.json'),
        [...written].flatMap(([file, text]) => (file === 'joinery.json' ? [] : [{ file, text }])),
      );
      expect(reread.singleFile).toBe(false);
      expect([...reread.entries.keys()]).toEqual(['Accounts.UserEvent', 'Accounts.UserTopic']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an entry in both layouts (a merge of a moved and an unmoved branch) is named in both places', () => {
    const old = serializeManifest({ entries: new Map([['Accounts.UserEvent', entry()]]) });
    const error = errorOf(() =>
      assembleManifest(old, [
        { file: 'joinery/Accounts.UserEvent.json', text: serializeEntry(entry()) },
      ]),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(
      /^joinery\/Accounts\.UserEvent\.json:1:1: Accounts\.UserEvent is recorded twice, here and in joinery\.json:2:3/,
    );
  });

  it('an unknown field is refused at its line and column, with the closest field', () => {
    const text = serializeEntry(entry()).replace('"timestamps"', '"timestamp"');
    const error = errorOf(() => parseEntryFile('joinery/Accounts.UserEvent.json', text));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'joinery/Accounts.UserEvent.json:11:3: entry "Accounts.UserEvent" has the unknown field "timestamp" (did you mean "timestamps"?).',
    );
  });
});
