/**
 * TypeORM migrations are plain source: the migration class is planned into the change set with
 * the entities (shown by --dry-run, formatted, written at once), named `<ms>-<Name>.ts` in the
 * project's migrations folder and listed where migrations are listed by class. `migrate` runs
 * them with the project's own `typeorm migration:run`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import type { JoinModel } from '../../join/join-model.js';
import { loadExeca } from '../../lazy.js';
import type { Project } from '../../project/project.js';
import { renderTemplate } from '../../render/render-template.js';
import type { SurrogateKey } from '../../resource/resource-model.js';
import { kebabCase, pascalCase, snakeCase } from '../../rules/naming.js';
import type { MigrationStep } from '../target.js';
import { ddlType, type TypeormDialect } from './column-types.js';
import {
  attributeMigrationColumns,
  joinTimestamps,
  objectText,
  type MigrationColumn,
} from './column-code.js';
import type { ResourceShape } from './create.js';
import { grew, type ResourceGrowth } from './converge.js';
import { globBase, globsCover } from './glob-match.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import { typeormPackage } from './detect.js';
import { registrar } from './register.js';
import type { ResolvedSide } from './resolve.js';
import { schemaOf, tablePath, type JoinSchema } from './schema.js';
import { scanTypeormProject, type EditContext, type TypeormScan } from './scan.js';
import type { EntityColumn } from './transforms/add-entity-columns.js';

/**
 * The join's migration: the join table created, or, when the entity existed and gained columns
 * (`grown`), those columns added. None under --no-migration or when one of that name exists.
 */
export function planJoinMigration(
  context: EditContext,
  plan: TypeormJoinPlan,
  grown: EntityColumn[],
): void {
  const { join } = plan;
  const { dialect } = context;
  planMigrationFile(context, plan, (className) =>
    grown.length > 0
      ? renderTemplate(
          'typeorm/alter-migration.ts.ejs',
          alterMigrationData(join, grown, className, dialect, plan.migrationName, plan.schema),
        )
      : renderTemplate('typeorm/migration.ts.ejs', migrationData(context, plan, className)),
  );
}

/**
 * A plain resource's migration: its table created (`growth` undefined), or what an existing
 * entity gained added; none when it gained nothing.
 */
export function planResourceMigration(
  context: EditContext,
  plan: TypeormResourcePlan,
  shape: ResourceShape,
  growth: ResourceGrowth | undefined,
): void {
  const { resource, table } = plan;
  const render = (template: string, data: Record<string, unknown>) => (className: string) =>
    renderTemplate(template, {
      ...data,
      className,
      migrationName: plan.migrationName,
      table,
    });
  const { migrationColumns, belongsTo } = shape;
  if (growth) {
    if (!grew(growth)) return;
    planMigrationFile(
      context,
      plan,
      render('typeorm/alter-migration.ts.ejs', {
        description: `what the ${table} table gains`,
        columns: growth.columns.map((column) => migrationColumns.get(column.columnName)!),
        indices: growth.indices.map((parts) => parts.index),
        foreignKeys: growth.relations.map((parts) => parts.foreignKey),
      }),
    );
  } else {
    planMigrationFile(
      context,
      plan,
      render('typeorm/resource-migration.ts.ejs', {
        columns: [
          keyMigrationColumn(shape.key, context.dialect),
          ...resource.attributes.map((attribute) => migrationColumns.get(attribute.name)!),
          ...belongsTo.map((parts) => parts.migrationColumn),
          ...(resource.timestamps
            ? [resource.timestampNames.created, resource.timestampNames.updated].map((name) =>
                migrationColumns.get(name)!,
              )
            : []),
        ],
        foreignKeys: belongsTo.map((parts) => parts.foreignKey.text),
        indices: belongsTo.map((parts) => parts.index.text),
      }),
    );
  }
}

/** Plans the migration class under --migration (the default) and notes it in the plan. */
function planMigrationFile(
  context: EditContext,
  plan: TypeormJoinPlan | TypeormResourcePlan,
  render: (className: string) => string,
): void {
  if (context.options.migration === false) return;
  const file = planMigrationClass(context, plan.migrationName, render, plan.registered);
  if (file) {
    plan.migrationFile = file;
    plan.migrationFiles = [file];
  }
}

/**
 * Plans the migration class `<ms>-<Name>.ts` (rendered by `render` for its class name) into the
 * migrations folder, and lists it where migrations are listed by class. Undefined when a
 * migration of that name exists already.
 */
