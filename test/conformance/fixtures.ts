/**
 * Every fixture project, described once, for the conformance suite: each row says what the
 * suite needs to run the same cases on it, so a new fixture (or a new target) is one more row.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { typecheck, type RunResult } from '../support/cli.js';
import { copyDrizzleV1Fixture, copyFixture, copyTypeorm03Fixture } from '../support/fixture.js';

export interface ConformanceFixture {
  /** The folder under fixtures/. */
  name: string;
  orm: 'drizzle' | 'typeorm';
  /** Copies the fixture to a temp folder with a working node_modules; returns the copy. */
  copy: () => Promise<string>;
  /** The reference join command, adapted to the project's keys (uuid keys declared only where the ids are uuid). */
  reference: string[];
  /** The join as `check` and a re-run name it; `Accounts.UserEvent` unless the fixture has no events. */
  resource?: string;
  /** The table the join gets in joinery.json (what `add_<attribute>_to_<table>` names). */
  table: string;
  /** Where the join table or entity is written (created, or appended to a schema file). */
  joinFile: string;
  /** Lines `--dry-run` of the reference prints on the untouched project (the join, one side, the migration). */
  dryRunShows: (string | RegExp)[];
  /** Type-checks the copy (`tsc --noEmit`); exitCode 0 and no output means it type-checks. */
  typecheck: (dir: string) => Promise<RunResult>;
  migrations: {
    /** The folder holding the migrations, relative to the project root. */
    folder: string;
    /** The path, relative to the project root, of the migration named `name` (snake case). */
    file: (name: string) => RegExp;
    /** What the migration's content says about its name, where the name is in the code (TypeORM's class). */
    content?: (name: string) => RegExp;
  };
  /** The helpers module `--helpers` creates beside the join; null where it is not generated. */
  helpersFile: string | null;
  /** Its first load function; `loadUserEvents` unless the join is another. */
  helpersLoad?: string;
  /** A hand edit that removes something joinery generated (a relationship on one side). */
  handEdit: { file: string; remove: RegExp };
}

