/** The shared name rules as tables: locals escaped, clashes refused per target (exit 2). */
import { DRIZZLE_NAMES } from '../../src/targets/drizzle/generated-names.js';
import { TYPEORM_NAMES } from '../../src/targets/typeorm/generated-names.js';
import { describe, expect, it } from 'vitest';
import {
  assertNamesGeneratable,
  localName,
  shorthand,
  type NamesToCheck,
} from '../../src/rules/identifiers.js';
import { assertMayClaimTable, type TableClaim } from '../../src/rules/existing-table.js';

describe('localName / shorthand', () => {
  it.each([
    ['class', 'class_'],
    ['package', 'package_'],
    ['interface', 'interface_'],
    ['await', 'await_'],
    ['user', 'user'],
    ['classes', 'classes'],
    ['Object', 'Object'],
  ])('%s → %s', (name, local) => expect(localName(name)).toBe(local));

  it('writes shorthand only where the local has the property name', () => {
    expect(shorthand(['title', 'default', 'userId'])).toBe('title, default: default_, userId');
  });
});

const names = (resource: string, properties: string[] = []): NamesToCheck => ({
  resources: [{ name: resource, origin: `the resource Works.${resource}` }],
  properties: properties.map((name) => ({ name, origin: `attribute ${name}` })),
  elsewhere: [],
});

const NAMES = { drizzle: DRIZZLE_NAMES, typeorm: TYPEORM_NAMES };

describe('assertNamesGeneratable', () => {
  it.each([
    ['typeorm', 'Class', true],
    ['typeorm', 'Package', true],
    ['typeorm', 'Error', false],
    ['typeorm', 'Entity', false],
    ['typeorm', 'Relation', false],
    ['drizzle', 'Error', true],
    ['drizzle', 'Entity', true],
    ['drizzle', 'Relation', false],
    ['drizzle', 'Constructor', false],
    ['typeorm', 'Constructor', false],
  ] as const)('%s: %s accepted = %s', (target, resource, accepted) => {
    const check = () => assertNamesGeneratable(NAMES[target], names(resource));
    if (accepted) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('refuses a property named like an Object member, on every target', () => {
    for (const target of ['drizzle', 'typeorm'] as const) {
      expect(() => assertNamesGeneratable(NAMES[target], names('Venue', ['constructor']))).toThrow(
        /attribute constructor: "constructor" is a member every JavaScript object has/,
      );
      expect(() =>
        assertNamesGeneratable(NAMES[target], names('Venue', ['default', 'class'])),
      ).not.toThrow();
    }
  });
});

describe('assertMayClaimTable', () => {
  const users = {
    table: 'users',
    where: 'src/user.ts:3',
    columns: ['id', 'name', 'email'],
    primaryKey: ['id'],
  };
  const claim = (over: Partial<TableClaim>): TableClaim => ({
    label: 'Accounts.User',
    joinKeys: undefined,
    replace: false,
    recorded: false,
    tableFlag: undefined,
    declared: ['id'],
    keepsKey: false,
    ...over,
  });

  it('lets a run converge a table it did not create, and replace one it did', () => {
    expect(() => assertMayClaimTable(users, claim({}))).not.toThrow();
    expect(() =>
      assertMayClaimTable(users, claim({ replace: true, recorded: true })),
    ).not.toThrow();
  });

  it('refuses --force on a table joinery did not create, naming the columns it would drop', () => {
    expect(() => assertMayClaimTable(users, claim({ replace: true }))).toThrow(
      /would drop its columns name, email\./,
    );
  });

  it('refuses a join whose table exists without both keys, and accepts a hand-written join', () => {
    const join = claim({ label: 'Accounts.UserEvent', joinKeys: ['user_id', 'event_id'] });
    expect(() => assertMayClaimTable(users, { ...join, tableFlag: 'users' })).toThrow(
      /--table users: table users \(src\/user\.ts:3\) exists and is not a join of user_id and event_id/,
    );
    const handWritten = { ...users, columns: ['user_id', 'event_id'], primaryKey: [] };
    expect(() => assertMayClaimTable(handWritten, join)).not.toThrow();
  });
});
