/**
 * Plans a TypeORM join into the change set: the join entity, `@OneToMany` on both entities, the
 * entity's registration wherever entities are listed by class (DataSource, `forRoot`, NestJS
 * `forFeature`), and the migration class. The migration is plain source, so unlike drizzle-kit's
 * output it is planned here with everything else: shown by --dry-run, formatted, written at once.
 */
import path from 'node:path';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import {
  detectImportStyle,
  moduleSpecifier,
  type ImportStyle,
} from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, kebabCase, pascalCase, pluralizeLast, snakeCase } from '../../spec/naming.js';
import type { PlannedJoin, PlanOptions } from '../target.js';
import { addEntityColumns, hasColumn, type EntityColumn } from './transforms/add-entity-columns.js';
import { addKeyIndex } from './transforms/add-key-index.js';
import {
  assertKeyTypeMatches,
  attributeColumnType,
  ddlType,
  referenceColumnType,
  timestampColumns,
  type ColumnType,
  type PrimaryKeyColumn,
  type TypeormDialect,
} from './column-types.js';
import { dialectOfDriver, type OrmOptions } from './data-source.js';
import type { TypeormEntity } from './entity-model.js';
import { globBase, globsCover } from './glob-match.js';
import { inDomain, primaryKeyOf, resolveEntity } from './resolve-entity.js';
import { scanTypeormProject, type TypeormScan } from './scan.js';
import { addArrayElement } from './transforms/add-array-element.js';
import { addInverseRelation } from './transforms/add-inverse-relation.js';
import { ensureImport } from '../../transforms/ensure-import.js';
import { importList } from '../../render/import-list.js';
import { planTypeormHelpers } from './plan-helpers.js';

export interface ResolvedSide {
  key: JoinKey;
  entity: TypeormEntity;
  primaryKey: PrimaryKeyColumn;
  column: ColumnType;
}

export interface TypeormJoinPlan extends PlannedJoin {
  join: JoinModel;
  dialect: TypeormDialect;
  joinClass: string;
  sides: { source: ResolvedSide; target: ResolvedSide };
  /** The migration planned in this run, if any. */
  migrationFile: string | undefined;
  /** The file holding `new DataSource(...)`, for `typeorm migration:run -d`. */
  dataSourceFile: string | undefined;
  /** Files whose entity lists now name the join entity (relative to the root). */
  registered: string[];
}

