/**
 * Issue 15: the direction-naming rule of self joins (src/rules/direction-names.ts), the flags
 * that name directions and keys, Ash's self many_to_many, and their refusals (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { entryFromSpec } from '../../src/manifest/entry-from-spec.js';
import { specFromEntry } from '../../src/manifest/spec-from-entry.js';
import { expandRelationships } from '../../src/resource/expand-relationships.js';
import {
  directionNames,
  selfDirectionHelperNames,
  selfDirectionItemType,
} from '../../src/rules/direction-names.js';
import { helperNames } from '../../src/rules/helpers-file.js';
import { errorOf, genFlags } from '../support/gen-flags.js';

const FOLLOW = [
  'belongs_to:follower:Accounts.User:primary_key',
  'belongs_to:followee:Accounts.User:primary_key',
];
const follow = (overrides: Parameters<typeof genFlags>[1] = {}) =>
  buildResourceSpec(genFlags(['Accounts', 'Follow'], { relationships: FOLLOW, ...overrides }));

describe('directionNames: the given name, else the plural of the other key', () => {
  it.each([
    ['user', 'event', {}, false, ['events', 'users']],
    ['follower', 'followee', {}, true, ['followees', 'followers']],
    ['follower', 'followee', { follower: 'following' }, true, ['following', 'followers']],
    ['user', 'friend', {}, true, ['friends', 'users']],
    ['mentor', 'mentee', { mentor: 'mentees', mentee: 'mentors' }, true, ['mentees', 'mentors']],
    ['follower', 'followee', { follower: 'followed_users' }, true, ['followedUsers', 'followers']],
  ])('%s / %s %j (self %s) → %j', (source, target, given, self, expected) => {
    expect(
      directionNames('Join', { relationship: source }, { relationship: target }, given, self),
    ).toEqual(expected);
  });

  it('refuses two directions of one name on a self join, naming the flag that fixes it', () => {
    const error = errorOf(() =>
      directionNames(
        'Follow',
        { relationship: 'follower' },
        { relationship: 'followee' },
        { follower: 'fans', followee: 'fans' },
        true,
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('both directions would be called "fans"');
    expect(error.hint).toContain('--directions followees,followers');
  });

  it('refuses a name for a belongs_to the join does not have', () => {
    const error = errorOf(() =>
      directionNames('Follow', { relationship: 'a' }, { relationship: 'b' }, { c: 'x' }, true),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"c", which is neither of its keys (a, b)');
  });

  it('names the helpers and item types of each direction by the direction', () => {
    expect(selfDirectionHelperNames('User', 'following')).toEqual({
      load: 'loadFollowing',
      append: 'appendFollowing',
      remove: 'removeFollowing',
      set: 'setFollowing',
      id: 'userId',
      ids: 'followingIds',
      items: 'following',
    });
    expect(selfDirectionHelperNames('User', 'followers').ids).toBe('followerIds');
    expect(selfDirectionItemType('User', 'followers')).toBe('FollowerOfUser');
  });
});

describe('a self join model', () => {
  it('is self, with both directions named, and helpers named by them', () => {
    const model = toJoinModel(follow({ directions: ['following,followers'] }));
    expect(model.self).toBe(true);
    expect([model.source.manyToMany, model.target.manyToMany]).toEqual(['following', 'followers']);
    expect(helperNames(model).map((names) => names.load)).toEqual([
      'loadFollowing',
      'loadFollowers',
    ]);
    expect(toJoinModel(follow()).source.manyToMany).toBe('followees');
  });

  it('a join of two resources is not self and keeps its helper names', () => {
    const model = toJoinModel(
      buildResourceSpec(genFlags(['Accounts', 'UserEvent'], { primaryKey: ['user_id,event_id'] })),
    );
    expect(model.self).toBe(false);
    expect(helperNames(model)[0].load).toBe('loadUserEvents');
  });

  it('--directions is recorded by belongs_to and replays to the same model', () => {
    const spec = follow({ directions: ['following,followers'] });
    const entry = entryFromSpec(spec, 'follows');
    expect(entry.manyToManyNames).toEqual({ follower: 'following', followee: 'followers' });
    const replayed = toJoinModel(specFromEntry({ ...entry, files: [], migrations: [] }));
    expect(replayed.target.manyToMany).toBe('followers');
    expect(replayed.source.manyToMany).toBe('following');
  });
});

describe('--directions and --join-keys refusals (exit 2)', () => {
  it.each([
    [{ directions: ['following'] }, /needs two names/],
    [{ directions: ['following,followers,fans'] }, /needs two names/],
    [{ directions: ['Following,followers'] }, /not a valid attribute name/],
  ])('%j', (overrides, message) => {
    const error = errorOf(() => follow(overrides));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it('refuses --directions on a plain resource', () => {
    const error = errorOf(() =>
      buildResourceSpec(
        genFlags(['Works', 'Event'], { uuidPrimaryKey: 'id', directions: ['a,b'] }),
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('this resource is not one');
  });

  it('refuses the same key twice, pointing at named belongs_to', () => {
    const error = errorOf(() =>
      buildResourceSpec(genFlags(['Accounts', 'Follow'], { primaryKey: ['user_id,user_id'] })),
    );
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('-r belongs_to:follower:Accounts.User:primary_key');
  });

  it.each([
    [['follower_id'], /two different <name>_id keys/],
    [['follower_id,follower_id'], /two different <name>_id keys/],
    [['follower,followee'], /two different <name>_id keys/],
  ])('refuses --join-keys %j', (joinKeys, message) => {
    const error = errorOf(() =>
      buildResourceSpec(
        genFlags(['Accounts', 'User'], {
          relationships: ['many_to_many:following:Accounts.User'],
          joinKeys,
        }),
      ),
    );
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });
});

describe("Ash's self many_to_many", () => {
  const user = (relationships: string[], joinKeys?: string[]) =>
    buildResourceSpec(genFlags(['Accounts', 'User'], { relationships, joinKeys }));

  it('with --join-keys makes the join the belongs_to command makes, its name the first direction', () => {
    const { resource, related } = expandRelationships(
      user(['many_to_many:following:Accounts.Follow:Accounts.User'], ['follower_id,followee_id']),
    );
    expect(resource).toBeUndefined();
    const model = toJoinModel(related[0]!);
    const direct = toJoinModel(follow({ directions: ['following,followers'] }));
    expect(model).toEqual(direct);
  });

  it('defaults the through resource to <Resource><Name>', () => {
    const { related } = expandRelationships(
      user(['many_to_many:friends:Accounts.User'], ['user_id,friend_id']),
    );
    expect(related[0]).toMatchObject({ domain: 'Accounts', resource: 'UserFriends' });
    expect(toJoinModel(related[0]!).source.manyToMany).toBe('friends');
  });

  it('refuses --join-keys without a self many_to_many, or with two', () => {
    const none = errorOf(() =>
      expandRelationships(user(['many_to_many:events:Works.Event'], ['a_id,b_id'])),
    );
    expect(none.exitCode).toBe(2);
    expect(none.message).toContain('this command has none');
    const two = errorOf(() =>
      expandRelationships(
        user(
          ['many_to_many:following:Accounts.User', 'many_to_many:friends:Accounts.User'],
          ['a_id,b_id'],
        ),
      ),
    );
    expect(two.message).toContain('ambiguous');
  });
});
