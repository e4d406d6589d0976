import { describe, expect, it } from 'vitest';

import type { AttributeSpec } from '../../src/flags/types.js';
import type { Project } from '../../src/project/project.js';
import { attributeColumn, referenceColumn } from '../../src/targets/drizzle/column-types.js';
import {
  mysqlIntegerKey,
  mysqlWithoutForeignKeys,
} from '../../src/targets/drizzle/dialects/mysql.js';
import { parseSchemaFiles, type DrizzleColumn } from '../../src/targets/drizzle/schema-model.js';

const key = (builder: string, options?: string): DrizzleColumn => ({
  key: 'id',
  sqlName: 'id',
  builder,
  options,
  primaryKey: true,
  required: true,
  line: 1,
});

describe('a MySQL key that refers to another key has exactly its SQL type', () => {
  it.each([
    [
      'serial (bigint unsigned auto_increment)',
      key('serial'),
      'bigint',
      "{ mode: 'number', unsigned: true }",
    ],
    [
      'bigint unsigned',
      key('bigint', "{ mode: 'number', unsigned: true }"),
      'bigint',
      "{ mode: 'number', unsigned: true }",
    ],
    ['bigint without options', key('bigint'), 'bigint', "{ mode: 'number' }"],
    ['int', key('int'), 'int', undefined],
    ['int unsigned', key('int', '{ unsigned: true }'), 'int', '{ unsigned: true }'],
    ['varchar(36)', key('varchar', '{ length: 36 }'), 'varchar', '{ length: 36 }'],
    ['char(36)', key('char', '{ length: 36 }'), 'char', '{ length: 36 }'],
  ])('%s', (_name, referenced, builder, options) => {
    expect(referenceColumn(referenced, 'mysql')).toEqual({ builder, options });
  });

  it('Postgres keeps its own rule: serial is referred to by integer', () => {
    expect(referenceColumn(key('serial'), 'postgresql')).toEqual({
      builder: 'integer',
      options: undefined,
    });
  });
});

describe('MySQL attribute types', () => {
  const attribute = (type: AttributeSpec['type'], array = false): AttributeSpec => ({
    name: 'x',
    type,
    primaryKey: false,
    required: false,
    public: false,
    sensitive: false,
    array,
  });
  it.each([
    ['uuid', 'varchar', '{ length: 36 }'],
    ['string', 'varchar', '{ length: 255 }'],
    ['boolean', 'boolean', undefined],
    ['decimal', 'decimal', '{ precision: 18, scale: 6 }'],
    ['utc_datetime_usec', 'datetime', "{ mode: 'date', fsp: 6 }"],
    ['map', 'json', undefined],
  ] as const)('%s → %s', (type, builder, options) => {
    expect(attributeColumn(attribute(type), 'mysql')).toMatchObject({ builder, options });
  });
  it('a list is JSON with its element type (MySQL has no arrays)', () => {
    expect(attributeColumn(attribute('integer', true), 'mysql')).toEqual({
      builder: 'json',
      options: undefined,
      jsonType: 'number[]',
    });
  });
});

describe('new MySQL integer keys', () => {
  it.each([
    [[], 'bigint'],
    [["serial('id').primaryKey()"], 'bigint'],
    [["int('id').primaryKey().autoincrement()"], 'int'],
    [["int('id').primaryKey().autoincrement()", "serial('id').primaryKey()"], 'bigint'],
  ])('%j → %s (never serial: MariaDB refuses what drizzle-kit writes for it)', (texts, builder) => {
    expect(mysqlIntegerKey(texts).builder).toBe(builder);
  });
});

describe('PlanetScale style: a MySQL project without foreign keys', () => {
  const project = (deps: Record<string, string> = {}) =>
    ({ dependency: (name: string) => deps[name] }) as unknown as Project;
  const schema = (text: string) => parseSchemaFiles(['/p/schema.ts'], () => text);
  const table = `import { mysqlTable, varchar, bigint } from 'drizzle-orm/mysql-core';
import { relations } from 'drizzle-orm';
export const users = mysqlTable('users', { id: varchar('id', { length: 36 }).primaryKey() });
export const posts = mysqlTable('posts', { id: bigint('id', { mode: 'number' }).primaryKey(), authorId: varchar('author_id', { length: 36 })`;

  it('related tables, no .references(): no foreign keys', () => {
    const text = `${table} });\nexport const postsRelations = relations(posts, ({ one }) => ({ author: one(users, { fields: [posts.authorId], references: [users.id] }) }));`;
    expect(mysqlWithoutForeignKeys(project(), schema(text))).toBe(true);
  });
  it('one .references() anywhere: foreign keys', () => {
    const text = `${table}.references(() => users.id) });\nexport const postsRelations = relations(posts, ({ one }) => ({ author: one(users, { fields: [posts.authorId], references: [users.id] }) }));`;
    expect(mysqlWithoutForeignKeys(project(), schema(text))).toBe(false);
  });
  it('unrelated tables: foreign keys, unless the project talks to PlanetScale', () => {
    const text = `${table} });`;
    expect(mysqlWithoutForeignKeys(project(), schema(text))).toBe(false);
    expect(
      mysqlWithoutForeignKeys(project({ '@planetscale/database': '^1.19.0' }), schema(text)),
    ).toBe(true);
  });
});
