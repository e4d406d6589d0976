/**
 * The TypeORM project scan: list the project's source files, keep by text only those that could
 * configure TypeORM, declare a wanted entity or hold a migration, and parse just those.
 *
 * Scoped first: when the DataSource sits where TypeORM projects keep it (a path named by a
 * `typeorm -d <file>` script, `src/data-source.ts`, ...) and lists its entities and migrations by
 * glob only, just the files those globs cover are read, so a large repository costs no more than
 * a small one. A NestJS `forRoot`, class lists, computed lists, or wanted entities missing from
 * the globs fall back to the scan of every source file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Project as MorphProject, SourceFile } from 'ts-morph';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import { plural, timed } from '../../output.js';
import { detectImportStyle, type ImportStyle } from '../../project/import-style.js';
import { parseInto, sharedMorphProject } from '../../project/parse-source.js';
import type { Project } from '../../project/project.js';
import { IGNORED_FOLDER_NAMES, resolveRelativeModule } from '../../project/source-files.js';
import { kebabCase, pluralizeLast, snakeCase } from '../../rules/naming.js';
import type { NamingNeighbours, PlanOptions } from '../target.js';
import type { TypeormDialect } from './column-types.js';
import { typeormPackage } from './detect.js';
import {
  dialectOfDriver,
  mayHoldOrmOptions,
  readFeatureLists,
  readOrmOptions,
  type FeatureList,
  type OutputLayout,
  type OrmOptions,
} from './data-source.js';
import {
  entityClassNamesIn,
  mayHoldEntity,
  readEntities,
  type ModuleLoader,
  type TypeormEntity,
} from './entity-model.js';
import { normalizeResourceName } from '../../rules/resolve-resource.js';
import { nearestSqlNaming, type SqlNaming, type SqlTableNames } from '../../project/conventions.js';
import { existingEntity, resolveEntity } from './resolve.js';

export interface TypeormScan {
  /** Every source file listed (unreadable and oversized files are left out). */
  files: string[];
  /**
   * Texts of the files that may configure TypeORM, declare an entity or hold a migration; the
   * others are read once and dropped (on 10,000 files they would weigh more than the parse).
   */
  texts: Map<string, string>;
  options: OrmOptions[];
  features: FeatureList[];
  entities: TypeormEntity[];
  /** Entity classes in files the prefilter did not parse (for "not found" messages). */
  otherEntityNames: string[];
  /** Parsed files by absolute path; the same objects the patches edit. */
  sourceFiles: Map<string, SourceFile>;
  /** `scoped`: only the files the DataSource's globs cover were read; `full`: every source file. */
  coverage: 'scoped' | 'full';
}

/** Words that must appear in an entity file for it to be worth parsing. */
export function wantedWords(names: string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    words.add(name.toLowerCase());
    words.add(snakeCase(name));
    words.add(kebabCase(name));
    words.add(snakeCase(pluralizeLast(name)));
  }
  return [...words];
}

