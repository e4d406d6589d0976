import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { readFeatureLists, readOrmOptions } from '../../src/targets/typeorm/data-source.js';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import { addArrayElement } from '../../src/targets/typeorm/transforms/add-array-element.js';
import { addInverseRelation } from '../../src/targets/typeorm/transforms/add-inverse-relation.js';
import { ensureImport } from '../../src/transforms/ensure-import.js';

/** Applies `transform` to `before`; expects `after`, and that a second run changes nothing. */
function doTest(before: string, transform: (file: SourceFile) => unknown, after: string): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/entities/User.ts', before);
  transform(file);
  expect(file.getFullText()).toBe(after);
  transform(file);
  expect(file.getFullText()).toBe(after);
}

const inverse = {
  className: 'User',
  property: 'userEvents',
  joinClass: 'UserEvent',
  parameter: 'userEvent',
  inverseProperty: 'user',
};

describe('addInverseRelation', () => {
  it.each([
    [
      'adds @OneToMany after the last property, keeping comments (no semicolons)',
      `@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  // Shown next to everything
  @Column('varchar')
  name!: string
}
`,
      `@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  // Shown next to everything
  @Column('varchar')
  name!: string

  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)
  userEvents!: UserEvent[]
}
`,
    ],
    [
      'follows semicolons and four-space indentation, before methods',
      `@Entity()
export class User {
    @PrimaryGeneratedColumn()
    id!: number;

    greet(): string {
        return 'hi';
    }
}
`,
      `@Entity()
export class User {
    @PrimaryGeneratedColumn()
    id!: number;

    @OneToMany(() => UserEvent, (userEvent) => userEvent.user)
    userEvents!: UserEvent[];

    greet(): string {
        return 'hi';
    }
}
`,
    ],
    [
      'fills an empty class',
      `@Entity()
export class User {}
`,
      `@Entity()
export class User {
  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)
  userEvents!: UserEvent[];
}
`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, (file) => addInverseRelation(file, inverse), after);
  });

  it.each([
    ['the property exists', `export class User {\n  userEvents!: Link[]\n}\n`],
    [
      'another property already maps the join',
      `export class User {\n  @OneToMany(() => UserEvent, (link) => link.user)\n  links!: UserEvent[]\n}\n`,
    ],
  ])('changes nothing when %s', (_name, text) => {
    doTest(
      text,
      (file) => expect(addInverseRelation(file, inverse)).toMatchObject({ status: 'present' }),
      text,
    );
  });

  it('reports missing when the file has no such class', () => {
    const text = `export class Account {}\n`;
    doTest(
      text,
      (file) => expect(addInverseRelation(file, inverse)).toMatchObject({ status: 'missing' }),
      text,
    );
  });
});

describe('ensureImport', () => {
  it.each([
    [
      'inserts a name into a sorted import list at its place',
      `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'\n`,
      'typeorm',
      'OneToMany',
      `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm'\n`,
    ],
    [
      'appends to an unsorted import list',
      `import { Entity, Column } from 'typeorm';\n`,
      'typeorm',
      'OneToMany',
      `import { Entity, Column, OneToMany } from 'typeorm';\n`,
    ],
    [
      'puts a new module in sorted order, without semicolons when the file has none',
      `import { Module } from '@nestjs/common'\nimport { Event } from './event.entity'\nimport { User } from './user.entity'\n`,
      './user-event.entity',
      'UserEvent',
      `import { Module } from '@nestjs/common'\nimport { Event } from './event.entity'\nimport { UserEvent } from './user-event.entity'\nimport { User } from './user.entity'\n`,
    ],
    [
      'appends a new module after unsorted imports',
      `import { b } from './b.js';\nimport { a } from './a.js';\n\nconst x = 1;\n`,
      './user-event.js',
      'UserEvent',
      `import { b } from './b.js';\nimport { a } from './a.js';\nimport { UserEvent } from './user-event.js';\n\nconst x = 1;\n`,
    ],
    [
      'changes nothing when imported under another specifier',
      `import { UserEvent } from '@/accounts/user-event';\n`,
      './user-event.js',
      'UserEvent',
      `import { UserEvent } from '@/accounts/user-event';\n`,
    ],
    [
      'changes nothing when declared locally',
      `export class UserEvent {}\n`,
      './user-event.js',
      'UserEvent',
      `export class UserEvent {}\n`,
    ],
  ])('%s', (_name, before, specifier, name, after) => {
    doTest(before, (file) => ensureImport(file, specifier, name), after);
  });

  it('adds a type-only specifier', () => {
    doTest(
      `import { Entity } from 'typeorm'\n`,
      (file) => ensureImport(file, 'typeorm', 'Relation', { typeOnly: true }),
      `import { Entity, type Relation } from 'typeorm'\n`,
    );
  });
});

describe('addArrayElement (entity and migration registration)', () => {
  const register = (name: string) => (file: SourceFile) => {
    for (const options of readOrmOptions(file, '/')) {
      if (options.entities?.array) addArrayElement(options.entities.array, name);
    }
    for (const feature of readFeatureLists(file)) addArrayElement(feature.array, name);
  };

  it.each([
    [
      'a DataSource entities array',
      `export const ds = new DataSource({ type: 'postgres', entities: [User, Event] })\n`,
      `export const ds = new DataSource({ type: 'postgres', entities: [User, Event, UserEvent] })\n`,
    ],
    [
      'a multi-line array stays multi-line',
      `TypeOrmModule.forRoot({\n  entities: [\n    User,\n    Event,\n  ],\n})\n`,
      `TypeOrmModule.forRoot({\n  entities: [\n    User,\n    Event,\n    UserEvent\n  ],\n})\n`,
    ],
    [
      'a NestJS forFeature list',
      `@Module({ imports: [TypeOrmModule.forFeature([User])] })\nexport class AccountsModule {}\n`,
      `@Module({ imports: [TypeOrmModule.forFeature([User, UserEvent])] })\nexport class AccountsModule {}\n`,
    ],
    [
      'an entities array kept in a local const',
      `const entities = [User]\nexport default new DataSource({ type: 'sqlite', database: 'x', entities })\n`,
      `const entities = [User, UserEvent]\nexport default new DataSource({ type: 'sqlite', database: 'x', entities })\n`,
    ],
    [
      'nothing when the class is listed',
      `new DataSource({ entities: [User, UserEvent] })\n`,
      `new DataSource({ entities: [User, UserEvent] })\n`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, register('UserEvent'), after);
  });
});
