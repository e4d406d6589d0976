#!/usr/bin/env node
// Benchmark: medians of whole-process runs, as ratios to `node -e 0` measured in the same run
// (machines differ; ratios travel), checked against the targets of issue 5.
//
// Cases are measured in groups, round-robin (baseline, case A, case B, baseline, ...), so load
// that comes and goes on a shared machine hits every case of a group alike. Scale cases run on
// synthetic Drizzle and TypeORM projects of 100, 1,000 and 10,000 source files that this script
// writes to a temp folder (node_modules linked to the repository's) and removes afterwards.
//
// Usage: npm run bench [-- --runs 15] [-- --sizes 100,1000,10000] [-- --only startup|scale|check]
//        [-- --keep] (leave the generated projects in the temp folder, for profiling)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'bin', 'joinery.js');
const flag = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const runs = Number(flag('runs', 15));
const sizes = flag('sizes', '100,1000,10000').split(',').map(Number);
const only = flag('only', 'all');
const keep = process.argv.includes('--keep');
const MiB = 1024 * 1024;

const temp = mkdtempSync(path.join(os.tmpdir(), 'joinery-bench-'));
// Peak memory of a run: the child writes its max RSS at exit (loaded with --require).
const rssProbe = path.join(temp, 'max-rss.cjs');
writeFileSync(
  rssProbe,
  `process.on('exit', () => require('fs').writeFileSync(process.env.JOINERY_BENCH_RSS, String(process.resourceUsage().maxRSS * 1024)));\n`,
);

// ---------------------------------------------------------------------------------------------
// Running and timing

/** Wall time of one run in ms; throws (with its output) when the command fails. */
function time(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: benchEnv() });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(
      `\`node ${args.join(' ')}\` failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return ms;
}

/** Peak resident memory of one run, in bytes. */
function peakMemory(args, cwd) {
  const file = path.join(temp, 'rss.txt');
  execFileSync(process.execPath, ['--require', rssProbe, ...args], {
    cwd,
    stdio: 'ignore',
    env: { ...benchEnv(), JOINERY_BENCH_RSS: file },
  });
  return Number(readFileSync(file, 'utf8'));
}

function benchEnv() {
  return { ...process.env, NO_COLOR: '1', CI: 'true' };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Measures a group of cases round-robin, the `node -e 0` baseline first in every round.
 * A case: { name, args, cwd, memory?, setup?() (before each run) }.
 */
function measureGroup(title, cases, count = runs) {
  const all = [{ name: 'node -e 0', args: ['-e', '0'], cwd: temp }, ...cases];
  process.stderr.write(`${title}: ${all.length} cases × ${count} runs `);
  for (const entry of all) {
    entry.setup?.();
    time(entry.args, entry.cwd); // warm the file cache (and the compile cache)
  }
  const samples = all.map(() => []);
  for (let round = 0; round < count; round++) {
    all.forEach((entry, index) => {
      entry.setup?.();
      samples[index].push(time(entry.args, entry.cwd));
    });
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const baseline = median(samples[0]);
  return all.map((entry, index) => {
    let memory;
    if (entry.memory) {
      entry.setup?.();
      memory = Math.max(...[0, 1, 2].map(() => peakMemory(entry.args, entry.cwd)));
    }
    return { ...entry, median: median(samples[index]), baseline, runs: count, memory };
  });
}

// ---------------------------------------------------------------------------------------------
// Projects

function linkNodeModules(dir) {
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

function fixtureCopy(name) {
  const dir = mkdtempSync(path.join(temp, `${name}-`));
  cpSync(path.join(repo, 'fixtures', name), dir, { recursive: true });
  linkNodeModules(dir);
  return dir;
}

function write(root, file, text) {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

const DRIZZLE_TABLES = {
  users: `import { relations } from 'drizzle-orm'
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

import { sessions } from './sessions'

// Accounts: people who sign in
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const usersRelations = relations(users, ({ many }) => ({
  sessions: many(sessions),
}))
`,
  events: `import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

// Works: things that happen at a given time
export const events = pgTable('events', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }),
})
`,
  sessions: `import { relations } from 'drizzle-orm'
import { pgTable, text, uuid } from 'drizzle-orm/pg-core'

import { users } from './users'

export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  device: text('device').notNull(),
})

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}))
`,
  organizations: `import { pgTable, text, uuid } from 'drizzle-orm/pg-core'

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
})
`,
};

const TYPEORM_ENTITIES = {
  user: `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm'