function planMigrationClass(
  context: EditContext,
  migrationName: string,
  render: (className: string) => string,
  registered: string[],
): string | undefined {
  const { project, scan, changes } = context;
  const base = pascalCase(migrationName);
  if (existingMigration(scan, base)) return undefined;
  const restored = recordedMigration(context.options.restoreMigrations, base);
  const timestamp = restored?.timestamp ?? Date.now();
  const className = `${base}${timestamp}`;
  const file = restored
    ? path.join(project.root, restored.file)
    : path.join(
        migrationsFolder(project, scan),
        `${timestamp}-${migrationFileStem(scan, migrationName)}.ts`,
      );
  changes.write(file, importingFrom(render(className), context.ormModule));
  const register = registrar(context, registered);
  for (const config of scan.options) {
    const list = config.migrations;
    if (!list?.array || list.classes.length === 0 || globsCover(list.globs, file)) continue;
    register(config.file, list.array, className, file);
  }
  return file;
}

/** The missing recorded file of the migration class `<base><timestamp>`, and its timestamp. */
function recordedMigration(
  files: string[] | undefined,
  base: string,
): { file: string; timestamp: number } | undefined {
  for (const file of files ?? []) {
    const match = /^(\d{13})-(.+)\.[cm]?ts$/.exec(path.basename(file));
    if (match && match[2]!.replace(/[-_]/g, '').toLowerCase() === base.toLowerCase()) {
      return { file, timestamp: Number(match[1]) };
    }
  }
  return undefined;
}

/**
 * The file name after the timestamp, in the style of the project's migrations:
 * `1700000000000-create-users.ts` → `create-user-events-join-table`, `..-create_users.ts` → snake case,
 * otherwise TypeORM's own `CreateUserEventsJoinTable`.
 */
export function migrationFileStem(scan: TypeormScan, migrationName: string): string {
  for (const file of scan.texts.keys()) {
    const stem = /^\d{13}-(.+)\.[cm]?ts$/.exec(path.basename(file))?.[1];
    // A single lower-case word (`init`) says nothing about how words are joined.
    if (!stem || !/^[a-z0-9]/.test(stem)) continue;
    if (stem.includes('-')) return kebabCase(migrationName);
    if (stem.includes('_')) return snakeCase(migrationName);
  }
  return pascalCase(migrationName);
}

/**
 * The migration templates import from `typeorm`; a project on a fork (`@n8n/typeorm`) imports
 * from the fork, whose classes its DataSource knows.
 */
function importingFrom(text: string, ormModule: string): string {
  if (ormModule === 'typeorm') return text;
  return text.replace(/^((?:import .*|\}) from )'typeorm';$/m, `$1'${ormModule}';`);
}

/** A migration class named `<Base><13-digit timestamp>` anywhere in the project. */
function existingMigration(scan: TypeormScan, base: string): string | undefined {
  const declaration = new RegExp(`class\\s+${base}\\d{13}\\b`);
  const fileName = new RegExp(`^\\d{13}-${base}\\.[cm]?[jt]s$`, 'i');
  for (const [file, text] of scan.texts) {
    if (fileName.test(path.basename(file)) || declaration.test(text)) return file;
  }
  return undefined;
}

/** From the `migrations` option (globs, or the folder of listed classes), else existing ones. */
function migrationsFolder(project: Project, scan: TypeormScan): string {
  for (const config of scan.options) {
    const list = config.migrations;
    if (!list) continue;
    // Prefer the `src/` variant of a glob into compiled output.
    for (const glob of [...list.globs].reverse()) return path.resolve(globBase(glob));
    for (const name of list.classes) {
      const sourceFile = scan.sourceFiles.get(config.file)!;
      const declaration = sourceFile
        .getImportDeclarations()
        .find((candidate) => candidate.getNamedImports().some((named) => named.getName() === name));
      const specifier = declaration?.getModuleSpecifierValue();
      if (specifier?.startsWith('.')) {
        return path.dirname(path.resolve(path.dirname(config.file), specifier));
      }
    }
  }
  for (const [file, text] of scan.texts) {
    if (/implements\s+MigrationInterface\b/.test(text)) return path.dirname(file);
  }
  const src = scan.files.some((file) => file.startsWith(path.join(project.root, 'src') + path.sep));
  return path.join(project.root, src ? 'src' : '', 'migrations');
}

/**
 * Data for migration.ts.ejs: the join table with its two keys, foreign keys and columns; in a
 * PostgreSQL schema, every table named by its path (`app.user_events` referring to `app.users`).
 */
