import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import {
  assertKeyTypeMatches,
  ddlType,
  referenceColumnType,
  type PrimaryKeyColumn,
} from '../../src/targets/typeorm/column-types.js';
import { readOrmOptions } from '../../src/targets/typeorm/data-source.js';
import { entityClassNamesIn, readEntities } from '../../src/targets/typeorm/entity-model.js';
import { globBase, globsCover, globToRegExp } from '../../src/targets/typeorm/glob-match.js';
import { entityFileName } from '../../src/targets/typeorm/place.js';
import type { AttributeSpec } from '../../src/flags/types.js';

const ROOT = '/app';

function parse(text: string, file = '/app/src/data-source.ts') {
  return new Project({ useInMemoryFileSystem: true }).createSourceFile(file, text);
}

describe('readOrmOptions', () => {
  it.each([
    [
      'a DataSource with globs relative to the project root',
      `export const ds = new DataSource({ type: 'postgres', entities: ['src/entities/*.ts'], migrations: ['src/migrations/*.ts'] })`,
      {
        kind: 'data-source',
        driverType: 'postgres',
        entities: ['/app/src/entities/*.ts'],
        migrations: ['/app/src/migrations/*.ts'],
      },
    ],
    [
      'NestJS forRoot with classes and a __dirname glob',
      `TypeOrmModule.forRoot({ type: 'mariadb', entities: [User, Event], migrations: [__dirname + '/migrations/*.{ts,js}'] })`,
      {
        kind: 'nest-root',
        driverType: 'mariadb',
        classes: ['User', 'Event'],
        migrations: ['/app/src/migrations/*.{ts,js}'],
      },
    ],
    [
      'path.join, template literals and compiled output',
      "export default { type: 'better-sqlite3', database: 'x', entities: [path.join(__dirname, '..', 'dist', '**', '*.entity.js')], migrations: [`${__dirname}/db/*.ts`] }",
      {
        kind: 'options',
        driverType: 'better-sqlite3',
        entities: ['/app/dist/**/*.entity.js', '/app/src/**/*.entity.js'],
        migrations: ['/app/src/db/*.ts'],
      },
    ],
    [
      'forRootAsync factories',
      `TypeOrmModule.forRootAsync({ useFactory: () => ({ type: 'postgres', autoLoadEntities: true }) })`,
      { kind: 'nest-root', driverType: 'postgres', autoLoadEntities: true },
    ],
  ])('%s', (_name, text, expected) => {
    const [options] = readOrmOptions(parse(text), ROOT);
    expect(options).toBeDefined();
    expect(options!.kind).toBe(expected.kind);
    expect(options!.driverType).toBe(expected.driverType);
    if ('entities' in expected) expect(options!.entities?.globs).toEqual(expected.entities);
    if ('classes' in expected) expect(options!.entities?.classes).toEqual(expected.classes);
    if ('migrations' in expected) expect(options!.migrations?.globs).toEqual(expected.migrations);
    if ('autoLoadEntities' in expected) expect(options!.autoLoadEntities).toBe(true);
  });

  it('marks computed lists as opaque', () => {
    const [options] = readOrmOptions(
      parse(`new DataSource({ type: 'postgres', entities: [...all, loadEntities()] })`),
      ROOT,
    );
    expect(options!.entities).toMatchObject({ opaque: true, classes: [], globs: [] });
  });

  it('ignores objects that are not TypeORM options', () => {
    expect(readOrmOptions(parse(`const x = { type: 'button', label: 'ok' }`), ROOT)).toEqual([]);
  });
});

describe('readEntities', () => {
  const text = `
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string
}
@Entity({ name: 'events' })
export class Event {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string
}
@Entity()
export class BlogPost {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'post_key' })
  key!: string
}
@Entity()
export class Tag {
  @PrimaryColumn()
  slug!: string
}
class NotAnEntity {}
`;

  it('reads table names and primary keys as TypeORM derives them', () => {
    const entities = readEntities(parse(text, '/app/src/entities.ts'), { snakeColumns: false });
    expect(entities.map((entity) => [entity.className, entity.tableName])).toEqual([
      ['User', 'users'],
      ['Event', 'events'],
      ['BlogPost', 'blog_post'],
      ['Tag', 'tag'],
    ]);
    expect(entities.map((entity) => entity.primaryKeys[0])).toMatchObject([
      { property: 'id', columnName: 'id', type: 'uuid', generated: 'uuid', tsType: 'string' },
      { property: 'id', type: 'bigint', generated: 'increment' },
      {
        property: 'key',
        columnName: 'post_key',
        type: 'varchar',
        length: '36',
        generated: undefined,
      },
      { property: 'slug', type: 'varchar' },
    ]);
  });

  it('reads the schema an entity names, in either form of @Entity', () => {
    const schemas = readEntities(
      parse(
        `
@Entity({ schema: 'app', name: 'users' })
export class User {}
@Entity('teams', { schema: 'billing' })
export class Team {}
@Entity('tags')
export class Tag {}
`,
        '/app/src/schemas.ts',
      ),
      { snakeColumns: false },
    ).map((entity) => [entity.className, entity.tableName, entity.schema]);
    expect(schemas).toEqual([
      ['User', 'users', 'app'],
      ['Team', 'teams', 'billing'],
      ['Tag', 'tags', undefined],
    ]);
  });

  it('lists entity class names by text', () => {
    expect(entityClassNamesIn(text)).toEqual([
      { className: 'User', line: 2 },
      { className: 'Event', line: 7 },
      { className: 'BlogPost', line: 12 },
      { className: 'Tag', line: 17 },
    ]);
  });
});