import { Session } from './session.entity'

// Accounts: people who sign in
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('varchar', { length: 255 })
  name!: string

  @Column('varchar', { length: 255 })
  email!: string

  @OneToMany(() => Session, (session) => session.user)
  sessions!: Session[]
}
`,
  event: `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

// Works: things that happen at a given time
@Entity('events')
export class Event {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('varchar', { length: 255 })
  title!: string
}
`,
  session: `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'

import { User } from './user.entity'

@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('varchar', { length: 255 })
  device!: string

  @ManyToOne(() => User, (user) => user.sessions, { onDelete: 'CASCADE' })
  user!: User
}
`,
  organization: `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id!: string

  @Column('varchar', { length: 255 })
  name!: string
}
`,
};

/** Application code around the schema: what makes a repository big. ~1-2 KB per file. */
function fillerFiles(orm, module) {
  const name = `feature${module}`;
  const Name = `Feature${module}`;
  const ormImports =
    orm === 'drizzle'
      ? `import { and, eq, desc } from 'drizzle-orm'\n\nimport { db } from '../../db/client'\nimport { events, users } from '../../db/schema'`
      : `import { Repository } from 'typeorm'\n\nimport { AppDataSource } from '../../data-source'\nimport { Event } from '../../entities/event.entity'\nimport { User } from '../../entities/user.entity'`;
  const query =
    orm === 'drizzle'
      ? `const rows = await db.select().from(users).where(and(eq(users.id, userId))).orderBy(desc(users.createdAt)).limit(limit)\n    const upcoming = await db.select().from(events).limit(limit)`
      : `const rows = await this.users.find({ where: { id: userId }, take: limit })\n    const upcoming = await this.events.find({ take: limit })`;
  const repositories =
    orm === 'drizzle'
      ? ''
      : `  private readonly users: Repository<User> = AppDataSource.getRepository(User)\n  private readonly events: Repository<Event> = AppDataSource.getRepository(Event)\n\n`;
  return {
    [`${name}.service.ts`]: `${ormImports}

import { ${Name}Dto, to${Name}Dto } from './${name}.dto'
import { ${name.toUpperCase()}_PAGE_SIZE } from './${name}.constants'

/** Reads what ${name} shows for a user and the events around them. */
export class ${Name}Service {
${repositories}  async listForUser(userId: string, limit = ${name.toUpperCase()}_PAGE_SIZE): Promise<${Name}Dto[]> {
    ${query}
    return rows.map((row) => to${Name}Dto(row, upcoming.length))
  }

  async countForUser(userId: string): Promise<number> {
    const items = await this.listForUser(userId, 1000)
    return items.length
  }
}
`,
    [`${name}.controller.ts`]: `import { ${Name}Service } from './${name}.service'
import { validate${Name}Query } from './${name}.validator'

export interface Request {
  params: Record<string, string>
  query: Record<string, string | undefined>
}

/** HTTP handlers for ${name}. */
export class ${Name}Controller {
  constructor(private readonly service = new ${Name}Service()) {}

  async list(request: Request) {
    const query = validate${Name}Query(request.query)
    const items = await this.service.listForUser(request.params.userId ?? '', query.limit)
    return { items, total: items.length, page: query.page }
  }

  async count(request: Request) {
    return { total: await this.service.countForUser(request.params.userId ?? '') }
  }
}
`,
    [`${name}.dto.ts`]: `export interface ${Name}Dto {
  id: string
  label: string
  upcomingEvents: number
}

export function to${Name}Dto(row: { id: string; name?: string; email?: string }, upcomingEvents: number): ${Name}Dto {
  return { id: row.id, label: row.name ?? row.email ?? row.id, upcomingEvents }
}
`,
    [`${name}.validator.ts`]: `import { ${name.toUpperCase()}_PAGE_SIZE, ${name.toUpperCase()}_MAX_PAGE_SIZE } from './${name}.constants'

export interface ${Name}Query {
  page: number
  limit: number
}

export function validate${Name}Query(query: Record<string, string | undefined>): ${Name}Query {
  const page = Math.max(1, Number(query.page ?? 1) || 1)
  const limit = Math.min(${name.toUpperCase()}_MAX_PAGE_SIZE, Number(query.limit ?? ${name.toUpperCase()}_PAGE_SIZE) || ${name.toUpperCase()}_PAGE_SIZE)
  return { page, limit }
}
`,
    [`${name}.constants.ts`]: `export const ${name.toUpperCase()}_PAGE_SIZE = 20