function migrationData(context: EditContext, plan: TypeormJoinPlan, className: string) {
  const { join, sides } = plan;
  const { dialect } = context;
  const columns = [sides.source, sides.target].map((side) => {
    const ddl = ddlType(side.column, dialect);
    return objectText([
      ['name', side.key.attribute.name],
      ['type', ddl.type],
      ['length', ddl.length],
      ['isPrimary', true],
    ]);
  });
  columns.push(...joinMigrationColumns(join, dialect).map((column) => column.text));
  const side = (resolved: ResolvedSide) => ({
    className: resolved.entity.className,
    column: resolved.key.attribute.name,
    referencedTable: tablePath(resolved.entity.tableName, schemaOf(context, resolved.entity)),
    referencedColumn: resolved.primaryKey.columnName,
  });
  return {
    className,
    migrationName: join.migrationName,
    table: tablePath(join.table, plan.schema.schema),
    columns,
    source: side(sides.source),
    target: side(sides.target),
  };
}

/** `{ name: 'role', type: 'varchar' }` for each attribute and timestamp column of the join. */
function joinMigrationColumns(join: JoinModel, dialect: TypeormDialect): MigrationColumn[] {
  return attributeMigrationColumns(join.extraAttributes, joinTimestamps(join), dialect);
}

/** Data for alter-migration.ts.ejs: the columns an existing join table gains. */
function alterMigrationData(
  join: JoinModel,
  added: EntityColumn[],
  className: string,
  dialect: TypeormDialect,
  migrationName: string,
  schema: JoinSchema,
) {
  const names = new Set(added.map((column) => column.columnName));
  return {
    className,
    migrationName,
    table: tablePath(join.table, schema.schema),
    columns: joinMigrationColumns(join, dialect).filter((column) => names.has(column.columnName)),
  };
}

function keyMigrationColumn(key: SurrogateKey, dialect: TypeormDialect): MigrationColumn {
  const mysql = dialect === 'mysql' || dialect === 'mariadb';
  const ddl =
    key.kind === 'integer'
      ? { type: mysql ? 'int' : 'integer' }
      : ddlType({ type: 'uuid', tsType: 'string' }, dialect);
  const generation =
    key.kind === 'uuid' ? 'uuid' : key.kind === 'integer' ? 'increment' : undefined;
  return {
    columnName: key.name,
    text: objectText([
      ['name', key.name],
      ['type', ddl.type],
      ['length', ddl.length],
      ['isPrimary', true],
      ['isGenerated', generation ? true : undefined],
      ['generationStrategy', generation],
    ]),
  };
}

/** Nothing runs after the write: the migration class is already in the change set. */
export function sourceMigrationStep(name: string): MigrationStep {
  return {
    description: `write ${name} as a TypeORM migration class`,
    needed: false,
    run: async () => [],
  };
}

/** Script names that say they apply the migrations, most usual first. */
const MIGRATE_SCRIPT_NAMES = [
  'migration:run',
  'migrations:run',
  'typeorm:migration:run',
  'db:migrate',
  'migrate',
];

/**
 * The project's own way to apply migrations, when package.json has one: a script running
 * `migration:run` (`typeorm-ts-node-commonjs migration:run -d src/data-source.ts`, or a build
 * then `typeorm migration:run -d dist/...`), or a script named for it (`"migration:run": "ts-node
 * src/migrate.ts"`, as projects on a fork without a CLI write), else a script that is the
 * TypeORM CLI itself (`"typeorm": "typeorm-ts-node-commonjs -d src/data-source.ts"`), given
 * `migration:run`. Those scripts know how the project compiles: with tsx (esbuild), decorators
 * get no metadata and every plain `@Column()` fails with ColumnTypeUndefinedError.
 */
export function projectMigrationScript(
  scripts: Record<string, string>,
): { name: string; args: string[] } | undefined {
  // A script that runs joinery itself would call joinery migrate back.
  const entries = Object.entries(scripts).filter(([, command]) => !/\bjoinery\b/.test(command));
  const runs = entries.filter(
    ([, command]) =>
      /\bmigration:run\b/.test(command) &&
      !/\bmigration:(?:revert|generate|create)\b/.test(command),
  );
  const run =
    runs.find(([name]) => MIGRATE_SCRIPT_NAMES.includes(name)) ??
    runs.sort(([a], [b]) => a.length - b.length)[0] ??
    MIGRATE_SCRIPT_NAMES.map((name) => entries.find(([script]) => script === name)).find(
      (entry) => entry !== undefined,
    );
  if (run) return { name: run[0], args: [] };
  const cli = entries.find(([, command]) =>
    /^\s*(?:npx\s+)?typeorm(?:-ts-node-(?:commonjs|esm))?(?:\s+-d\s+\S+)?\s*$/.test(command),
  );
  return cli ? { name: cli[0], args: ['migration:run'] } : undefined;
}

/**
 * The TypeORM CLI (`cli.js` beside the package's entry), or undefined when the package is not
 * installed or ships none: the `@n8n/typeorm` fork has no CLI, its projects migrate in code.
 */
