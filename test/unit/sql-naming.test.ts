/**
 * The project's SQL naming, read from its tables (src/project/conventions.ts), and the names the
 * shared rule (src/rules/naming-sql.ts) gives a table and a column under it: one line per case.
 */
import { describe, expect, it } from 'vitest';
import {
  nearestSqlNaming,
  sqlNamingOf,
  type SqlNaming,
  type SqlTableNames,
} from '../../src/project/conventions.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { toResourceModel } from '../../src/resource/resource-model.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { genFlags } from '../support/gen-flags.js';
import {
  flagName,
  sqlColumnName,
  sqlTableName,
  sqlTimestampNames,
} from '../../src/rules/naming-sql.js';

const t = (table: string, ...columns: string[]): SqlTableNames => ({ table, columns });

describe('sqlNamingOf: column casing from multi-word names, plurality from the last word', () => {
  it.each<[string, SqlTableNames[], ReturnType<typeof sqlNamingOf>]>([
    ['nothing to read', [], {}],
    ['one-word columns say nothing', [t('users', 'id', 'email')], { tables: 'plural' }],
    [
      'snake columns, plural tables',
      [t('users', 'id', 'created_at')],
      { columns: 'snake', tables: 'plural' },
    ],
    [
      'camel columns, singular tables (t3)',
      [t('post', 'id', 'createdById', 'createdAt')],
      { columns: 'camel', tables: 'singular' },
    ],
    [
      'the last word decides: user_profile',
      [t('user_profile', 'userId')],
      { columns: 'camel', tables: 'singular' },
    ],
    ['the last word decides: user_events', [t('user_events')], { tables: 'plural' }],
    ['news and data are either', [t('news'), t('data'), t('media')], {}],
    [
      'the majority wins',
      [t('user', 'userId', 'refresh_token', 'sessionToken'), t('posts')],
      { columns: 'camel' },
    ],
    ['a tie is no sign', [t('user', 'a_b', 'cD'), t('posts')], {}],
    [
      'a trailing digit is no word',
      [t('v2'), t('event', 'event_id')],
      { columns: 'snake', tables: 'singular' },
    ],
  ])('%s', (_title, tables, expected) => {
    expect(sqlNamingOf(tables)).toEqual(expected);
  });
});

describe('nearestSqlNaming: each part from the first group that shows it, else the default', () => {
  it.each<[string, SqlTableNames[][], SqlNaming]>([
    ['no tables: snake and plural', [[], [], []], { columns: 'snake', tables: 'plural' }],
    [
      'destinations before the rest',
      [[], [t('user', 'createdAt')], [t('posts', 'a_b', 'c_d')]],
      {
        columns: 'camel',
        tables: 'singular',
        timestamps: { created: 'createdAt', updated: 'updatedAt' },
      },
    ],
    [
      'the rest fills what the destinations lack',
      [[], [t('user', 'id')], [t('accounts', 'user_id')]],
      { columns: 'snake', tables: 'singular' },
    ],
    [
      "the join's own table first",
      [[t('user_events', 'userId')], [t('user', 'event_id')], []],
      { columns: 'camel', tables: 'plural' },
    ],
    [
      'timestamps as the project names them',
      [[], [t('users', 'created_at', 'updated_at')], []],
      {
        columns: 'snake',
        tables: 'plural',
        timestamps: { created: 'created_at', updated: 'updated_at' },
      },
    ],
  ])('%s', (_title, groups, expected) => {
    expect(nearestSqlNaming(groups)).toEqual(expected);
  });
});

const snake: SqlNaming = { columns: 'snake', tables: 'plural' };
const camelSingular: SqlNaming = { columns: 'camel', tables: 'singular' };

describe('naming a table and a column under a convention', () => {
  it.each<[string, SqlNaming, string]>([
    ['UserEvent', snake, 'user_events'],
    ['UserEvent', camelSingular, 'user_event'],
    ['Person', snake, 'people'],
    ['UserProfile', camelSingular, 'user_profile'],
  ])('table of %s', (resource, naming, expected) => {
    expect(sqlTableName(resource, naming)).toBe(expected);
  });

  it.each<[string, SqlNaming, string]>([
    ['user_id', snake, 'user_id'],
    ['user_id', camelSingular, 'userId'],
    ['joinedAt', snake, 'joinedAt'],
    ['role', camelSingular, 'role'],
  ])('column %s', (name, naming, expected) => {
    expect(sqlColumnName(name, naming)).toBe(expected);
  });

  it.each<[SqlNaming, string, string]>([
    [snake, 'inserted_at', 'updated_at'],
    [camelSingular, 'insertedAt', 'updatedAt'],
    [
      { ...camelSingular, timestamps: { created: 'createdAt', updated: 'updatedAt' } },
      'createdAt',
      'updatedAt',
    ],
  ])('timestamps under %j', (naming, created, updated) => {
    expect(sqlTimestampNames(naming)).toEqual({ created, updated });
  });
});

describe('the models take the naming', () => {
  const join = (overrides: Parameters<typeof genFlags>[1]) =>
    buildResourceSpec(genFlags(['Accounts', 'UserEvent'], overrides));

  it('a join: table, keys, attributes, timestamps and migration name; messages keep the flag names', () => {
    const model = toJoinModel(
      join({
        primaryKey: ['user_id,event_id'],
        attributes: ['joined_at:utc_datetime'],
        timestamps: true,
      }),
      camelSingular,
    );
    expect([model.table, model.source.attribute.name, model.target.attribute.name]).toEqual([
      'user_event',
      'userId',
      'eventId',
    ]);
    expect(model.extraAttributes.map((attribute) => attribute.name)).toEqual(['joinedAt']);
    expect(model.timestampNames).toEqual({ created: 'insertedAt', updated: 'updatedAt' });
    expect(model.migrationName).toBe('create_user_event_join_table');
    expect(flagName(model.source.attribute)).toBe('user_id');
    expect(model.source.relationship).toBe('user');
  });

  it('the default naming changes nothing', () => {
    const spec = join({ primaryKey: ['user_id,event_id'] });
    expect(toJoinModel(spec, snake)).toEqual(toJoinModel(spec));
    expect(toJoinModel(spec).table).toBe('user_events');
  });

  it('--table stays as given', () => {
    expect(
      toJoinModel(join({ primaryKey: ['user_id,event_id'], table: 'attendances' }), camelSingular)
        .table,
    ).toBe('attendances');
  });

  it('a resource: table, belongs_to column and attributes', () => {
    const spec = buildResourceSpec(
      genFlags(['Works', 'Venue'], {
        uuidPrimaryKey: 'id',
        attributes: ['venue_name:string'],
        relationships: ['belongs_to:owner:User'],
      }),
    );
    const model = toResourceModel(spec, camelSingular);
    expect([model.table, model.belongsTo[0]!.attribute, model.attributes[0]!.name]).toEqual([
      'venue',
      'ownerId',
      'venueName',
    ]);
    expect(model.migrationName).toBe('create_venue_table');
  });
});
