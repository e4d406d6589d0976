/**
 * Plain resources in the flag grammar: generated keys, --on-delete and on_delete_* modifiers,
 * Ash's `many_to_many:name:Through:Destination`, the ORM-neutral ResourceModel, the expansion
 * of many_to_many into join specs, and their joinery.json round trip.
 */
import { errorOf, genFlags } from '../support/gen-flags.js';
import { describe, expect, it } from 'vitest';
import { entryFromSpec } from '../../src/manifest/entry-from-spec.js';
import { mergeSpecs } from '../../src/manifest/merge-spec.js';
import { parseManifest } from '../../src/manifest/parse-manifest.js';
import { serializeManifest } from '../../src/manifest/serialize-manifest.js';
import { specFromEntry } from '../../src/manifest/spec-from-entry.js';
import { expandRelationships } from '../../src/resource/expand-relationships.js';
import { isJoinSpec, toResourceModel } from '../../src/resource/resource-model.js';
import { toJoinModel } from '../../src/join/join-model.js';
import {
  buildResourceSpec,
  parseRelationship,
  type GenResourceFlags,
} from '../../src/flags/parse-flags.js';
import type { ManifestEntry } from '../../src/manifest/manifest.js';

const flags = (overrides: Partial<GenResourceFlags>): GenResourceFlags =>
  genFlags(['Works', 'Event'], overrides);

const ISSUE_EXAMPLE = flags({
  uuidPrimaryKey: 'id',
  attributes: ['title:string:required', 'starts_at:utc_datetime'],
  relationships: ['belongs_to:organizer:Accounts.User:required'],
  timestamps: true,
});

describe('generated primary keys', () => {
  it.each([
    [{ uuidPrimaryKey: 'id' }, { name: 'id', kind: 'uuid' }],
    [{ uuidV7PrimaryKey: 'id' }, { name: 'id', kind: 'uuid_v7' }],
    [{ integerPrimaryKey: 'event_no' }, { name: 'event_no', kind: 'integer' }],
  ])('%j → %j', (overrides, expected) => {
    expect(buildResourceSpec(flags(overrides)).surrogateKey).toEqual(expected);
  });

  it.each([
    [
      { uuidPrimaryKey: 'id', uuidV7PrimaryKey: 'id' },
      /--uuid-primary-key and --uuid-v7-primary-key exclude each other/,
    ],
    [{ uuidV7PrimaryKey: 'Id' }, /--uuid-v7-primary-key: "Id" is not a valid attribute name/],
  ])('rejects %j', (overrides, message) => {
    const error = errorOf(() => buildResourceSpec(flags(overrides)));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});

describe('on delete rules', () => {
  it('--on-delete leaves join keys alone (they always cascade)', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts', 'UserEvent'],
        relationships: [
          'belongs_to:user:Accounts.User:primary_key',
          'belongs_to:event:Works.Event:primary_key',
        ],
        onDelete: 'restrict',
      }),
    );
    expect(spec.relationships.map((r) => r.onDelete)).toEqual([undefined, undefined]);
  });

  it.each([
    [[], undefined, 'restrict'],
    [[], 'cascade', 'cascade'],
    [[], 'set_null', 'set-null'],
    [['on_delete_cascade'], 'restrict', 'cascade'],
    [['on_delete_set_null'], undefined, 'set-null'],
  ])('modifiers %j with --on-delete %s → %s', (modifiers, onDelete, expected) => {
    const spec = buildResourceSpec(
      flags({
        uuidPrimaryKey: 'id',
        relationships: [['belongs_to:organizer:Accounts.User', ...modifiers].join(':')],
        onDelete,
      }),
    );
    expect(toResourceModel(spec).belongsTo[0]!.onDelete).toBe(expected);
  });

  it.each([
    [{ onDelete: 'drop' }, /--on-delete: unknown rule "drop"/],
    [
      { relationships: ['belongs_to:organizer:Accounts.User:required'], onDelete: 'set-null' },
      /set-null cannot apply to the required relationship "organizer"/,
    ],
    [
      { relationships: ['many_to_many:events:Works.Event:on_delete_cascade'] },
      /applies to belongs_to and has_many only/,
    ],
    [
      { relationships: ['has_many:events:Works.Event:primary_key'] },
      /primary_key applies to belongs_to only/,
    ],
    [
      { relationships: ['belongs_to:user:Accounts.User:primary_key:on_delete_restrict'] },
      /the join key "user" always cascades/,
    ],
  ])('rejects %j', (overrides, message) => {
    const error = errorOf(() => buildResourceSpec(flags(overrides)));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});

