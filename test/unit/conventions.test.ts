/**
 * The project conventions reading, one small project per convention: the files new code sits
 * beside, and what joinery learns from them.
 */
import { describe, expect, it } from 'vitest';
import {
  classSuffixOf,
  codeStyleOf,
  fileCaseOf,
  timestampNamesOf,
  withClassSuffix,
} from '../../src/project/conventions.js';
import { domainFolderNames } from '../../src/rules/resolve-resource.js';
import { fileNameLike } from '../../src/targets/drizzle/place.js';

/** A schema file as drizzle projects write it, in a given style. */
const semicolonSchema = `import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { users } from "./user";

export const posts = pgTable("posts", {
  id: uuid("id").primaryKey(),
  authorId: uuid("author_id")
    .notNull()
    .references(() => users.id),
});

export const tags = pgTable("tags", {
  id: uuid("id").primaryKey(),
});

export const postsRelations = relations(posts, ({ one }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
}));
`;

describe('code style without a Prettier config', () => {
  it.each([
    [
      'semicolons, though most lines that start a statement open a block (`pgTable("posts", {`)',
      [semicolonSchema],
      { semi: true, singleQuote: false, tabWidth: 2, useTabs: false },
    ],
    ['no semicolons', [semicolonSchema.replace(/;$/gm, '')], { semi: false }],
    [
      'tabs and single quotes',
      [
        "import { pgTable } from 'drizzle-orm/pg-core'\n\nexport const tags = pgTable('tags', {\n\tid: text('id'),\n})\n",
      ],
      { useTabs: true, singleQuote: true, semi: false },
    ],
    [
      'four-space indentation',
      ['export const x = {\n    a: 1,\n};\n'],
      { tabWidth: 4, useTabs: false },
    ],
    ['trailing commas in calls too: all', [semicolonSchema], { trailingComma: 'all' }],
    [
      'trailing commas in objects only: es5',
      [
        'export const a = {\n  b: 1,\n};\nexport const c = call(\n  first,\n  second\n);\nexport const d = [\n  1,\n];\n',
      ],
      { trailingComma: 'es5' },
    ],
    [
      'no trailing commas',
      ['export const a = {\n  b: 1\n};\nexport const c = [\n  1,\n  2\n];\n'],
      { trailingComma: 'none' },
    ],
    ['lines within 80: width 80', [semicolonSchema], { printWidth: 80 }],
    [
      'lines up to 100: width 100',
      [
        `export const longer = someCall(firstArgument, secondArgument, thirdArgument, fourthArg);\n`,
      ],
      { printWidth: 100 },
    ],
  ])('%s', (_name, texts, expected) => {
    expect(codeStyleOf(texts)).toMatchObject(expected);
  });

  it('has no opinion without neighbours', () => {
    expect(codeStyleOf([])).toEqual({});
    expect(codeStyleOf(['\n\n'])).toEqual({});
  });
});

describe('file-name case of a folder', () => {
  it.each([
    [['monitor', 'monitor_tag'], 'snake'],
    [['user', 'user-event'], 'kebab'],
    [['User', 'UserEvent'], 'pascal'],
    [['user', 'userEvent'], 'camel'],
    [['user', 'event'], undefined],
  ] as const)('%j → %s', (stems, expected) => {
    expect(fileCaseOf([...stems])).toBe(expected);
  });

  it('names a join beside snake_case files in snake case, though its sibling is one word', () => {
    expect(
      fileNameLike('/p/src/db/monitor.ts', 'monitors', 'UserMonitor', [
        '/p/src/db/monitor.ts',
        '/p/src/db/monitor_tag.ts',
      ]),
    ).toBe('user_monitor.ts');
    expect(fileNameLike('/p/src/db/monitor.ts', 'monitors', 'UserMonitor', [])).toBe(
      'user-monitor.ts',
    );
  });
});

describe('timestamp names', () => {
  it.each([
    [['id', 'created_at', 'updated_at'], { created: 'created_at', updated: 'updated_at' }],
    [['id', 'createdAt'], { created: 'createdAt', updated: 'updatedAt' }],
    [['inserted_at'], { created: 'inserted_at', updated: 'updated_at' }],
    [['id', 'name'], undefined],
  ] as const)('%j', (columns, expected) => {
    expect(timestampNamesOf([...columns])).toEqual(expected);
  });
});

describe('entity class suffix', () => {
  it.each([
    [['UserEntity', 'PostEntity', 'Tag'], 'Entity'],
    [['User', 'Post', 'TagEntity'], ''],
    [['UserEntity', 'Post'], ''],
    [['Entity'], ''],
    [[], ''],
  ])('%j → %j', (classes, suffix) => {
    expect(classSuffixOf(classes)).toBe(suffix);
  });

  it('adds the suffix once', () => {
    expect(withClassSuffix('PostLike', 'Entity')).toBe('PostLikeEntity');
    expect(withClassSuffix('PostLikeEntity', 'Entity')).toBe('PostLikeEntity');
    expect(withClassSuffix('PostLike', '')).toBe('PostLike');
  });
});

describe('domain folder names', () => {
  it.each([
    ['Posts', ['post', 'posts']],
    ['Accounts', ['account', 'accounts']],
    ['Works.UserGroups', ['user-group', 'user_group', 'usergroup', 'user-groups']],
  ])('%s lives under %j', (domain, folders) => {
    const names = domainFolderNames(domain);
    for (const folder of folders) expect(names.has(folder)).toBe(true);
  });
});
