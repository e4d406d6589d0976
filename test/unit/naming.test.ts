import { genFlags } from '../support/gen-flags.js';
import { describe, expect, it } from 'vitest';
import { toJoinModel } from '../../src/join/join-model.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { articleFor, camelCase, pluralizeLast, snakeCase } from '../../src/rules/naming.js';
import { fileNameLike } from '../../src/targets/drizzle/place.js';
import { normalizeResourceName } from '../../src/rules/resolve-resource.js';

describe('naming', () => {
  it.each([
    ['UserEvent', 'user_event', 'userEvent', 'UserEvents'],
    ['UserCategory', 'user_category', 'userCategory', 'UserCategories'],
    ['PersonGroup', 'person_group', 'personGroup', 'PersonGroups'],
  ])('%s', (name, snake, camel, plural) => {
    expect([snakeCase(name), camelCase(name), pluralizeLast(name)]).toEqual([snake, camel, plural]);
  });

  it.each([
    ['Event', 'an'],
    ['Organization', 'an'],
    ['User', 'a'],
    ['Unit', 'a'],
    ['Umbrella', 'an'],
    ['Venue', 'a'],
  ])('articleFor(%s) = %s', (name, article) => {
    expect(articleFor(name)).toBe(article);
  });

  it.each([
    ['users', 'user'],
    ['usersTable', 'user'],
    ['user_table', 'user'],
    ['user_events', 'userevent'],
    ['people', 'person'],
    ['UserEntity', 'user'],
    ['app_users', 'appuser'],
  ])('normalizeResourceName(%s) = %s', (name, expected) => {
    expect(normalizeResourceName(name)).toBe(expected);
  });

  it.each([
    ['/p/src/accounts/user.ts', 'users', 'user-event.ts'],
    ['/p/src/db/schema/users.ts', 'users', 'user-events.ts'],
    ['/p/src/entities/User.ts', 'users', 'UserEvent.ts'],
    ['/p/src/db/user_profile.ts', 'userProfiles', 'user_event.ts'],
    ['/p/src/accounts/user.schema.ts', 'users', 'user-event.schema.ts'],
  ])('fileNameLike(%s) = %s', (sibling, variable, expected) => {
    expect(fileNameLike(sibling, variable, 'UserEvent')).toBe(expected);
  });
});

describe('toJoinModel', () => {
  const spec = (primaryKey: string[], relationships: string[] = []) =>
    buildResourceSpec(
      genFlags(['Accounts', 'UserEvent'], {
        primaryKey,
        attributes: ['role:string'],
        relationships,
      }),
    );

  it('derives table, keys, relationships and migration name', () => {
    const join = toJoinModel(spec(['user_id,event_id']));
    expect(join).toMatchObject({
      table: 'user_events',
      collection: 'userEvents',
      migrationName: 'create_user_events_join_table',
      source: { relationship: 'user', destination: { resource: 'User' } },
      target: { relationship: 'event', destination: { resource: 'Event' } },
    });
    expect(join.extraAttributes.map((a) => a.name)).toEqual(['role']);
  });

  it('takes destinations from belongs_to relationships', () => {
    const join = toJoinModel(
      spec(
        [],
        ['belongs_to:member:Accounts.User:primary_key', 'belongs_to:event:Works.Event:primary_key'],
      ),
    );
    expect(join.source).toMatchObject({
      relationship: 'member',
      destination: { domain: 'Accounts', resource: 'User' },
    });
  });

  it.each([
    [['user_id'], /exactly two/],
    [['user_id,event_id,topic_id'], /exactly two/],
    [['user_id,code'], /does not say which resource/],
  ])('rejects primary key %j', (primaryKey, message) => {
    expect(() => toJoinModel(spec(primaryKey))).toThrow(message);
  });
});
