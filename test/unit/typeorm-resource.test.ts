/**
 * TypeORM plain resources: the transforms that grow an entity (before → after, and a second run
 * changes nothing), the planner on the committed fixtures (read only: it plans into a ChangeSet),
 * its errors, and the uuid v7 module joinery writes into projects.
 */
import { genFlags } from '../support/gen-flags.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../../src/change-set/change-set.js';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import { loadProject } from '../../src/project/project.js';
import { renderTemplate } from '../../src/render/render-template.js';
import { toResourceModel } from '../../src/resource/resource-model.js';
import { buildResourceSpec, type GenResourceFlags } from '../../src/flags/parse-flags.js';
import { planTypeormResource } from '../../src/targets/typeorm/plan-resource.js';
import { addInverseRelation } from '../../src/targets/typeorm/transforms/add-inverse-relation.js';
import { addKeyIndex } from '../../src/targets/typeorm/transforms/add-key-index.js';
import { addManyToOne } from '../../src/targets/typeorm/transforms/add-many-to-one.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

/** Applies `transform` to `before`; expects `after`, and that a second run changes nothing. */
function doTest(before: string, transform: (file: SourceFile) => unknown, after: string): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/entities/Event.ts', before);
  transform(file);
  expect(file.getFullText()).toBe(after);
  transform(file);
  expect(file.getFullText()).toBe(after);
}

const organizer = {
  className: 'Event',
  property: 'organizer',
  columnProperty: 'organizerId',
  columnName: 'organizer_id',
  args: `() => User, (user) => user.events, { onDelete: 'RESTRICT' }`,
  tsType: 'Relation<User> | null',
};

describe('addManyToOne', () => {
  it.each([
    [
      'puts the relation right after its foreign-key column (no semicolons)',
      `@Entity('events')
export class Event {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('uuid', { name: 'organizer_id', nullable: true })
  @Index()
  organizerId!: string | null

  @Column('varchar')
  title!: string
}
`,
      `@Entity('events')
export class Event {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('uuid', { name: 'organizer_id', nullable: true })
  @Index()
  organizerId!: string | null

  @ManyToOne(() => User, (user) => user.events, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organizer_id' })
  organizer!: Relation<User> | null

  @Column('varchar')
  title!: string
}
`,
    ],
    [
      'follows semicolons and four-space indentation, after the last property',
      `@Entity()
export class Event {
    @PrimaryGeneratedColumn()
    id!: number;

    greet(): string {
        return 'hi';
    }
}
`,
      `@Entity()
export class Event {
    @PrimaryGeneratedColumn()
    id!: number;

    @ManyToOne(() => User, (user) => user.events, { onDelete: 'RESTRICT' })
    @JoinColumn({ name: 'organizer_id' })
    organizer!: Relation<User> | null;

    greet(): string {
        return 'hi';
    }
}
`,
    ],
  ])('%s', (_name, before, after) => {
    doTest(before, (file) => addManyToOne(file, organizer), after);
  });

  it('changes nothing when a relation already joins on that column, under another name', () => {
    const text = `@Entity('events')
export class Event {
  @ManyToOne(() => User)
  @JoinColumn({ name: 'organizer_id' })
  host!: User
}
`;
    doTest(
      text,
      (file) => expect(addManyToOne(file, organizer)).toMatchObject({ status: 'present' }),
      text,
    );
  });
});