export const ${name.toUpperCase()}_MAX_PAGE_SIZE = 100
export const ${name.toUpperCase()}_CACHE_SECONDS = ${30 + (module % 60)}
`,
    [`${name}.mapper.ts`]: `import type { ${Name}Dto } from './${name}.dto'

export function ${name}ToCsv(items: ${Name}Dto[]): string {
  const header = 'id,label,upcoming_events'
  const lines = items.map((item) => [item.id, JSON.stringify(item.label), item.upcomingEvents].join(','))
  return [header, ...lines].join('\\n')
}

export function ${name}ById(items: ${Name}Dto[]): Map<string, ${Name}Dto> {
  return new Map(items.map((item) => [item.id, item]))
}
`,
    [`${name}.types.ts`]: `export type ${Name}Status = 'draft' | 'active' | 'archived'

export interface ${Name}Settings {
  status: ${Name}Status
  notifyUser: boolean
  remindBeforeEventMinutes: number
}

export const default${Name}Settings: ${Name}Settings = {
  status: 'draft',
  notifyUser: true,
  remindBeforeEventMinutes: 30,
}
`,
    [`${name}.test.ts`]: `import { ${name}ToCsv } from './${name}.mapper'
import { validate${Name}Query } from './${name}.validator'

export function test${Name}(): void {
  const csv = ${name}ToCsv([{ id: '1', label: 'Ada', upcomingEvents: 2 }])
  if (!csv.includes('Ada')) throw new Error('${name}: csv lost the label')
  const query = validate${Name}Query({ page: '0', limit: '1000' })
  if (query.page !== 1 || query.limit !== 100) throw new Error('${name}: bad limits')
}
`,
    [`${name}.events.ts`]: `import type { ${Name}Dto } from './${name}.dto'

type Listener = (item: ${Name}Dto) => void
const listeners = new Set<Listener>()