/** Where TypeORM projects keep their DataSource, relative to the root (`typeorm init` and docs). */
const CONVENTIONAL_DATA_SOURCES = [
  'src/data-source',
  'src/datasource',
  'src/data-source.config',
  'src/db/data-source',
  'src/db/datasource',
  'src/database/data-source',
  'src/config/data-source',
  'src/typeorm.config',
  'src/config/typeorm.config',
  'src/ormconfig',
  'data-source',
  'typeorm.config',
  'ormconfig',
].flatMap((stem) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${stem}.${ext}`));

/**
 * `scanTypeormProject(project, names, required)`: `names` decide which entity files are parsed;
 * the scoped scan stands only when every name in `required` resolves among its entities.
 */
export async function scanTypeormProject(
  project: Project,
  wantedNames: string[],
  required: string[] = [],
): Promise<TypeormScan> {
  const pending = pendingScans.get(project);
  if (pending) {
    pendingScans.delete(project);
    const words = wantedWords(wantedNames);
    if (words.every((word) => pending.words.has(word)) && sameItems(pending.required, required)) {
      return pending.scan;
    }
  }
  return scanProject(project, wantedNames, required);
}

/**
 * The scan `typeormSqlNaming` made for the plan that follows it on the same project, taken once
 * and only when it parsed for every name the plan wants (the plan's table is one of the names
 * the naming scan tried): a later plan (sync replays entry after entry, editing the parsed
 * files) scans anew.
 */
const pendingScans = new WeakMap<
  Project,
  { words: Set<string>; required: string[]; scan: Promise<TypeormScan> }
>();

const sameItems = (a: string[], b: string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

/**
 * The project's SQL naming, from the entities nearest the new code: its own entity when it
 * exists, then the destinations, then every entity the scan parsed. The scan is kept for the
 * plan, which asks for the same names (`wanted`, as its planner passes them).
 */
export async function typeormSqlNaming(
  project: Project,
  near: NamingNeighbours,
  wanted: { names: string[]; required: string[] },
): Promise<SqlNaming> {
  const scanning = scanProject(project, wanted.names, wanted.required);
  pendingScans.set(project, {
    words: new Set(wantedWords(wanted.names)),
    required: wanted.required,
    scan: scanning,
  });
  const { entities } = await scanning;
  const own = near.self.flatMap((self) => existingEntity(entities, self) ?? []);
  const destinations = near.destinations.flatMap((ref) => {
    try {
      return [
        resolveEntity(
          entities,
          ref,
          { describe: (entity) => entity.className, relative: relativeTo(project.root) },
          [],
        ),
      ];
    } catch {
      // Not found or ambiguous: the plan says so; the naming reads the other entities.
      return [];
    }
  });
  const names = (entity: TypeormEntity): SqlTableNames => ({
    table: entity.tableName,
    columns: entity.columns,
  });
  return nearestSqlNaming([own.map(names), destinations.map(names), entities.map(names)]);
}

async function scanProject(
  project: Project,
  wantedNames: string[],
  required: string[],
): Promise<TypeormScan> {
  const morph = sharedMorphProject([]);
  const scoped = await timed('find the DataSource and its globs', () =>
    scopedFiles(project, morph),
  );
  if (scoped) {
    const scan = scanFiles(project, morph, scoped, wantedNames, 'scoped');
    if (required.every((name) => scan.entities.some((entity) => namedLike(entity, name)))) {
      return scan;
    }
  }
  const files = await project.listSources(['.']);
  return scanFiles(project, morph, files, wantedNames, 'full');
}

function namedLike(entity: TypeormEntity, name: string): boolean {
  const wanted = name.toLowerCase();
  return (
    entity.className === name ||
    normalizeResourceName(entity.className) === wanted ||
    normalizeResourceName(entity.tableName) === wanted
  );
}

/** Data source files named by the project's scripts (`typeorm ... -d src/data-source.ts`). */
function scriptDataSources(project: Project): string[] {
  const scripts = Object.values(project.packageJson.scripts ?? {});
  return scripts.flatMap((script) =>
    [...script.matchAll(/(?:^|\s)(?:-d|--dataSource|--data-source)[=\s]+["']?([^\s"']+)/g)].map(
      (match) => match[1]!,
    ),
  );
}

/**
 * The files to read when a conventional DataSource lists entities and migrations by glob only,
 * else undefined (scan everything).
 */
async function scopedFiles(project: Project, morph: MorphProject): Promise<string[] | undefined> {
  const configFiles = [
    ...new Set(
      [...scriptDataSources(project), ...CONVENTIONAL_DATA_SOURCES].map((file) =>
        path.resolve(project.root, file),
      ),
    ),
  ].filter((file) => existsSync(file));
  const options: OrmOptions[] = [];
  for (const file of configFiles) {
    // A DataSource file that is there but unreadable (a folder) would silently lose the registration.
    const text = project.readExpected(file);
    if (!mayHoldOrmOptions(text)) continue;
    options.push(...readOrmOptions(parseInto(morph, file, text), outputLayout(project)));
  }
  const globOnly = (list: OrmOptions['entities']) =>
    list === undefined || (!list.opaque && list.classes.length === 0);
  const scopable =
    options.length > 0 &&
    options.every(
      (config) =>
        config.kind !== 'nest-root' &&
        !config.autoLoadEntities &&
        config.entities !== undefined &&
        config.entities.globs.length > 0 &&
        globOnly(config.entities) &&
        globOnly(config.migrations),
    );
  if (!scopable) return undefined;
  const globs = options.flatMap((config) => [
    ...config.entities!.globs,
    ...(config.migrations?.globs ?? []),
  ]);
  // Globs into compiled output stand for the TypeScript sources (their `src/` variants are
  // listed too); the output itself is never scanned, as in the full scan.
  const posixRoot = project.root.split(path.sep).join('/');
  const withSources = globs
    .filter(
      (glob) =>
        !path.posix
          .relative(posixRoot, glob)
          .split('/')
          .some((segment) => IGNORED_FOLDER_NAMES.has(segment)),
    )
    .flatMap((glob) => (/\.js$/.test(glob) ? [glob, glob.replace(/\.js$/, '.ts')] : [glob]));
  const listed = await project.listSources(withSources);
  return [...new Set([...configFiles, ...listed])].sort();
}

/** Could this file configure TypeORM, declare an entity or be a migration? */
function mayMatter(text: string): boolean {
  return mayHoldOrmOptions(text) || mayHoldEntity(text) || MIGRATION.test(text);
}
const MIGRATION = /MigrationInterface|queryRunner|class\s+\w+\d{13}\b/;

function scanFiles(
  project: Project,
  morph: MorphProject,
  files: string[],
  wantedNames: string[],
  coverage: TypeormScan['coverage'],
): TypeormScan {
  const texts = new Map<string, string>();
  const listed: string[] = [];
  for (const file of files) {
    const scanned = project.scanSource(file, mayMatter);
    if (!scanned) continue;
    listed.push(file);
    const text = scanned.relevant ? project.readSource(file) : undefined;
    if (text !== undefined) texts.set(file, text);
  }
  const words = wantedWords(wantedNames);
  const toParse = new Map<string, string>();
  const otherEntityNames: string[] = [];
  for (const [file, text] of texts) {
    const entity = mayHoldEntity(text);
    const lower = entity ? text.toLowerCase() : '';
    if (mayHoldOrmOptions(text) || (entity && words.some((word) => lower.includes(word)))) {
      toParse.set(file, text);
    } else if (entity) {
      const shown = path.relative(project.root, file).split(path.sep).join('/');
      for (const { className, line } of entityClassNamesIn(text)) {
        otherEntityNames.push(`${shown}:${line} ${className}`);
      }
    }
  }

  sharedMorphProject([...toParse.values()]);
  const sourceFiles = new Map<string, SourceFile>();
  const scan: TypeormScan = {
    files: listed,
    texts,
    options: [],
    features: [],
    entities: [],
    otherEntityNames,
    sourceFiles,
    coverage,
  };
  const entityFiles: SourceFile[] = [];
  timed(`parse ${toParse.size} of ${plural(listed.length, 'file')} (${coverage} scan)`, () => {
    for (const [file, text] of toParse) {
      const sourceFile = parseInto(morph, file, text);
      sourceFiles.set(file, sourceFile);
      if (mayHoldOrmOptions(text)) {
        scan.options.push(...readOrmOptions(sourceFile, outputLayout(project)));
        scan.features.push(...readFeatureLists(sourceFile));
      }
      if (mayHoldEntity(text)) entityFiles.push(sourceFile);
    }
  });
  const snakeColumns = scan.options.some((options) => /snake/i.test(options.namingStrategy ?? ''));
  const load = moduleLoader(project, morph);
  for (const sourceFile of entityFiles) {
    scan.entities.push(...readEntities(sourceFile, { snakeColumns }, load));
  }
  return scan;
}

function outputLayout(project: Project): OutputLayout {
  return { root: project.root, outDir: project.ts.outDir, rootDir: project.ts.rootDir };
}

/**
 * Parses the project modules entity files import (base entities, mixins) on demand: relative
 * specifiers, and bare ones through tsconfig `paths` or `baseUrl` (`src/common/abstract.entity`).
 * Packages are never read.
 */
function moduleLoader(project: Project, morph: MorphProject): ModuleLoader {
  const tsRoot = path.resolve(project.root, project.ts.baseUrl ?? '.');
  const candidates = (specifier: string): string[] => {
    const mapped = Object.entries(project.ts.paths).flatMap(([pattern, targets]) => {
      const star = pattern.indexOf('*');
      const prefix = star === -1 ? pattern : pattern.slice(0, star);
      const suffix = star === -1 ? '' : pattern.slice(star + 1);
      if (
        star === -1
          ? specifier !== pattern
          : !specifier.startsWith(prefix) || !specifier.endsWith(suffix)
      )
        return [];
      const middle =
        star === -1 ? '' : specifier.slice(prefix.length, specifier.length - suffix.length);
      return targets.map((target) => path.resolve(tsRoot, target.replace('*', middle)));
    });
    return project.ts.baseUrl ? [...mapped, path.resolve(tsRoot, specifier)] : mapped;
  };
  return (fromFile, specifier) => {
    const bases = specifier.startsWith('.')
      ? [path.resolve(path.dirname(fromFile), specifier)]
      : candidates(specifier);
    for (const base of bases) {
      if (!base.startsWith(project.root + path.sep)) continue;
      const file = resolveRelativeModule(base, `./${path.basename(base)}`);
      const text = file && project.readSource(file);
      if (text !== undefined && file) return parseInto(morph, file, text);
    }
    return undefined;
  };
}

/** What every step of a plan reads: the project, its scan, the tree and the run's options. */
export interface PlanContext {
  project: Project;
  changes: ChangeSet;
  options: PlanOptions;
  scan: TypeormScan;
  dialect: TypeormDialect;
  /** Project-relative, POSIX separators: how files are named in messages. */
  relative: (file: string) => string;
  /** `src/entities/User.ts:4 User ('users')`, for messages. */
  describe: (entity: TypeormEntity) => string;
  /** The module generated code imports TypeORM from: `typeorm`, or a fork (`@n8n/typeorm`). */
  ormModule: string;
}

/** The context of the steps that edit: the project's import style is known by then. */
export interface EditContext extends PlanContext {
  style: SourceStyle;
}

/**
 * Scans for a plan (`names` decide which entity files are parsed, see scanTypeormProject) and
 * backs the tree by every parsed file, so the steps edit through ts-morph and nothing is copied
 * back or parsed again.
 */
export async function scanForPlan(
  project: Project,
  changes: ChangeSet,
  options: PlanOptions,
  wanted: { names: string[]; required: string[] },
): Promise<PlanContext> {
  const scan = await scanTypeormProject(project, wanted.names, wanted.required);
  for (const [file, sourceFile] of scan.sourceFiles) changes.attach(file, sourceFile);
  const relative = relativeTo(project.root);
  return {
    project,
    changes,
    options,
    scan,
    dialect: dialectOf(project, scan.options, relative),
    relative,
    describe: (entity) =>
      `${relative(entity.file)}:${entity.line} ${entity.className} ('${entity.tableName}')`,
    ormModule: typeormPackage(project),
  };
}

/** Read only once a plan edits (a run that stops at --ignore-if-exists never needs it). */
export function withSourceStyle(context: PlanContext): EditContext {
  return { ...context, style: sourceStyle(context.project, context.scan) };
}

/** The file holding `new DataSource(...)` (relative), for `typeorm migration:run -d`. */
export function dataSourceFileOf(context: PlanContext): string | undefined {
  const dataSource = context.scan.options.find((candidate) => candidate.kind === 'data-source');
  return dataSource ? context.relative(dataSource.file) : undefined;
}

/** Project-relative, POSIX separators: how files are named in messages. */
export function relativeTo(root: string): (file: string) => string {
  return (file) => path.relative(root, file).split(path.sep).join('/');
}

export function dialectOf(
  project: Project,
  configs: OrmOptions[],
  relative: (file: string) => string,
): TypeormDialect {
  const typed = configs.find((config) => config.driverType !== undefined);
  if (typed) {
    const dialect = dialectOfDriver(typed.driverType!);
    if (dialect) return dialect;
    throw invalidInput(
      `${relative(typed.file)}:${typed.line}: TypeORM driver "${typed.driverType}" is not supported yet.`,
      'joinery generates TypeORM joins for postgres, mysql, mariadb and sqlite (better-sqlite3, sqlite).',
    );
  }
  const byDependency: [string, TypeormDialect][] = [
    ['pg', 'postgres'],
    ['mysql2', 'mysql'],
    ['mysql', 'mysql'],
    ['mariadb', 'mariadb'],
    ['better-sqlite3', 'sqlite'],
    ['sqlite3', 'sqlite'],
    ['sql.js', 'sqlite'],
  ];
  const found = byDependency.find(([name]) => project.dependency(name));
  if (found) return found[1];
  throw projectProblem(
    `Cannot tell which database ${project.root} uses: no DataSource with a literal "type" and no database driver in package.json.`,
    "Write the driver as a literal in your DataSource options (type: 'postgres'), then run joinery again.",
  );
}

export interface SourceStyle {
  imports: ImportStyle;
  /**
   * ESM projects type relation properties `Relation<User>`: with decorator metadata, a bare
   * class type would be read before a circular import has defined it.
   */
  esm: boolean;
}

export function sourceStyle(project: Project, scan: TypeormScan): SourceStyle {
  const texts = [...scan.sourceFiles.values()].map((file) => file.getFullText());
  return {
    imports: detectImportStyle(project.root, texts, project.ts),
    esm:
      (project.packageJson as { type?: string }).type === 'module' ||
      texts.some((text) => text.includes('Relation<')),
  };
}