describe('addInverseRelation with matchInverse (several belongs_to, one destination)', () => {
  it('adds the second inverse next to the first', () => {
    doTest(
      `@Entity('users')
export class User {
  @OneToMany(() => Event, (event) => event.organizer)
  organizerEvents!: Event[]
}
`,
      (file) =>
        addInverseRelation(file, {
          className: 'User',
          property: 'hostEvents',
          joinClass: 'Event',
          parameter: 'event',
          inverseProperty: 'host',
          matchInverse: true,
        }),
      `@Entity('users')
export class User {
  @OneToMany(() => Event, (event) => event.organizer)
  organizerEvents!: Event[]

  @OneToMany(() => Event, (event) => event.host)
  hostEvents!: Event[]
}
`,
    );
  });

  it('counts a @OneToMany with that inverse side as present, whatever its property name', () => {
    const text = `@Entity('users')
export class User {
  @OneToMany(() => Event, (e: Event) => e.host)
  hosted!: Event[]
}
`;
    doTest(
      text,
      (file) =>
        expect(
          addInverseRelation(file, {
            className: 'User',
            property: 'events',
            joinClass: 'Event',
            parameter: 'event',
            inverseProperty: 'host',
            matchInverse: true,
          }),
        ).toMatchObject({ status: 'present' }),
      text,
    );
  });
});

describe('addKeyIndex on a foreign-key column', () => {
  it('puts @Index() right after @Column', () => {
    doTest(
      `export class Event {
  @Column('uuid', { name: 'organizer_id' })
  organizerId!: string
}
`,
      (file) => addKeyIndex(file, 'Event', 'organizerId'),
      `export class Event {
  @Column('uuid', { name: 'organizer_id' })
  @Index()
  organizerId!: string
}
`,
    );
  });
});

const flags = genFlags;

async function plan(
  fixture: string,
  given: GenResourceFlags,
  options: { migration?: boolean; ignoreIfExists?: boolean } = {},
) {
  const project = loadProject(path.join(FIXTURES, fixture));
  const changes = new ChangeSet(project.root);
  const planned = await planTypeormResource(
    project,
    toResourceModel(buildResourceSpec(given)),
    changes,
    { ignoreIfExists: false, migration: true, ...options },
  );
  const files = changes
    .listChanges()
    .map((change) => `${change.kind} ${changes.relative(change.file).replace(/\d{13}/, '<ms>')}`);
  return { planned, files, changes };
}