describe('many_to_many in Ash syntax', () => {
  it.each([
    [
      'many_to_many:events:Accounts.UserEvent:Works.Event',
      {
        through: { domain: 'Accounts', resource: 'UserEvent' },
        destination: { domain: 'Works', resource: 'Event' },
      },
    ],
    [
      'many_to_many:events:Works.Event:public',
      { through: undefined, destination: { domain: 'Works', resource: 'Event' }, public: true },
    ],
    [
      'many_to_many:events:Event',
      { through: undefined, destination: { domain: undefined, resource: 'Event' } },
    ],
  ])('%s', (text, { through, ...expected }) => {
    const relationship = parseRelationship(text);
    expect(relationship).toMatchObject(expected);
    expect(relationship.through).toEqual(through);
  });

  it('expands into one join spec per relationship, keys named after both resources', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts', 'User'],
        relationships: [
          'many_to_many:events:Accounts.UserEvent:Works.Event',
          'many_to_many:tasks:Works.Task',
        ],
      }),
    );
    const { resource, related: joins } = expandRelationships(spec);
    expect(resource).toBeUndefined();
    const models = joins.map((join) => toJoinModel(join));
    expect(models.map((join) => [join.domain, join.resource, join.table])).toEqual([
      ['Accounts', 'UserEvent', 'user_events'],
      ['Accounts', 'UserTask', 'user_tasks'],
    ]);
    expect(models[0]!.source).toMatchObject({
      relationship: 'user',
      destination: { domain: 'Accounts', resource: 'User' },
    });
    expect(models[0]!.target).toMatchObject({
      relationship: 'event',
      destination: { domain: 'Works', resource: 'Event' },
    });
    // The many-to-many names are the defaults: users reach events as `events` and back.
    expect([models[0]!.source.manyToMany, models[0]!.target.manyToMany]).toEqual([
      'events',
      'users',
    ]);
    // The expanded join records like the one written by hand.
    const recorded = entryFromSpec(joins[0]!, 'user_events');
    expect(recorded).toMatchObject({
      primaryKey: ['user_id', 'event_id'],
      relationships: [
        'belongs_to:user:Accounts.User:primary_key',
        'belongs_to:event:Works.Event:primary_key',
      ],
    });
    expect(recorded.manyToManyNames).toBeUndefined();
  });

  it('keeps a name other than the default, recorded and replayed', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts', 'User'],
        relationships: ['many_to_many:attended_events:Works.Event'],
      }),
    );
    const [join] = expandRelationships(spec).related;
    expect(toJoinModel(join!).source.manyToMany).toBe('attendedEvents');
    expect(toJoinModel(join!).target.manyToMany).toBe('users');
    const recorded = entryFromSpec(join!, 'user_events');
    expect(recorded.manyToManyNames).toEqual({ user: 'attended_events' });
    const replayed = specFromEntry({ ...recorded, files: [], migrations: [] });
    expect(toJoinModel(replayed).source.manyToMany).toBe('attendedEvents');
  });

  it('refuses recorded names that are not identifiers or not keyed by one of the join keys', () => {
    const spec = buildResourceSpec(
      flags({ names: ['Accounts', 'User'], relationships: ['many_to_many:events:Works.Event'] }),
    );
    const recorded = { ...entryFromSpec(expandRelationships(spec).related[0]!, 'user_events') };
    const replay = (manyToManyNames: Record<string, string>) =>
      errorOf(() =>
        toJoinModel(specFromEntry({ ...recorded, manyToManyNames, files: [], migrations: [] })),
      );
    expect(replay({ user: 'attended; drop' })).toMatchObject({ exitCode: 2 });
    const unknown = replay({ task: 'attended' });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toContain('"task", which is neither of its keys (user, event)');
  });

  it('has_many becomes a belongs_to on its destination, named back as asked', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts', 'User'],
        relationships: [
          'has_many:hosted_events:Works.Event:on_delete_cascade',
          'has_many:tickets:Works.Ticket:required',
        ],
      }),
    );
    const { resource, related } = expandRelationships(spec);
    expect(resource).toBeUndefined();
    const [events, tickets] = related.map((spec) => toResourceModel(spec));
    expect(events).toMatchObject({ domain: 'Works', resource: 'Event', primaryKey: undefined });
    expect(events!.belongsTo).toEqual([
      expect.objectContaining({
        name: 'user',
        attribute: 'user_id',
        destination: { domain: 'Accounts', resource: 'User' },
        required: false,
        onDelete: 'cascade',
        inverse: 'hostedEvents',
      }),
    ]);
    // The default name (the destination's plural) is not recorded.
    expect(tickets!.belongsTo[0]).toMatchObject({
      name: 'user',
      inverse: 'tickets',
      required: true,
    });
    expect(entryFromSpec(related[1]!, 'tickets').inverseNames).toBeUndefined();
    const recorded = entryFromSpec(related[0]!, 'events');
    expect(recorded).toMatchObject({
      relationships: ['belongs_to:user:Accounts.User:on_delete_cascade'],
      inverseNames: { user: 'hosted_events' },
    });
    const replayed = specFromEntry({ ...recorded, files: [], migrations: [] });
    expect(toResourceModel(replayed).belongsTo[0]!.inverse).toBe('hostedEvents');
  });

  it.each([
    [['has_many:events:Event'], /needs to know/],
    [['has_many:users:Accounts.User'], /self-reference/],
  ])('refuses has_many %j with the command that works', (relationships, message) => {
    const spec = buildResourceSpec(flags({ names: ['Accounts', 'User'], relationships }));
    const error = errorOf(() => expandRelationships(spec));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('refuses a recorded has_many name keyed by no belongs_to of the entry', () => {
    const spec = buildResourceSpec(
      flags({ names: ['Works', 'Event'], relationships: ['belongs_to:user:Accounts.User'] }),
    );
    const error = errorOf(() => toResourceModel({ ...spec, inverseNames: { host: 'hosted' } }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"host", which is none of its belongs_to');
  });

  it('keeps the resource when the command asks for more than joins', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts', 'User'],
        attributes: ['nickname:string'],
        relationships: ['many_to_many:events:Accounts.UserEvent:Works.Event'],
      }),
    );
    const { resource, related: joins } = expandRelationships(spec);
    expect(resource?.attributes.map((a) => a.name)).toEqual(['nickname']);
    expect(resource?.relationships).toEqual([]);
    expect(joins).toHaveLength(1);
  });

  it('refuses a many_to_many of a resource to itself without --join-keys, with the commands that work', () => {
    const spec = buildResourceSpec(
      flags({ names: ['Accounts', 'User'], relationships: ['many_to_many:friends:Accounts.User'] }),
    );
    const error = errorOf(() => expandRelationships(spec));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('both would be user_id');
    expect(error.hint).toContain('--join-keys follower_id,followee_id');
    expect(error.hint).toContain('belongs_to:follower:Accounts.User:primary_key');
  });
});

