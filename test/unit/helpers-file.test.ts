import { genFlags } from '../support/gen-flags.js';
import { describe, expect, it } from 'vitest';
import { helpersFileFor, helperNames } from '../../src/rules/helpers-file.js';
import { toJoinModel } from '../../src/join/join-model.js';
import { buildResourceSpec } from '../../src/flags/parse-flags.js';

describe('helpersFileFor', () => {
  it.each([
    // the join's own file: its stem, without an infix
    ['/p/src/accounts/user-event.ts', 'UserEvent', '/p/src/accounts/user-event.helpers.ts'],
    ['/p/src/db/schema/user-events.ts', 'UserEvent', '/p/src/db/schema/user-events.helpers.ts'],
    ['/p/src/entities/UserEvent.ts', 'UserEvent', '/p/src/entities/UserEvent.helpers.ts'],
    ['/p/src/db/user_event.ts', 'UserEvent', '/p/src/db/user_event.helpers.ts'],
    ['/p/src/a/user-event.entity.ts', 'UserEvent', '/p/src/a/user-event.helpers.ts'],
    ['/p/src/a/user-event.schema.mts', 'UserEvent', '/p/src/a/user-event.helpers.mts'],
    // a file shared with other tables: the resource, in that file's case style
    ['/p/src/db/schema.ts', 'UserEvent', '/p/src/db/user-event.helpers.ts'],
    ['/p/src/db/Schema.ts', 'UserEvent', '/p/src/db/UserEvent.helpers.ts'],
    ['/p/src/db/app_schema.ts', 'UserEvent', '/p/src/db/user_event.helpers.ts'],
    ['/p/src/db/appSchema.ts', 'UserEvent', '/p/src/db/userEvent.helpers.ts'],
  ])('%s (%s) → %s', (joinFile, resource, expected) => {
    expect(helpersFileFor(joinFile, resource)).toBe(expected);
  });
});

describe('helperNames', () => {
  const join = (primaryKey: string, relationships: string[] = []) =>
    toJoinModel(
      buildResourceSpec(
        genFlags(['Accounts', 'Membership'], {
          primaryKey: [primaryKey],
          relationships,
          helpers: true,
        }),
      ),
    );

  it('names both directions after the relationships', () => {
    const [forward, inverse] = helperNames(join('user_id,event_id'));
    expect(forward).toEqual({
      load: 'loadUserEvents',
      append: 'appendUserEvents',
      remove: 'removeUserEvents',
      set: 'setUserEvents',
      id: 'userId',
      ids: 'eventIds',
      items: 'events',
    });
    expect(inverse).toMatchObject({ load: 'loadEventUsers', id: 'eventId', ids: 'userIds' });
  });

  it('pluralizes the last word of a compound relationship', () => {
    const [forward, inverse] = helperNames(join('team_member_id,person_id'));
    expect(forward).toMatchObject({ load: 'loadTeamMemberPeople', ids: 'personIds' });
    expect(inverse).toMatchObject({ set: 'setPersonTeamMembers', id: 'personId' });
  });
});