describe('glob matching', () => {
  it.each([
    ['/app/src/entities/*.ts', '/app/src/entities/UserEvent.ts', true],
    ['/app/src/entities/*.ts', '/app/src/entities/sub/UserEvent.ts', false],
    ['/app/src/**/*.entity.{ts,js}', '/app/src/accounts/entities/user-event.entity.ts', true],
    ['/app/src/**/*.entity.{ts,js}', '/app/src/user-event.entity.ts', true],
    ['/app/src/**/*.entity.{ts,js}', '/app/src/accounts/user-event.ts', false],
    ['/app/src/**/*.entity.js', '/app/src/accounts/user-event.entity.ts', true],
  ])('%s covers %s: %s', (glob, file, covered) => {
    expect(globsCover([glob], file)).toBe(covered);
  });

  it('escapes dots and reads character classes', () => {
    expect(globToRegExp('a.[tj]s').test('a.ts')).toBe(true);
    expect(globToRegExp('a.[tj]s').test('aXts')).toBe(false);
  });

  it.each([
    ['src/migrations/*.ts', 'src/migrations'],
    ['/app/src/**/migrations/*.ts', '/app/src'],
    ['src/migrations/1-init.ts', 'src/migrations'],
  ])('globBase(%s) = %s', (glob, base) => {
    expect(globBase(glob)).toBe(base);
  });
});

describe('entityFileName', () => {
  it.each([
    ['src/entities/User.ts', 'User', 'UserEvent.ts'],
    ['src/accounts/entities/user.entity.ts', 'User', 'user-event.entity.ts'],
    ['src/models/user.ts', 'User', 'user-event.ts'],
    ['src/models/users.ts', 'User', 'user-events.ts'],
    ['src/models/user_account.model.ts', 'UserAccount', 'user_event.model.ts'],
    ['src/models/userAccount.ts', 'UserAccount', 'userEvent.ts'],
  ])('%s (%s) → %s', (sibling, className, expected) => {
    expect(entityFileName(sibling, className, 'UserEvent')).toBe(expected);
  });
});

describe('column types', () => {
  const key = (overrides: Partial<PrimaryKeyColumn>): PrimaryKeyColumn => ({
    property: 'id',
    columnName: 'id',
    type: 'uuid',
    length: undefined,
    generated: 'uuid',
    tsType: 'string',
    line: 3,
    ...overrides,
  });

  it.each([
    [key({}), 'postgres', { type: 'uuid', tsType: 'string' }, { type: 'uuid' }],
    [key({}), 'sqlite', { type: 'uuid', tsType: 'string' }, { type: 'varchar' }],
    [key({}), 'mysql', { type: 'uuid', tsType: 'string' }, { type: 'varchar', length: '36' }],
    [
      key({ type: 'int', generated: 'increment', tsType: 'number' }),
      'postgres',
      { type: 'integer', tsType: 'number' },
      { type: 'integer' },
    ],
    [
      key({ type: 'int', generated: 'increment', tsType: undefined }),
      'mariadb',
      { type: 'int', tsType: 'number' },
      { type: 'int' },
    ],
    [
      key({ type: 'varchar', length: '36', generated: undefined }),
      'postgres',
      { type: 'varchar', length: '36', tsType: 'string' },
      { type: 'varchar', length: '36' },
    ],
  ] as const)(
    'a key %j on %s is referenced as %j, created as %j',
    (primary, dialect, column, ddl) => {
      const reference = referenceColumnType(primary, dialect);
      expect(reference).toEqual(column);
      expect(ddlType(reference, dialect)).toEqual(ddl);
    },
  );

  const attribute = (type: AttributeSpec['type']): AttributeSpec => ({
    name: 'user_id',
    type,
    primaryKey: true,
    required: true,
    public: false,
    sensitive: false,
    array: false,
  });

  it('rejects a declared type that contradicts the referenced key, naming where the key is', () => {
    expect(() =>
      assertKeyTypeMatches(
        attribute('uuid'),
        key({ type: 'int', generated: 'increment' }),
        'User.id (src/user.ts:3)',
      ),
    ).toThrow(
      /user_id:uuid contradicts the key it refers to: User.id \(src\/user.ts:3\) is generated \(increment\) int/,
    );
    expect(() => assertKeyTypeMatches(attribute('uuid'), key({}), 'User.id')).not.toThrow();
    expect(() =>
      assertKeyTypeMatches(attribute(undefined), key({ type: 'int' }), 'User.id'),
    ).not.toThrow();
  });
});