describe('toResourceModel', () => {
  it('reads the issue example: key, attributes, belongs_to with its inverse, timestamps', () => {
    const spec = buildResourceSpec(ISSUE_EXAMPLE);
    expect(isJoinSpec(spec)).toBe(false);
    expect(toResourceModel(spec)).toEqual({
      domain: 'Works',
      resource: 'Event',
      table: 'events',
      collection: 'events',
      primaryKey: { name: 'id', kind: 'uuid' },
      attributes: [
        expect.objectContaining({ name: 'title', type: 'string', required: true }),
        expect.objectContaining({ name: 'starts_at', type: 'utc_datetime', required: false }),
      ],
      belongsTo: [
        {
          name: 'organizer',
          attribute: 'organizer_id',
          destination: { domain: 'Accounts', resource: 'User' },
          required: true,
          onDelete: 'restrict',
          inverse: 'events',
          relationName: undefined,
        },
      ],
      timestamps: true,
      timestampNames: { created: 'inserted_at', updated: 'updated_at' },
      migrationName: 'create_events_table',
    });
  });

  it('names the inverses apart when two relationships point at one destination', () => {
    const spec = buildResourceSpec(
      flags({
        uuidPrimaryKey: 'id',
        relationships: ['belongs_to:organizer:Accounts.User', 'belongs_to:reviewer:User'],
      }),
    );
    expect(toResourceModel(spec).belongsTo.map((r) => [r.inverse, r.relationName])).toEqual([
      ['organizerEvents', 'events_organizer'],
      ['reviewerEvents', 'events_reviewer'],
    ]);
  });

  it('a typed attribute named like a belongs_to key is that key, not a second column', () => {
    const spec = buildResourceSpec(
      flags({
        uuidPrimaryKey: 'id',
        attributes: ['organizer_id:uuid'],
        relationships: ['belongs_to:organizer:Accounts.User'],
      }),
    );
    expect(toResourceModel(spec).attributes).toEqual([]);
  });

  it.each([
    [
      { primaryKey: ['code'] },
      /primary key of code: a join resource needs a primary key of exactly two references/,
    ],
    [
      { relationships: ['has_one:profile:Accounts.Profile'] },
      /joinery does not generate has_one yet/,
    ],
    [{ uuidPrimaryKey: 'id', attributes: ['id:string'] }, /has the name of the primary key/],
  ])('refuses %j', (overrides, message) => {
    const error = errorOf(() => toResourceModel(buildResourceSpec(flags(overrides))));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});

describe('joinery.json for plain resources', () => {
  const recorded = (overrides: Partial<GenResourceFlags>): ManifestEntry => ({
    ...entryFromSpec(buildResourceSpec(flags(overrides)), 'events'),
    files: ['src/works/event.ts'],
    migrations: [],
  });

  it('records the key flag and the on-delete rule, and replays to the same entry', () => {
    const entry = recorded({ ...ISSUE_EXAMPLE, onDelete: 'cascade' });
    expect(entry).toMatchObject({
      primaryKey: [],
      uuidPrimaryKey: 'id',
      relationships: ['belongs_to:organizer:Accounts.User:required:on_delete_cascade'],
    });
    const text = serializeManifest({ version: 1, entries: new Map([['Works.Event', entry]]) });
    const parsed = parseManifest(text).entries.get('Works.Event')!;
    expect(parsed).toEqual(entry);
    expect(entryFromSpec(specFromEntry(parsed), 'events')).toEqual(
      entryFromSpec(specFromEntry(entry), 'events'),
    );
  });

  it.each([
    [{ uuidV7PrimaryKey: 'id' }, { uuidV7PrimaryKey: 'id' }],
    [{ integerPrimaryKey: 'id' }, { integerPrimaryKey: 'id' }],
  ])('%j is recorded as %j', (overrides, expected) => {
    expect(recorded(overrides)).toMatchObject(expected);
  });

  it('convergence keeps the recorded key and refuses another key or on-delete rule', () => {
    const base = specFromEntry(recorded(ISSUE_EXAMPLE));
    const grown = mergeSpecs(base, buildResourceSpec(flags({ attributes: ['capacity:integer'] })));
    expect(grown.surrogateKey).toEqual({ name: 'id', kind: 'uuid' });
    expect(grown.attributes.map((a) => a.name)).toEqual(['title', 'starts_at', 'capacity']);
    expect(
      errorOf(() => mergeSpecs(base, buildResourceSpec(flags({ integerPrimaryKey: 'id' }))))
        .message,
    ).toMatch(/uuid primary key id; joinery does not change an existing key/);
    expect(
      errorOf(() =>
        mergeSpecs(
          base,
          buildResourceSpec(
            flags({ relationships: ['belongs_to:organizer:Accounts.User:on_delete_cascade'] }),
          ),
        ),
      ).message,
    ).toMatch(/on delete restrict, not cascade/);
  });
});