export async function planTypeormJoin(
  project: Project,
  join: JoinModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<TypeormJoinPlan> {
  const scan = await scanTypeormProject(
    project,
    [join.resource, join.source.destination.resource, join.target.destination.resource, join.table],
    [join.source.destination.resource, join.target.destination.resource],
  );
  const relative = (file: string) => path.relative(project.root, file).split(path.sep).join('/');
  const dialect = dialectOf(project, scan.options, relative);
  const describe = (entity: TypeormEntity) =>
    `${relative(entity.file)}:${entity.line} ${entity.className} ('${entity.tableName}')`;

  const existing = scan.entities.find(
    (entity) => entity.className === join.resource || entity.tableName === join.table,
  );
  const candidates = scan.entities.filter((entity) => entity !== existing);
  const resolve = (key: JoinKey): ResolvedSide => {
    const entity = resolveEntity(candidates, key.destination, describe, scan.otherEntityNames);
    const primaryKey = primaryKeyOf(entity, describe(entity));
    assertKeyTypeMatches(
      key.attribute,
      primaryKey,
      `${entity.className}'s primary key ${entity.className}.${primaryKey.property} (${relative(entity.file)}:${primaryKey.line})`,
    );
    return { key, entity, primaryKey, column: referenceColumnType(primaryKey, dialect) };
  };
  const sides = { source: resolve(join.source), target: resolve(join.target) };
  if (sides.source.entity === sides.target.entity) {
    throw invalidInput(
      `Both keys of ${join.resource} refer to ${sides.source.entity.className}; self-referencing joins are not supported by the TypeORM target yet.`,
      'Join two different entities, e.g. --primary-key user_id,event_id.',
    );
  }

  const joinClass = existing?.className ?? join.resource;
  const joinFile = existing?.file ?? placeJoinFile(join, sides, scan.entities);
  const dataSource = scan.options.find((candidate) => candidate.kind === 'data-source');
  const plan: TypeormJoinPlan = {
    join,
    dialect,
    joinClass,
    sides,
    joinFile,
    existed: existing !== undefined,
    migrationName: join.migrationName,
    migrationFiles: [],
    migrationFile: undefined,
    dataSourceFile: dataSource ? relative(dataSource.file) : undefined,
    registered: [],
    warnings: [],
  };
  if (existing && options.ignoreIfExists) return plan;

  const style = detectImportStyle(
    project.root,
    [...scan.sourceFiles.values()].map((file) => file.getFullText()),
    project.ts,
  );
  const esm =
    (project.packageJson as { type?: string }).type === 'module' ||
    [...scan.sourceFiles.values()].some((file) => file.getFullText().includes('Relation<'));

  /** Columns an existing entity gains in this run (convergence, or a replaced template). */
  let addedColumns: EntityColumn[] = [];
  if (existing) {
    const sourceFile = scan.sourceFiles.get(existing.file)!;
    const before = sourceFile.getClass(existing.className);
    const wanted = entityColumns(join, dialect).filter(
      (column) => !before || !hasColumn(before, column),
    );
    if (options.replace) {
      sourceFile.replaceWithText(
        renderTemplate(
          'typeorm/join-entity.ts.ejs',
          joinEntityData(join, sides, joinFile, dialect, style, esm, joinClass),
        ),
      );
      addedColumns = wanted;
    } else {
      const added = addEntityColumns(sourceFile, existing.className, wanted);
      addedColumns = added === 'missing' ? [] : wanted;
      for (const decorator of new Set(addedColumns.map((column) => column.decorator))) {
        ensureImport(sourceFile, 'typeorm', decorator);
      }
      if (
        addKeyIndex(sourceFile, existing.className, camelCase(join.target.attribute.name)) ===
        'added'
      ) {
        ensureImport(sourceFile, 'typeorm', 'Index');
      }
    }
    for (const column of addedColumns) {
      const attribute = join.extraAttributes.find(
        (candidate) => candidate.name === column.columnName,
      );
      if (attribute?.required) {
        plan.warnings.push(
          `${column.columnName} is NOT NULL without a default: the migration fails if ${join.table} already has rows. Give it a default in the migration, or make it optional.`,
        );
      }
    }
  }

  if (!existing) {
    if (changes.exists(joinFile)) {
      throw projectProblem(
        `${relative(joinFile)} exists but declares no @Entity ${join.resource}; joinery will not overwrite it.`,
        `Move or rename that file, or name the join differently (e.g. joinery gen resource ${join.domain} ${join.resource}Link ...).`,
      );
    }
    changes.write(
      joinFile,
      renderTemplate(
        'typeorm/join-entity.ts.ejs',
        joinEntityData(join, sides, joinFile, dialect, style, esm),
      ),
    );
  }

  for (const side of [sides.source, sides.target]) {
    const sourceFile = scan.sourceFiles.get(side.entity.file)!;
    const result = addInverseRelation(sourceFile, {
      className: side.entity.className,
      property: join.collection,
      joinClass,
      parameter: camelCase(joinClass),
      inverseProperty: camelCase(side.key.relationship),
    });
    if (result === 'added') {
      ensureImport(sourceFile, 'typeorm', 'OneToMany');
      ensureImport(sourceFile, moduleSpecifier(side.entity.file, joinFile, style), joinClass);
    }
  }

  const register = (
    file: string,
    array: Parameters<typeof addArrayElement>[0],
    name: string,
    from: string,
  ) => {
    if (!addArrayElement(array, name)) return;
    ensureImport(scan.sourceFiles.get(file)!, moduleSpecifier(file, from, style), name);
    if (!plan.registered.includes(relative(file))) plan.registered.push(relative(file));
  };
  registerEntity(scan, plan, sides, joinFile, relative, register);

  if (addedColumns.length > 0) {
    const name = `add_${addedColumns.map((column) => column.columnName).join('_')}_to_${join.table}`;
    plan.migrationName =
      options.migrationName ?? (name.length <= 63 ? name : `add_columns_to_${join.table}`);
  }
  const migrationBase = pascalCase(plan.migrationName);
  const previous = existingMigration(scan, migrationBase);
  if (options.migration !== false && !previous) {
    const timestamp = Date.now();
    const className = `${migrationBase}${timestamp}`;
    const folder = migrationsFolder(project, scan);
    const migrationFile = path.join(folder, `${timestamp}-${migrationBase}.ts`);
    changes.write(
      migrationFile,
      existing && addedColumns.length > 0
        ? renderTemplate(
            'typeorm/alter-migration.ts.ejs',
            alterMigrationData(join, addedColumns, className, dialect, plan.migrationName),
          )
        : renderTemplate(
            'typeorm/migration.ts.ejs',
            migrationData(join, sides, className, dialect),
          ),
    );
    plan.migrationFile = migrationFile;
    plan.migrationFiles = [migrationFile];
    for (const config of scan.options) {
      const list = config.migrations;
      if (!list?.array || list.classes.length === 0 || globsCover(list.globs, migrationFile))
        continue;
      register(config.file, list.array, className, migrationFile);
    }
  }

  if (scan.options.length === 0) {
    plan.warnings.push(
      `No TypeORM DataSource or TypeOrmModule.forRoot() found; add ${joinClass} to your DataSource's entities yourself.`,
    );
  }
  for (const [file, sourceFile] of scan.sourceFiles) changes.write(file, sourceFile.getFullText());
  planTypeormHelpers(project, plan, changes, options);
  return plan;
}

function dialectOf(
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

/** The join entity lives in its domain's entity folder, named in the style of its siblings. */
function placeJoinFile(
  join: JoinModel,
  sides: { source: ResolvedSide; target: ResolvedSide },
  entities: TypeormEntity[],
): string {
  const source = sides.source.entity;
  const inJoinDomain = [source, sides.target.entity, ...entities].find((entity) =>
    inDomain(entity.file, join.domain),
  );
  const folder = path.dirname((inJoinDomain ?? source).file);
  const sibling = [source, sides.target.entity, ...entities].find(
    (entity) => path.dirname(entity.file) === folder,
  )!;
  return path.join(folder, entityFileName(sibling.file, sibling.className, join.resource));
}

/** `User.ts` → `UserEvent.ts`, `user.entity.ts` → `user-event.entity.ts`, `users.ts` → `user-events.ts`. */
export function entityFileName(
  siblingFile: string,
  siblingClass: string,
  resource: string,
): string {
  const match = /^([^.]+)((?:\.[a-z]+)*?)(\.[cm]?[jt]sx?)$/.exec(path.basename(siblingFile));
  if (!match) return `${kebabCase(resource)}.ts`;
  const [, stem, infix, extension] = match as unknown as [string, string, string, string];
  const lower = stem.toLowerCase();
  const plural =
    lower !== siblingClass.toLowerCase() && lower === pluralizeLast(siblingClass).toLowerCase();
  const name = plural ? pluralizeLast(resource) : resource;
  const styled = /^[A-Z]/.test(stem)
    ? pascalCase(name)
    : stem.includes('_')
      ? snakeCase(name)
      : /[a-z][A-Z]/.test(stem)
        ? camelCase(name)
        : kebabCase(name);
  return `${styled}${infix}${extension}`;
}

type Register = (
  file: string,
  array: Parameters<typeof addArrayElement>[0],
  name: string,
  from: string,
) => void;

/**
 * Lists that name entity classes get the join entity too: a DataSource or forRoot `entities`
 * array naming either side, and the NestJS `forFeature([...])` of the join's domain. Globs that
 * already match the new file need nothing.
 */
function registerEntity(
  scan: TypeormScan,
  plan: TypeormJoinPlan,
  sides: { source: ResolvedSide; target: ResolvedSide },
  joinFile: string,
  relative: (file: string) => string,
  register: Register,
): void {
  const sideClasses = [sides.source.entity.className, sides.target.entity.className];
  for (const config of scan.options) {
    const list = config.entities;
    if (!list) continue;
    if (list.globs.length > 0 && globsCover(list.globs, joinFile)) continue;
    if (list.array && list.classes.some((name) => sideClasses.includes(name))) {
      register(config.file, list.array, plan.joinClass, joinFile);
    } else if (list.globs.length > 0 && list.classes.length === 0) {
      plan.warnings.push(
        `${relative(config.file)}:${list.line}: the entities globs do not match ${relative(joinFile)}; add ${plan.joinClass} there.`,
      );
    } else if (list.opaque && list.classes.length === 0) {
      plan.warnings.push(
        `${relative(config.file)}:${list.line}: entities are computed at run time; make sure ${plan.joinClass} is among them.`,
      );
    }
  }
  // NestJS: the feature module that already lists the source entity, else one in the join's domain.
  const feature =
    scan.features.find((candidate) => candidate.classes.includes(sides.source.entity.className)) ??
    scan.features.find((candidate) => inDomain(candidate.file, plan.join.domain));
  if (feature) register(feature.file, feature.array, plan.joinClass, joinFile);
}

/** A migration class named `<Base><13-digit timestamp>` anywhere in the project. */
function existingMigration(scan: TypeormScan, base: string): string | undefined {
  const declaration = new RegExp(`class\\s+${base}\\d{13}\\b`);
  const fileName = new RegExp(`^\\d{13}-${base}\\.[cm]?[jt]s$`);
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

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `{ name: 'user_id', length: 36 }` from ordered fields; undefined values are left out. */
function objectText(fields: [string, string | number | boolean | undefined][]): string {
  const parts = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? quote(value) : String(value)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

function decoratorArgs(
  type: string,
  fields: [string, string | number | boolean | undefined][],
): string {
  const options = objectText(fields);
  return options ? `${quote(type)}, ${options}` : quote(type);
}

/** Attribute and timestamp columns of the join entity, as decorated properties. */
export function entityColumns(join: JoinModel, dialect: TypeormDialect): EntityColumn[] {
  const columns: EntityColumn[] = join.extraAttributes.map((attribute) => {
    const column = attributeColumnType(attribute, dialect);
    const property = camelCase(attribute.name);
    return {
      columnName: attribute.name,
      decorator: 'Column',
      property,
      args: decoratorArgs(column.type, [
        ['name', property === attribute.name ? undefined : attribute.name],
        ['length', column.length === undefined ? undefined : Number(column.length)],
        ['precision', column.precision],
        ['array', column.array],
        ['nullable', attribute.required ? undefined : true],
      ]),
      tsType: attribute.required ? column.tsType : `${column.tsType} | null`,
    };
  });
  if (join.timestamps) {
    const timestamps = timestampColumns(dialect);
    for (const [decorator, name] of [
      ['CreateDateColumn', 'inserted_at'],
      ['UpdateDateColumn', 'updated_at'],
    ] as const) {
      columns.push({
        columnName: name,
        decorator,
        property: camelCase(name),
        args: objectText([
          ['name', name],
          ['type', timestamps.entity.type],
          ['precision', timestamps.entity.precision],
        ]),
        tsType: 'Date',
      });
    }
  }
  return columns;
}

function joinEntityData(
  join: JoinModel,
  sides: { source: ResolvedSide; target: ResolvedSide },
  joinFile: string,
  dialect: TypeormDialect,
  style: ImportStyle,
  esm: boolean,
  className = join.resource,
) {
  const typeorm = new Set(['Entity', 'Index', 'JoinColumn', 'ManyToOne', 'PrimaryColumn']);
  const keys = [sides.source, sides.target].map((side) => ({
    property: camelCase(side.key.attribute.name),
    args: decoratorArgs(side.column.type, [
      ['name', side.key.attribute.name],
      ['length', side.column.length === undefined ? undefined : Number(side.column.length)],
    ]),
    indexed: side === sides.target,
    tsType: side.column.tsType,
  }));
  const columns = entityColumns(join, dialect);
  for (const column of columns) typeorm.add(column.decorator);
  if (esm) typeorm.add('type Relation');
  const side = (resolved: ResolvedSide) => ({
    className: resolved.entity.className,
    parameter: camelCase(resolved.key.relationship),
    column: resolved.key.attribute.name,
    property: camelCase(resolved.key.relationship),
    type: esm ? `Relation<${resolved.entity.className}>` : resolved.entity.className,
  });
  return {
    imports: importList(joinFile, style, [
      ...[...typeorm].map((name): [string, string] => ['typeorm', name]),
      [sides.source.entity.file, sides.source.entity.className],
      [sides.target.entity.file, sides.target.entity.className],
    ]),
    table: join.table,
    className,
    keys,
    columns,
    source: side(sides.source),
    target: side(sides.target),
    collection: join.collection,
  };
}

function migrationData(
  join: JoinModel,
  sides: { source: ResolvedSide; target: ResolvedSide },
  className: string,
  dialect: TypeormDialect,
) {
  const columns = [sides.source, sides.target].map((side) => {
    const ddl = ddlType(side.column, dialect);
    return objectText([
      ['name', side.key.attribute.name],
      ['type', ddl.type],
      ['length', ddl.length],
      ['isPrimary', true],
    ]);
  });
  columns.push(...extraMigrationColumns(join, dialect).map((column) => column.text));
  const side = (resolved: ResolvedSide) => ({
    className: resolved.entity.className,
    column: resolved.key.attribute.name,
    referencedTable: resolved.entity.tableName,
    referencedColumn: resolved.primaryKey.columnName,
  });
  return {
    className,
    migrationName: join.migrationName,
    table: join.table,
    columns,
    source: side(sides.source),
    target: side(sides.target),
  };
}

/** `{ name: 'role', type: 'varchar' }` for each attribute and timestamp column, as migrations write them. */
function extraMigrationColumns(
  join: JoinModel,
  dialect: TypeormDialect,
): { columnName: string; text: string }[] {
  const columns = join.extraAttributes.map((attribute) => {
    const column = attributeColumnType(attribute, dialect);
    const ddl = ddlType(column, dialect);
    return {
      columnName: attribute.name,
      text: objectText([
        ['name', attribute.name],
        ['type', ddl.type],
        ['length', ddl.length],
        ['precision', column.precision],
        ['isArray', column.array],
        ['isNullable', attribute.required ? undefined : true],
      ]),
    };
  });
  if (join.timestamps) {
    const timestamps = timestampColumns(dialect);
    columns.push(
      {
        columnName: 'inserted_at',
        text: objectText([
          ['name', 'inserted_at'],
          ['type', timestamps.entity.type],
          ['precision', timestamps.entity.precision],
          ['default', timestamps.createDefault],
        ]),
      },
      {
        columnName: 'updated_at',
        text: objectText([
          ['name', 'updated_at'],
          ['type', timestamps.entity.type],
          ['precision', timestamps.entity.precision],
          ['default', timestamps.updateDefault],
          ['onUpdate', timestamps.onUpdate],
        ]),
      },
    );
  }
  return columns;
}

/** Data for alter-migration.ts.ejs: the columns an existing join table gains. */
function alterMigrationData(
  join: JoinModel,
  added: EntityColumn[],
  className: string,
  dialect: TypeormDialect,
  migrationName: string,
) {
  const names = new Set(added.map((column) => column.columnName));
  return {
    className,
    migrationName,
    table: join.table,
    columns: extraMigrationColumns(join, dialect).filter((column) => names.has(column.columnName)),
  };
}
