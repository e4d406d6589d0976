import { errorOf, genFlags } from '../support/gen-flags.js';
import { describe, expect, it } from 'vitest';
import {
  buildResourceSpec,
  parseAttribute,
  parseRelationship,
  parseResourceNames,
  parseTableName,
  splitList,
  type GenResourceFlags,
} from '../../src/flags/parse-flags.js';

const flags = (overrides: Partial<GenResourceFlags>): GenResourceFlags =>
  genFlags(['Accounts', 'UserEvent'], overrides);

describe('parseTableName', () => {
  it.each([
    ['user_events', { table: 'user_events' }],
    ['app.user_events', { schema: 'app', table: 'user_events' }],
  ])('%s → %j', (value, expected) => {
    expect(parseTableName(value)).toEqual(expected);
  });
});

describe('parseResourceNames', () => {
  it.each([
    [['Accounts', 'UserEvent'], { domain: 'Accounts', resource: 'UserEvent' }],
    [['Accounts.UserEvent'], { domain: 'Accounts', resource: 'UserEvent' }],
    [['MyApp.Accounts.UserEvent'], { domain: 'MyApp.Accounts', resource: 'UserEvent' }],
  ])('%j → %j', (names, expected) => {
    expect(parseResourceNames(names)).toEqual(expected);
  });

  it.each([
    [['UserEvent']],
    [['accounts', 'UserEvent']],
    [['Accounts', 'User-Event']],
    [['Accounts', 'user_event']],
  ])('rejects %j with exit 2', (names) => {
    expect(errorOf(() => parseResourceNames(names)).exitCode).toBe(2);
  });
});