describe('planTypeormResource', () => {
  it('gives a second belongs_to to User its own inverse when User.posts already serves Post.author', async () => {
    const { changes, planned } = await plan(
      'typeorm-pg',
      flags(['Accounts', 'Post'], { relationships: ['belongs_to:editor:Accounts.User'] }),
      { migration: false },
    );
    const text = (file: string) => changes.read(path.join(FIXTURES, 'typeorm-pg', file)) ?? '';
    expect(text('src/entities/User.ts')).toMatch(
      /@OneToMany\(\(\) => Post, \(post\) => post\.editor\)\s+editorPosts!: Post\[\]/,
    );
    expect(text('src/entities/User.ts')).toContain('@OneToMany(() => Post, (post) => post.author)');
    expect(text('src/entities/Post.ts')).toContain(
      '@ManyToOne(() => User, (user) => user.editorPosts,',
    );
    expect(planned.belongsTo[0]!.relation.inverse).toBe('editorPosts');
  });

  it.each([
    [
      'typeorm-pg',
      flags(['Works', 'Venue'], {
        uuidPrimaryKey: 'id',
        relationships: ['belongs_to:owner:Accounts.User'],
      }),
      [
        'update src/entities/User.ts',
        'create src/entities/Venue.ts',
        'create src/migrations/<ms>-CreateVenuesTable.ts',
      ],
    ],
    [
      'typeorm-nest',
      flags(['Works', 'Venue'], { integerPrimaryKey: 'id', attributes: ['name:string'] }),
      [
        'update src/app.module.ts',
        'create src/migrations/<ms>-CreateVenuesTable.ts',
        'create src/works/entities/venue.entity.ts',
        'update src/works/works.module.ts',
      ],
    ],
    [
      'typeorm-sqlite',
      flags(['Works', 'Ticket'], {
        uuidV7PrimaryKey: 'id',
        relationships: ['belongs_to:holder:Accounts.User'],
      }),
      [
        'update src/db/data-source.ts',
        'create src/db/migrations/<ms>-CreateTicketsTable.ts',
        'create src/models/ticket.ts',
        'update src/models/user.ts',
        'create src/uuidv7.ts',
      ],
    ],
    [
      'typeorm-sqlite',
      flags(['Works', 'Event'], {
        attributes: ['title:string', 'starts_at:utc_datetime'],
        relationships: ['belongs_to:organizer:Accounts.User'],
      }),
      [
        'update src/db/data-source.ts',
        'create src/db/migrations/<ms>-AddStartsAtOrganizerIdToEvent.ts',
        'update src/models/event.ts',
        'update src/models/user.ts',
      ],
    ],
  ])('%s: %j touches exactly these files', async (fixture, given, expected) => {
    const { planned, files } = await plan(fixture, given);
    expect(files).toEqual(expected);
    expect(planned.warnings).toEqual([]);
  });

  it('plans nothing for an entity that has everything (a second run is empty)', async () => {
    const { planned, files } = await plan(
      'typeorm-nest',
      flags(['Works', 'Event'], {
        uuidPrimaryKey: 'id',
        attributes: ['title:string', 'starts_at:utc_datetime'],
      }),
    );
    expect(planned.existed).toBe(true);
    expect(planned.table).toBe('events');
    expect(files).toEqual([]);
  });

  it('keeps an existing entity’s table name and leaves the migration out under --no-migration', async () => {
    const { planned, files } = await plan(
      'typeorm-sqlite',
      flags(['Accounts', 'User'], { attributes: ['nickname:string:required'] }),
      { migration: false },
    );
    expect(planned.table).toBe('user');
    expect(planned.migrationName).toBe('add_nickname_to_user');
    expect(files).toEqual(['update src/models/user.ts']);
    expect(planned.warnings).toEqual([
      'nickname is NOT NULL without a default: the migration fails if user already has rows. Give it a default in the migration, or make it optional.',
    ]);
  });

  it('skips timestamps an entity already keeps under other names', async () => {
    const { changes } = await plan(
      'typeorm-sqlite',
      flags(['Accounts', 'User'], { timestamps: true }),
    );
    const [migration] = changes.listChanges().filter((change) => change.file.includes('Add'));
    expect(migration?.file).toMatch(/AddUpdatedAtToUser\.ts$/);
  });

  it.each([
    [
      'a new resource without a key',
      flags(['Works', 'Venue'], { attributes: ['name:string'] }),
      /Works\.Venue does not exist yet, and a new resource needs a primary key/,
    ],
    [
      'a key that contradicts the entity',
      flags(['Works', 'Task'], { uuidPrimaryKey: 'id' }),
      /exists with the primary key id \(generated increment, int\); the command line asks for uuid key id/,
    ],
    [
      'a belongs_to to itself',
      flags(['Works', 'Venue'], {
        uuidPrimaryKey: 'id',
        relationships: ['belongs_to:parent:Works.Venue'],
      }),
      /Venue referring to itself is not supported/,
    ],
    [
      'an unknown destination',
      flags(['Works', 'Venue'], {
        uuidPrimaryKey: 'id',
        relationships: ['belongs_to:owner:Accounts.Usr'],
      }),
      /Resource Accounts\.Usr not found.*\(did you mean "User"\?\)/,
    ],
  ])('rejects %s', async (_name, given, message) => {
    await expect(plan('typeorm-nest', given)).rejects.toThrow(message);
  });
});

describe('the uuid v7 module', () => {
  it('makes RFC 9562 version 7 ids that carry the time and keep increasing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'joinery-uuidv7-'));
    try {
      const file = path.join(dir, 'uuidv7.ts');
      await writeFile(file, renderTemplate('uuidv7.ts.ejs', {}));
      const { uuidv7 } = (await import(pathToFileURL(file).href)) as { uuidv7: () => string };
      const before = Date.now();
      const ids = Array.from({ length: 5000 }, () => uuidv7());
      const after = Date.now();
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      const ms = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after + 5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