function typeormCli(project: Project): string | undefined {
  const require = createRequire(path.join(project.root, 'package.json'));
  try {
    // The package exports no package.json; its main entry sits beside cli.js.
    const cli = path.join(path.dirname(require.resolve(typeormPackage(project))), 'cli.js');
    return existsSync(cli) ? cli : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What `joinery migrate` runs in this project, as the usage text says it: the project's script
 * (`npm run migration:run`), else TypeORM's CLI on the DataSource; undefined when there is
 * neither, and migrate would fail.
 */
export function migrateRuns(
  project: Project,
  dataSourceFile: string | undefined,
): string | undefined {
  const script = projectMigrationScript(project.packageJson.scripts ?? {});
  if (script) {
    const args = script.args.length > 0 ? ` -- ${script.args.join(' ')}` : '';
    return `${packageManager(project.root)} run ${script.name}${args}`;
  }
  return dataSourceFile && typeormCli(project)
    ? `TypeORM's migration:run -d ${dataSourceFile}`
    : undefined;
}

/** The package manager the project's lockfile names (npm when none). */
function packageManager(root: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  if (existsSync(path.join(root, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(path.join(root, 'yarn.lock'))) return 'yarn';
  if (existsSync(path.join(root, 'bun.lockb')) || existsSync(path.join(root, 'bun.lock')))
    return 'bun';
  return 'npm';
}

/**
 * `joinery migrate`: the project's own migration script when package.json has one (see
 * projectMigrationScript), else `typeorm migration:run -d <DataSource file>` (with tsx for a
 * TypeScript DataSource).
 */
export async function migrateTypeorm(project: Project): Promise<string> {
  const script = projectMigrationScript(project.packageJson.scripts ?? {});
  if (script) return runProjectScript(project, script);
  return runTypeormCli(project);
}

async function runProjectScript(
  project: Project,
  script: { name: string; args: string[] },
): Promise<string> {
  const { execa } = await loadExeca();
  const manager = packageManager(project.root);
  const args = ['run', script.name, ...(script.args.length > 0 ? ['--', ...script.args] : [])];
  const shown = `${manager} ${args.join(' ')}`;
  const result = await execa(manager, args, {
    cwd: project.root,
    reject: false,
    stdin: 'ignore',
    env: { FORCE_COLOR: '0' },
  });
  const output = `${result.stdout}\n${result.stderr}`.trim();
  if (result.exitCode !== 0) {
    throw projectProblem(
      `\`${shown}\` (the project's migration script "${script.name}") failed (exit ${result.exitCode ?? 'none'}):\n${output
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n')}`,
      `Run \`${shown}\` in ${project.root} to see the full error, fix it, then run joinery migrate again.`,
    );
  }
  return output;
}

/** `typeorm migration:run -d <DataSource file>`, for projects without a migration script. */
async function runTypeormCli(project: Project): Promise<string> {
  const scan = await scanTypeormProject(project, []);
  const dataSource = scan.options.find((options) => options.kind === 'data-source');
  if (!dataSource) {
    throw projectProblem(
      `No \`new DataSource(...)\` found in ${project.root}; TypeORM's migration:run needs one.`,
      'Export a DataSource from src/data-source.ts (NestJS projects often keep one for the CLI), then run joinery migrate again.',
    );
  }
  const cli = typeormCli(project);
  if (!cli) {
    const name = typeormPackage(project);
    const installed = existsSync(path.join(project.root, 'node_modules', ...name.split('/')));
    throw projectProblem(
      installed
        ? `${name} ships no migration CLI, and package.json has no script that applies the migrations.`
        : `${name} is not installed in ${project.root}.`,
      installed
        ? `Add a "migration:run" script that runs them (e.g. ts-node src/migrate.ts, calling dataSource.runMigrations()), then run joinery migrate again.`
        : 'Install the project dependencies (npm install), then run joinery migrate again.',
    );
  }
  const { execa } = await loadExeca();
  const typescript = /\.[cm]?tsx?$/.test(dataSource.file);
  const args = [
    ...(typescript ? ['--import', 'tsx'] : []),
    cli,
    'migration:run',
    '-d',
    path.relative(project.root, dataSource.file),
  ];
  const result = await execa(process.execPath, args, {
    cwd: project.root,
    reject: false,
    stdin: 'ignore',
    env: { FORCE_COLOR: '0' },
  });
  const output = `${result.stdout}\n${result.stderr}`.trim();
  if (result.exitCode !== 0) {
    throw projectProblem(
      `typeorm migration:run failed (exit ${result.exitCode}):\n${output
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n')}`,
      `Run \`node ${typescript ? '--import tsx ' : ''}node_modules/typeorm/cli.js migration:run -d ${path.relative(project.root, dataSource.file)}\` in ${project.root} to see the full error${typescript ? ' (TypeScript data sources need tsx installed)' : ''}.`,
    );
  }
  return output;
}