describe('parseAttribute', () => {
  it.each([
    ['user_id:uuid', { name: 'user_id', type: 'uuid', required: false, primaryKey: false }],
    ['user_id:uuid:required', { name: 'user_id', type: 'uuid', required: true }],
    [
      'user_id:uuid:primary_key',
      { name: 'user_id', type: 'uuid', required: true, primaryKey: true },
    ],
    ['role:string:required:public', { name: 'role', type: 'string', required: true, public: true }],
    ['tags:string:array', { name: 'tags', type: 'string', array: true }],
    ['token:text:sensitive', { name: 'token', type: 'text', sensitive: true }],
    ['joined_at:utc_datetime_usec', { name: 'joined_at', type: 'utc_datetime_usec' }],
    ['meta::map', undefined],
    ['settings:map', { name: 'settings', type: 'map' }],
    ['score:float', { name: 'score', type: 'float' }],
    ['price:decimal', { name: 'price', type: 'decimal' }],
    ['born_on:date', { name: 'born_on', type: 'date' }],
    ['at:naive_datetime', { name: 'at', type: 'naive_datetime' }],
    ['big:bigint', { name: 'big', type: 'bigint' }],
    ['flag:boolean', { name: 'flag', type: 'boolean' }],
    ['n:integer', { name: 'n', type: 'integer' }],
  ])('%s', (text, expected) => {
    if (expected === undefined) {
      expect(errorOf(() => parseAttribute(text)).exitCode).toBe(2);
      return;
    }
    expect(parseAttribute(text)).toMatchObject(expected);
  });

  it.each([
    ['user_id', /has no type/],
    ['user_id:', /has no type/],
    ['user_id:uuidd', /unknown type "uuidd" \(did you mean "uuid"\?\)/],
    ['user_id:uuid:requred', /unknown modifier "requred" \(did you mean "required"\?\)/],
    ['UserId:uuid', /not a valid attribute name/],
    ['1st:uuid', /not a valid attribute name/],
    ['user-id:uuid', /not a valid attribute name/],
    ["x'); drop table users; --:uuid", /not a valid attribute name/],
  ])('rejects %s', (text, message) => {
    const error = errorOf(() => parseAttribute(text));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('lists the valid types and modifiers in the hint', () => {
    expect(errorOf(() => parseAttribute('a:nope')).hint).toContain('uuid, string, text, integer');
    expect(errorOf(() => parseAttribute('a:uuid:nope')).hint).toContain(
      'primary_key, public, required, sensitive, array',
    );
  });
});

describe('parseRelationship', () => {
  it.each([
    [
      'belongs_to:user:Accounts.User:primary_key:required',
      {
        kind: 'belongs_to',
        name: 'user',
        destination: { domain: 'Accounts', resource: 'User' },
        primaryKey: true,
        required: true,
      },
    ],
    [
      'belongs_to:event:Event',
      { name: 'event', destination: { domain: undefined, resource: 'Event' } },
    ],
  ])('%s', (text, expected) => {
    expect(parseRelationship(text)).toMatchObject(expected);
  });

  it.each([
    [
      'belong_to:user:User',
      /unknown relationship type "belong_to" \(did you mean "belongs_to"\?\)/,
    ],
    ['belongs_to:user', /needs a name and a destination/],
    ['belongs_to:user:accounts.user', /not a valid name/],
    ['belongs_to:user:User:sometimes', /unknown modifier "sometimes"/],
  ])('rejects %s', (text, message) => {
    expect(errorOf(() => parseRelationship(text)).message).toMatch(message);
  });
});

describe('splitList', () => {
  it.each([
    [['a,b'], ['a', 'b']],
    [
      ['a', 'b,c'],
      ['a', 'b', 'c'],
    ],
    [[' a , b '], ['a', 'b']],
  ])('%j → %j', (values, expected) => {
    expect(splitList(values, '--attribute')).toEqual(expected);
  });

  it.each([[['a,']], [['a,,b']], [[',a']]])('rejects %j (empty entry)', (values) => {
    const error = errorOf(() => splitList(values, '--attribute'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/empty entry/);
  });
});

describe('buildResourceSpec', () => {
  it('reads the reference form', () => {
    const spec = buildResourceSpec(
      flags({
        primaryKey: ['user_id,event_id'],
        attributes: ['user_id:uuid:required', 'event_id:uuid:required'],
      }),
    );
    expect(spec.attributes.map((a) => [a.name, a.type, a.primaryKey, a.required])).toEqual([
      ['user_id', 'uuid', true, true],
      ['event_id', 'uuid', true, true],
    ]);
  });

  it('leaves key types open when only --primary-key names them', () => {
    const spec = buildResourceSpec(flags({ primaryKey: ['user_id,event_id'] }));
    expect(spec.attributes.map((a) => a.type)).toEqual([undefined, undefined]);
  });

  it('reads Ash form: -a comma lists, belongs_to primary keys, timestamps', () => {
    const spec = buildResourceSpec(
      flags({
        names: ['Accounts.UserEvent'],
        attributes: ['role:string:required,joined_at:utc_datetime'],
        relationships: [
          'belongs_to:user:Accounts.User:primary_key:required',
          'belongs_to:event:Works.Event:primary_key',
        ],
        timestamps: true,
      }),
    );
    expect(spec.attributes.map((a) => a.name)).toEqual([
      'role',
      'joined_at',
      'user_id',
      'event_id',
    ]);
    expect(spec.attributes.filter((a) => a.primaryKey).map((a) => a.name)).toEqual([
      'user_id',
      'event_id',
    ]);
    expect(spec.timestamps).toBe(true);
  });

  it.each([
    [{ primaryKey: ['user_id,'] }, /empty entry/],
    [
      { primaryKey: ['user_id'], attributes: ['user_id:uuid', 'user_id:integer'] },
      /different types/,
    ],
    [{ relationships: ['belongs_to:user:User', 'belongs_to:user:User'] }, /declared twice/],
    [{ uuidPrimaryKey: 'id', integerPrimaryKey: 'id' }, /exclude each other/],
    [{ table: 'User Events' }, /not a valid attribute name/],
    [{ table: 'App.user_events' }, /"App" in "App.user_events" is not a valid schema name/],
    [{ table: 'app.user_events.x' }, /not a valid attribute name/],
    [{ table: 'app.' }, /not a valid attribute name/],
    [{ conflicts: 'merge' }, /unknown value "merge"/],
  ])('rejects %j', (overrides, message) => {
    const error = errorOf(() => buildResourceSpec(flags(overrides)));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});