export function on${Name}Changed(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function emit${Name}Changed(item: ${Name}Dto): void {
  for (const listener of listeners) listener(item)
}
`,
    'index.ts': `export * from './${name}.controller'
export * from './${name}.dto'
export * from './${name}.service'
export * from './${name}.types'
`,
  };
}

/**
 * A synthetic project of `size` source files: a small schema (Drizzle tables or TypeORM entities,
 * User and Event among them) and application modules of ten files each around it.
 */
function syntheticProject(orm, size) {
  const root = path.join(temp, `${orm}-${size}`);
  mkdirSync(root, { recursive: true });
  linkNodeModules(root);
  const dependencies =
    orm === 'drizzle'
      ? { 'drizzle-orm': '^0.45.4', pg: '^8.23.1' }
      : { typeorm: '^1.1.1', pg: '^8.23.1', 'reflect-metadata': '^0.2.2' };
  write(
    root,
    'package.json',
    JSON.stringify(
      {
        name: `bench-${orm}-${size}`,
        private: true,
        dependencies,
        devDependencies: { 'drizzle-kit': '^0.31.11', prettier: '^3.10.1', typescript: '^5.9.0' },
      },
      null,
      2,
    ),
  );
  write(
    root,
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
      },
      include: ['src'],
    }),
  );
  write(root, '.prettierrc', '{ "semi": false, "singleQuote": true, "printWidth": 100 }\n');
  let count = 0;
  if (orm === 'drizzle') {
    for (const [name, text] of Object.entries(DRIZZLE_TABLES)) {
      write(root, `src/db/schema/${name}.ts`, text);
    }
    write(
      root,
      'src/db/schema/index.ts',
      Object.keys(DRIZZLE_TABLES)
        .map((name) => `export * from './${name}'\n`)
        .join(''),
    );
    write(
      root,
      'src/db/client.ts',
      `import { drizzle } from 'drizzle-orm/node-postgres'\n\nimport * as schema from './schema'\n\nexport const db = drizzle(process.env.DATABASE_URL!, { schema })\n`,
    );
    count = Object.keys(DRIZZLE_TABLES).length + 2;
  } else {
    for (const [name, text] of Object.entries(TYPEORM_ENTITIES)) {
      write(root, `src/entities/${name}.entity.ts`, text);
    }
    write(
      root,
      'src/migrations/1700000000000-Init.ts',
      `import type { MigrationInterface, QueryRunner } from 'typeorm'\n\nexport class Init1700000000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query('select 1')\n  }\n\n  async down(): Promise<void> {}\n}\n`,
    );
    count = Object.keys(TYPEORM_ENTITIES).length + 2; // + data-source.ts
  }
  for (let module = 0; count < size; module++) {
    const group = `group${Math.floor(module / 20)}`;
    for (const [file, text] of Object.entries(fillerFiles(orm, module))) {
      if (count >= size) break;
      write(root, `src/modules/${group}/feature${module}/${file}`, text);
      count++;
    }
  }
  return root;
}

/** The scoped configuration points at the schema folder; the worst case globs the whole tree. */
function configure(orm, root, scope) {
  if (orm === 'drizzle') {
    const schema = scope === 'scoped' ? './src/db/schema' : './src/**/*.ts';
    write(
      root,
      'drizzle.config.ts',
      `import { defineConfig } from 'drizzle-kit'\n\nexport default defineConfig({\n  dialect: 'postgresql',\n  schema: '${schema}',\n  out: './drizzle',\n  dbCredentials: { url: process.env.DATABASE_URL! },\n})\n`,
    );
  } else {
    const entities = scope === 'scoped' ? 'src/entities/*.entity.ts' : 'src/**/*.ts';
    write(
      root,
      'src/data-source.ts',
      `import 'reflect-metadata'\nimport { DataSource } from 'typeorm'\n\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  url: process.env.DATABASE_URL,\n  entities: ['${entities}'],\n  migrations: ['src/migrations/*.ts'],\n  synchronize: false,\n})\n`,
    );
  }
}

const NOUNS = [
  'user',
  'event',
  'task',
  'topic',
  'team',
  'project',
  'tag',
  'file',
  'note',
  'comment',
  'post',
  'group',
  'role',
  'badge',
  'course',
  'lesson',
  'room',
  'device',
  'order',
  'product',
  'invoice',
  'ticket',
  'label',
  'channel',
  'place',
];
const pascal = (word) => word[0].toUpperCase() + word.slice(1);
/** The first pairs of nouns, in order: (user, event), (user, task), ... */
const JOIN_PAIRS = NOUNS.flatMap((a, i) => NOUNS.slice(i + 1).map((b) => [a, b]));
const joinArgs = ([a, b]) => [
  'gen',
  'resource',
  'Accounts',
  `${pascal(a)}${pascal(b)}`,
  '--primary-key',
  `${a}_id,${b}_id`,
  '--attributes',
  `${a}_id:uuid:required`,
  '--attributes',
  `${b}_id:uuid:required`,
];

/**
 * A Drizzle project with 25 tables and `count` join resources between them, recorded in
 * joinery.json and generated by `joinery sync`, with drizzle-kit's migrations for all of it.
 */
function manifestProject(count) {
  const root = path.join(temp, `manifest-${count}`);
  mkdirSync(root, { recursive: true });
  linkNodeModules(root);
  write(
    root,
    'package.json',
    JSON.stringify(
      {
        name: 'bench-manifest',
        private: true,
        type: 'module',
        dependencies: { 'drizzle-orm': '^0.45.4', pg: '^8.23.1' },
        devDependencies: { 'drizzle-kit': '^0.31.11', prettier: '^3.10.1' },
      },
      null,
      2,
    ),
  );
  write(root, '.prettierrc', '{ "semi": false, "singleQuote": true, "printWidth": 100 }\n');
  write(
    root,
    'drizzle.config.ts',
    `import { defineConfig } from 'drizzle-kit'\n\nexport default defineConfig({\n  dialect: 'postgresql',\n  schema: './src/db/schema',\n  out: './drizzle',\n})\n`,
  );
  for (const noun of NOUNS) {
    write(
      root,
      `src/db/schema/${noun}s.ts`,
      `import { pgTable, text, uuid } from 'drizzle-orm/pg-core'\n\nexport const ${noun}s = pgTable('${noun}s', {\n  id: uuid('id').primaryKey().defaultRandom(),\n  name: text('name').notNull(),\n})\n`,
    );
  }
  const entries = Object.fromEntries(
    JOIN_PAIRS.slice(0, count).map(([a, b]) => [
      `Accounts.${pascal(a)}${pascal(b)}`,
      {
        domain: 'Accounts',
        resource: `${pascal(a)}${pascal(b)}`,
        table: `${a}_${b}s`,
        primaryKey: [`${a}_id`, `${b}_id`],
        attributes: [`${a}_id:uuid`, `${b}_id:uuid`],
        relationships: [],
        timestamps: false,
        skipMigration: true,
        files: [],
        migrations: [],
      },
    ]),
  );
  write(root, 'joinery.json', `${JSON.stringify({ ...entries, version: 1 }, null, 2)}\n`);
  process.stderr.write(`check: generating ${count} join resources with joinery sync (setup) ...\n`);
  execFileSync(process.execPath, [cli, 'sync', '--yes', '--quiet'], {
    cwd: root,
    stdio: 'ignore',
    env: benchEnv(),
  });
  execFileSync(path.join(repo, 'node_modules', '.bin', 'drizzle-kit'), ['generate'], {
    cwd: root,
    stdio: 'ignore',
    env: benchEnv(),
  });
  return root;
}

// ---------------------------------------------------------------------------------------------
// Cases

const GEN = [
  'gen',
  'resource',
  'Accounts',
  'UserEvent',
  '--primary-key',
  'user_id,event_id',
  '--attributes',
  'user_id:uuid:required',
  '--attributes',
  'event_id:uuid:required',
];
const DRY = [cli, ...GEN, '--dry-run', '--no-migration'];
const rows = [];

function addRow(result, extra = {}) {
  rows.push({ ...result, ...extra });
}

try {
  if (only === 'all' || only === 'startup') {
    const fixture = fixtureCopy('drizzle-pg-domains');
    const results = measureGroup('start-up and fixture', [
      { name: 'joinery --help', args: [cli, '--help'], cwd: fixture, target: 1.5 },
      { name: 'joinery --version', args: [cli, '--version'], cwd: fixture, target: 1.5 },
      {
        name: 'gen resource --dry-run --no-migration (fixture drizzle-pg-domains)',
        args: DRY,
        cwd: fixture,
        target: 7,
        memory: true,
      },
    ]);
    results.forEach((result) => addRow(result));

    // The first run after an install compiles ts-morph and Prettier and fills the compile cache
    // (node_modules/.cache/joinery); informational, no target.
    const compileCache = path.join(repo, 'node_modules', '.cache', 'joinery');
    const cold = measureGroup(
      'empty compile cache',
      [
        {
          name: 'gen resource --dry-run --no-migration, empty compile cache (first run after an install)',
          args: DRY,
          cwd: fixture,
          setup: () => rmSync(compileCache, { recursive: true, force: true }),
        },
      ],
      Math.min(runs, 7),
    );
    addRow(cold[1]);
    time(DRY, fixture); // fill the cache again for the cases after this one

    // Writing changes the copy, so each run gets a fresh one; informational, no target.
    let dir;
    const writeRun = measureGroup(
      'write + drizzle-kit',
      [
        {
          name: 'gen resource (write + drizzle-kit generate, fixture)',
          args: [cli, ...GEN],
          get cwd() {
            return dir;
          },
          setup() {
            if (dir) rmSync(dir, { recursive: true, force: true });
            dir = fixtureCopy('drizzle-pg-domains');
          },
        },
      ],
      Math.min(runs, 5),
    );
    addRow(writeRun[1]);
  }

  if (only === 'all' || only === 'scale') {
    for (const orm of ['drizzle', 'typeorm']) {
      const roots = new Map(sizes.map((size) => [size, syntheticProject(orm, size)]));
      for (const scope of ['scoped', 'worst']) {
        for (const root of roots.values()) configure(orm, root, scope);
        const label = orm === 'drizzle' ? 'Drizzle' : 'TypeORM';
        const what =
          scope === 'scoped'
            ? orm === 'drizzle'
              ? "schema: './src/db/schema'"
              : "entities: ['src/entities/*.entity.ts']"
            : orm === 'drizzle'
              ? "schema: './src/**/*.ts'"
              : "entities: ['src/**/*.ts']";
        const results = measureGroup(
          `${label} ${scope}`,
          sizes.map((size) => ({
            name: `${label} ${scope} (${what}), ${size.toLocaleString('en')} files`,
            args: DRY,
            cwd: roots.get(size),
            size,
            memory: size === Math.max(...sizes),
          })),
        );
        const smallest = results.find((result) => result.size === Math.min(...sizes));
        for (const result of results.slice(1)) {
          addRow(result, {
            scale: result.median / smallest.median,
            scaleTarget:
              result.size === Math.max(...sizes) && result !== smallest
                ? scope === 'scoped'
                  ? 1.1
                  : 1.5
                : undefined,
            memoryTarget: result.memory !== undefined ? 160 : undefined,
          });
        }
      }
      if (!keep) for (const root of roots.values()) rmSync(root, { recursive: true, force: true });
    }
  }

  if (only === 'all' || only === 'check') {
    // `joinery check` over a manifest of 200 join resources: at most 3× a single gen --dry-run.
    const help = spawnSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' });
    const name = 'joinery check, 200 join resources in joinery.json';
    if (help.status !== 0) {
      rows.push({ name, skipped: 'this build has no `joinery check` command' });
      process.stderr.write('check: skipped, this build has no `joinery check` command\n');
    } else {
      const root = manifestProject(200);
      const sanity = spawnSync(process.execPath, [cli, 'check'], {
        cwd: root,
        encoding: 'utf8',
        env: benchEnv(),
      });
      if (sanity.status !== 0) {
        const reason = `setup: \`joinery check\` exits ${sanity.status} on the generated project`;
        rows.push({ name, skipped: reason });
        process.stderr.write(`check: skipped, ${reason}:\n${sanity.stdout}\n${sanity.stderr}\n`);
      } else {
        const [first] = JOIN_PAIRS.slice(0, 1).map(joinArgs);
        const results = measureGroup(
          'check',
          [
            {
              name: 'gen resource --dry-run --no-migration, one of the 200 joins',
              args: [cli, ...first, '--dry-run', '--no-migration'],
              cwd: root,
            },
            { name, args: [cli, 'check'], cwd: root, memory: true },
          ],
          Math.min(runs, 3),
        );
        addRow(results[1]);
        addRow(results[2], { versus: results[1].median, versusTarget: 3 });
      }
      if (!keep) rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  if (keep) process.stderr.write(`kept the generated projects in ${temp}\n`);
  else rmSync(temp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (value, digits = 2) => (value === undefined ? '' : value.toFixed(digits));
const verdicts = [];
const verdict = (ok) => {
  verdicts.push(ok);
  return ok ? 'pass' : '**fail**';
};
console.log(
  `node ${process.version}, ${os.cpus().length} cores, ${os.platform()}; medians of ${runs} runs, each group measured round-robin with its own \`node -e 0\` baseline\n`,
);
console.log(
  '| case | median (ms) | × node -e 0 | × 100 files | peak memory (MiB) | target | result |',
);
console.log('|---|---:|---:|---:|---:|---|---|');
for (const row of rows) {
  if (row.skipped) {
    console.log(`| ${row.name} | | | | | ≤ 3× gen --dry-run | skipped: ${row.skipped} |`);
    continue;
  }
  const ratio = row.median / row.baseline;
  const memory = row.memory === undefined ? undefined : row.memory / MiB;
  const targets = [];
  const results = [];
  if (row.target !== undefined) {
    targets.push(`≤ ${row.target}× node -e 0`);
    results.push(verdict(ratio <= row.target));
  }
  if (row.scaleTarget !== undefined) {
    targets.push(`≤ ${row.scaleTarget}× at 100 files`);
    results.push(verdict(row.scale <= row.scaleTarget));
  }
  if (row.versusTarget !== undefined) {
    targets.push(`≤ ${row.versusTarget}× gen --dry-run (here ${fmt(row.median / row.versus)}×)`);
    results.push(verdict(row.median / row.versus <= row.versusTarget));
  }
  if (row.memoryTarget !== undefined) {
    targets.push(`≤ ${row.memoryTarget} MiB`);
    results.push(verdict(memory <= row.memoryTarget));
  }
  const note = row.runs !== runs ? ` (${row.runs} runs)` : '';
  console.log(
    `| ${row.name}${note} | ${fmt(row.median, 0)} | ${fmt(ratio)} | ${fmt(row.scale)} | ${fmt(memory, 0)} | ${targets.join(', ')} | ${results.join(', ')} |`,
  );
}
const baselines = rows.filter((row) => row.baseline).map((row) => row.baseline);
if (baselines.length) {
  console.log(
    `\n\`node -e 0\` medians per group: ${[...new Set(baselines.map((b) => b.toFixed(0)))].join(', ')} ms`,
  );
}
if (verdicts.includes(false)) process.exitCode = 1;