/** `add_role_to_user_events` → `AddRoleToUserEvents`, as TypeORM migration classes are named. */
export function pascalCase(snake: string): string {
  return snake.replace(/(?:^|_)([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

const KEYS_ONLY = ['gen', 'resource', 'Accounts', 'UserEvent', '--primary-key', 'user_id,event_id'];
/** The reference command: uuid keys declared (the ids of User and Event are uuid there). */
const UUID_REFERENCE = [
  ...KEYS_ONLY,
  '--attributes',
  'user_id:uuid:required',
  '--attributes',
  'event_id:uuid:required',
];

const drizzleKitMigrations = {
  folder: 'drizzle',
  file: (name: string) => new RegExp(`^drizzle/\\d{4}_${name}\\.sql$`),
};
const typeormMigrations = (folder: string) => ({
  folder,
  file: (name: string) => new RegExp(`^${folder}/\\d{13}-${pascalCase(name)}\\.ts$`),
  content: (name: string) =>
    new RegExp(`export class ${pascalCase(name)}\\d{13} implements MigrationInterface`),
});
const drizzleMigration = 'would run drizzle-kit generate --name create_user_events_join_table';
/** Where the project's tables are singular (`user`, `event`), so is the join's (`user_event`). */
const singularDrizzleMigration =
  'would run drizzle-kit generate --name create_user_event_join_table';
const typeormMigration = (folder: string, table = 'UserEvents') =>
  new RegExp(`would create ${folder}/\\d{13}-Create${table}JoinTable\\.ts`);
const drizzleRelationship = /\n\s*userEvents: many\(userEvents\),?/;
const typeormRelationship = /\n\s*@OneToMany\(\(\) => UserEvent[^\n]*\n[^\n]*userEvents[^\n]*/;

export const conformanceFixtures: ConformanceFixture[] = [
  {
    name: 'drizzle-pg-domains',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-pg-domains'),
    reference: UUID_REFERENCE,
    table: 'user_events',
    joinFile: 'src/accounts/user-event.ts',
    dryRunShows: [
      '--- /dev/null',
      '+++ b/src/accounts/user-event.ts',
      '+  userEvents: many(userEvents),',
      drizzleMigration,
    ],
    typecheck,
    migrations: drizzleKitMigrations,
    helpersFile: 'src/accounts/user-event.helpers.ts',
    handEdit: { file: 'src/works/event.ts', remove: drizzleRelationship },
  },
  {
    name: 'drizzle-pg-single',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-pg-single'),
    // integer ids: the key types follow them
    reference: KEYS_ONLY,
    table: 'user_events',
    joinFile: 'src/db/schema.ts',
    dryRunShows: ['+++ b/src/db/schema.ts', '+  userEvents: many(userEvents),', drizzleMigration],
    typecheck,
    migrations: drizzleKitMigrations,
    helpersFile: 'src/db/user-event.helpers.ts',
    handEdit: { file: 'src/db/schema.ts', remove: drizzleRelationship },
  },
  {
    name: 'drizzle-sqlite',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-sqlite'),
    reference: KEYS_ONLY,
    table: 'user_events',
    joinFile: 'src/db/schema/user-events.ts',
    dryRunShows: [
      '+++ b/src/db/schema/user-events.ts',
      '+    userEvents: many(userEvents),',
      drizzleMigration,
    ],
    typecheck,
    migrations: drizzleKitMigrations,
    helpersFile: 'src/db/schema/user-events.helpers.ts',
    handEdit: { file: 'src/db/relations.ts', remove: drizzleRelationship },
  },
  {
    name: 'drizzle-mysql-domains',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-mysql-domains'),
    // bigint unsigned users, varchar(36) events: the key types follow them
    reference: KEYS_ONLY,
    table: 'user_events',
    joinFile: 'src/accounts/user-event.ts',
    dryRunShows: [
      '+++ b/src/accounts/user-event.ts',
      "+export * from './user-event.js';",
      '+  userEvents: many(userEvents),',
      drizzleMigration,
    ],
    typecheck,
    migrations: drizzleKitMigrations,
    helpersFile: 'src/accounts/user-event.helpers.ts',
    handEdit: { file: 'src/works/event.ts', remove: drizzleRelationship },
  },
  {
    name: 'drizzle-mysql-planetscale',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-mysql-planetscale'),
    reference: KEYS_ONLY,
    // its tables are singular (`createTable("user")`), its columns snake case
    table: 'user_event',
    joinFile: 'src/server/db/schema.ts',
    dryRunShows: [
      '+++ b/src/server/db/schema.ts',
      '+    index("user_event_user_id_idx").on(t.userId),',
      '+  userEvents: many(userEvents),',
      singularDrizzleMigration,
    ],
    typecheck,
    migrations: {
      folder: 'migrations',
      file: (name) => new RegExp(`^migrations/\\d{4}_${name}\\.sql$`),
    },
    helpersFile: 'src/server/db/user-event.helpers.ts',
    handEdit: { file: 'src/server/db/schema.ts', remove: drizzleRelationship },
  },
  {
    name: 'drizzle-v1-pg',
    orm: 'drizzle',
    copy: () => copyDrizzleV1Fixture('drizzle-v1-pg'),
    reference: UUID_REFERENCE,
    table: 'user_events',
    joinFile: 'src/db/schema.ts',
    dryRunShows: ['+++ b/src/db/schema.ts', '+    events: r.many.events({', drizzleMigration],
    typecheck,
    // drizzle-kit 1.x writes a folder per migration
    migrations: {
      folder: 'drizzle',
      file: (name) => new RegExp(`^drizzle/\\d{14}_${name}/migration\\.sql$`),
    },
    helpersFile: 'src/db/user-event.helpers.ts',
    handEdit: { file: 'src/db/relations.ts', remove: /\n\s*users: r\.many\.users\(\{[^}]*\}\),/ },
  },
  {
    name: 'typeorm-nest',
    orm: 'typeorm',
    copy: () => copyFixture('typeorm-nest'),
    reference: UUID_REFERENCE,
    table: 'user_events',
    joinFile: 'src/accounts/entities/user-event.entity.ts',
    dryRunShows: [
      '+++ b/src/accounts/entities/user-event.entity.ts',
      '+  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)',
      '+      entities: [User, Event, Task, UserEvent],',
      typeormMigration('src/migrations'),
    ],
    typecheck,
    migrations: typeormMigrations('src/migrations'),
    helpersFile: 'src/accounts/entities/user-event.helpers.ts',
    handEdit: { file: 'src/accounts/entities/user.entity.ts', remove: typeormRelationship },
  },
  {
    name: 'typeorm-pg',
    orm: 'typeorm',
    copy: () => copyFixture('typeorm-pg'),
    reference: UUID_REFERENCE,
    table: 'user_events',
    joinFile: 'src/entities/UserEvent.ts',
    dryRunShows: [
      '+++ b/src/entities/UserEvent.ts',
      '+  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)',
      typeormMigration('src/migrations'),
    ],
    typecheck,
    migrations: typeormMigrations('src/migrations'),
    helpersFile: 'src/entities/UserEvent.helpers.ts',
    handEdit: { file: 'src/entities/User.ts', remove: typeormRelationship },
  },
  {
    name: 'typeorm-sqlite',
    orm: 'typeorm',
    copy: () => copyFixture('typeorm-sqlite'),
    // integer ids: the key types follow them; `@Entity()` names (`user`) and a `createdAt`
    // column: the join is `user_event` with camelCase keys
    reference: KEYS_ONLY,
    table: 'user_event',
    joinFile: 'src/models/user-event.ts',
    dryRunShows: [
      '+++ b/src/models/user-event.ts',
      '+    @OneToMany(() => UserEvent, (userEvent) => userEvent.user)',
      '+    entities: [User, Event, Task, Topic, UserEvent],',
      '+@Entity()',
      typeormMigration('src/db/migrations', 'UserEvent'),
    ],
    typecheck,
    migrations: typeormMigrations('src/db/migrations'),
    helpersFile: 'src/models/user-event.helpers.ts',
    handEdit: { file: 'src/models/user.ts', remove: typeormRelationship },
  },
  {
    name: 'typeorm-03-realworld',
    orm: 'typeorm',
    copy: () => copyTypeorm03Fixture('typeorm-03-realworld'),
    // TypeORM 0.3; users favouriting articles, both keyed by an inherited uuid id
    reference: ['gen', 'resource', 'User', 'UserArticle', '--primary-key', 'user_id,article_id'],
    resource: 'User.UserArticle',
    // singular tables (`user`, `article`) and camelCase columns (`createdAt`), no naming strategy
    table: 'user_article',
    joinFile: 'src/user/user-article.entity.ts',
    dryRunShows: [
      '+++ b/src/user/user-article.entity.ts',
      // the project's entity classes end in Entity, so the join's does too
      '+export class UserArticleEntity {',
      '+    () => UserArticleEntity,',
      "+  @PrimaryColumn('uuid')",
      /would create src\/migrations\/\d{13}-create-user-article-join-table\.ts/,
    ],
    typecheck,
    // the project names its migration files in kebab case
    migrations: {
      folder: 'src/migrations',
      file: (name) =>
        new RegExp(
          `^src/migrations/\\d{13}-${name === '\\w+' ? '[\\w-]+' : name.replaceAll('_', '-')}\\.ts$`,
        ),
      content: (name) =>
        new RegExp(`export class ${pascalCase(name)}\\d{13} implements MigrationInterface`),
    },
    helpersFile: 'src/user/user-article.helpers.ts',
    helpersLoad: 'loadUserArticles',
    handEdit: {
      file: 'src/user/user.entity.ts',
      remove: /\n\s*@OneToMany\(\s*\(\) => UserArticleEntity,[\s\S]*?\n\s*userArticles![^\n]*/,
    },
  },
  {
    name: 'drizzle-pg-camel',
    orm: 'drizzle',
    copy: () => copyFixture('drizzle-pg-camel'),
    reference: UUID_REFERENCE,
    // singular tables behind an acme_ creator, camelCase columns declared without names
    table: 'user_event',
    joinFile: 'src/db/schema.ts',
    dryRunShows: [
      '+++ b/src/db/schema.ts',
      '+  "user_event",',
      '+    userId: uuid()',
      '+  userEvents: many(userEvents),',
      singularDrizzleMigration,
    ],
    typecheck,
    migrations: drizzleKitMigrations,
    helpersFile: 'src/db/user-event.helpers.ts',
    handEdit: { file: 'src/db/schema.ts', remove: drizzleRelationship },
  },
  {
    name: 'typeorm-03-camel',
    orm: 'typeorm',
    copy: () => copyTypeorm03Fixture('typeorm-03-camel'),
    reference: UUID_REFERENCE,
    // TypeORM's default naming: `@Entity()` (table user_event), camelCase columns
    table: 'user_event',
    joinFile: 'src/user/user-event.entity.ts',
    dryRunShows: [
      '+++ b/src/user/user-event.entity.ts',
      '+@Entity()',
      "+  @PrimaryColumn('uuid')",
      '+  @OneToMany(() => UserEvent, (userEvent) => userEvent.user)',
      typeormMigration('src/migrations', 'UserEvent'),
    ],
    typecheck,
    migrations: typeormMigrations('src/migrations'),
    helpersFile: 'src/user/user-event.helpers.ts',
    handEdit: { file: 'src/user/user.entity.ts', remove: typeormRelationship },
  },
  {
    name: 'typeorm-03-schema',
    orm: 'typeorm',
    copy: () => copyTypeorm03Fixture('typeorm-03-schema'),
    // TypeORM 0.3 on PostgreSQL, every table in schema app; uuid users, integer teams
    reference: ['gen', 'resource', 'Accounts', 'UserTeam', '--primary-key', 'user_id,team_id'],
    resource: 'Accounts.UserTeam',
    table: 'user_teams',
    joinFile: 'src/users/user-team.entity.ts',
    dryRunShows: [
      '+++ b/src/users/user-team.entity.ts',
      "+@Entity('user_teams', { schema: 'app' })",
      '+  @OneToMany(() => UserTeam, (userTeam) => userTeam.user)',
      /would create src\/migrations\/\d{13}-CreateUserTeamsJoinTable\.ts/,
    ],
    typecheck,
    migrations: typeormMigrations('src/migrations'),
    helpersFile: 'src/users/user-team.helpers.ts',
    helpersLoad: 'loadUserTeams',
    handEdit: {
      file: 'src/users/user.entity.ts',
      remove: /\n\s*@OneToMany\(\(\) => UserTeam[^\n]*\n[^\n]*userTeams[^\n]*/,
    },
  },
];

/** The project-relative paths of every migration in the copy (any name), sorted. */
export async function listMigrations(dir: string, fixture: ConformanceFixture): Promise<string[]> {
  const pattern = fixture.migrations.file('\\w+');
  const entries = await readdir(join(dir, fixture.migrations.folder), { recursive: true });
  return entries
    .map((entry) =>
      relative(dir, join(dir, fixture.migrations.folder, entry))
        .split(sep)
        .join('/'),
    )
    .filter((path) => pattern.test(path))
    .sort();
}
