/**
 * What the TypeORM join and plain-resource planners share: the dialect, the project's import
 * style, where a new entity file goes and how it is named, where entities and migration classes
 * are registered, decorator and migration column texts, and the migration class itself.
 */
import { caseLikeStem, fileNameParts } from '../../project/file-naming.js';
import path from 'node:path';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import {
  detectImportStyle,
  moduleSpecifier,
  type ImportStyle,
} from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { camelCase, kebabCase, pascalCase, pluralizeLast } from '../../rules/naming.js';
import type { AttributeSpec } from '../../flags/types.js';
import {
  attributeColumnType,
  ddlType,
  timestampColumns,
  type TypeormDialect,
} from './column-types.js';
import { dialectOfDriver, type FeatureList, type OrmOptions } from './data-source.js';
import { globBase, globsCover } from './glob-match.js';
import type { TypeormScan } from './scan.js';
import { addArrayElement } from './transforms/add-array-element.js';
import type { EntityColumn } from './transforms/add-entity-columns.js';

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

/** `User.ts` → `UserEvent.ts`, `user.entity.ts` → `user-event.entity.ts`, `users.ts` → `user-events.ts`. */
export function entityFileName(
  siblingFile: string,
  siblingClass: string,
  resource: string,
): string {
  const parts = fileNameParts(path.basename(siblingFile));
  if (!parts) return `${kebabCase(resource)}.ts`;
  const { stem, infix, extension } = parts;
  const lower = stem.toLowerCase();
  const plural =
    lower !== siblingClass.toLowerCase() && lower === pluralizeLast(siblingClass).toLowerCase();
  return `${caseLikeStem(stem, plural ? pluralizeLast(resource) : resource)}${infix}${extension}`;
}

/** Appends a class to a list literal (entities, migrations, forFeature) and imports it there. */
export type Register = (
  file: string,
  array: Parameters<typeof addArrayElement>[0],
  name: string,
  from: string,
) => void;

/** A Register that notes each file it changed in `registered` (project-relative). */
export function registrar(
  scan: TypeormScan,
  style: ImportStyle,
  relative: (file: string) => string,
  registered: string[],
): Register {
  return (file, array, name, from) => {
    const result = addArrayElement(array, name, { from: moduleSpecifier(file, from, style) });
    if (result.status !== 'added') return;
    if (!registered.includes(relative(file))) registered.push(relative(file));
  };
}

export interface EntityRegistration {
  className: string;
  file: string;
  /**
   * Entity lists naming one of these classes get the new one; with none, every list that names
   * classes does (a project whose lists name no class registers by glob).
   */
  anchors: string[];
  /** The NestJS `forFeature([...])` the entity joins, if any. */
  feature: FeatureList | undefined;
}

/**
 * Lists that name entity classes get the new entity too: a DataSource or forRoot `entities` array
 * (see `anchors`), and the NestJS feature module given. Globs that already match the new file need
 * nothing; lists joinery cannot extend produce a warning.
 */
export function registerEntity(
  scan: TypeormScan,
  entity: EntityRegistration,
  relative: (file: string) => string,
  register: Register,
  warnings: string[],
): void {
  for (const config of scan.options) {
    const list = config.entities;
    if (!list) continue;
    if (list.globs.length > 0 && globsCover(list.globs, entity.file)) continue;
    const listed =
      entity.anchors.length > 0
        ? list.classes.some((name) => entity.anchors.includes(name))
        : list.classes.length > 0;
    if (list.array && listed) {
      register(config.file, list.array, entity.className, entity.file);
    } else if (list.globs.length > 0 && list.classes.length === 0) {
      warnings.push(
        `${relative(config.file)}:${list.line}: the entities globs do not match ${relative(entity.file)}; add ${entity.className} there.`,
      );
    } else if (list.opaque && list.classes.length === 0) {
      warnings.push(
        `${relative(config.file)}:${list.line}: entities are computed at run time; make sure ${entity.className} is among them.`,
      );
    }
  }
  if (entity.feature) {
    register(entity.feature.file, entity.feature.array, entity.className, entity.file);
  }
}

/** A migration class named `<Base><13-digit timestamp>` anywhere in the project. */
export function existingMigration(scan: TypeormScan, base: string): string | undefined {
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

/**
 * Plans the migration class `<ms>-<Name>.ts` (rendered by `render` for its class name) into the
 * migrations folder, and lists it where migrations are listed by class. Undefined when a
 * migration of that name exists already.
 */
export function planMigrationClass(
  project: Project,
  scan: TypeormScan,
  changes: ChangeSet,
  migrationName: string,
  render: (className: string) => string,
  register: Register,
): string | undefined {
  const base = pascalCase(migrationName);
  if (existingMigration(scan, base)) return undefined;
  const timestamp = Date.now();
  const className = `${base}${timestamp}`;
  const file = path.join(migrationsFolder(project, scan), `${timestamp}-${base}.ts`);
  changes.write(file, render(className));
  for (const config of scan.options) {
    const list = config.migrations;
    if (!list?.array || list.classes.length === 0 || globsCover(list.globs, file)) continue;
    register(config.file, list.array, className, file);
  }
  return file;
}

/** Columns added to a table that has rows already: a NOT NULL column without default fails. */
export function requiredColumnWarnings(
  added: string[],
  attributes: AttributeSpec[],
  table: string,
): string[] {
  return added
    .filter((name) => attributes.some((attribute) => attribute.name === name && attribute.required))
    .map(
      (name) =>
        `${name} is NOT NULL without a default: the migration fails if ${table} already has rows. Give it a default in the migration, or make it optional.`,
    );
}

export const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `{ name: 'user_id', length: 36 }` from ordered fields; undefined values are left out. */
export function objectText(fields: [string, string | number | boolean | undefined][]): string {
  const parts = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? quote(value) : String(value)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

export function decoratorArgs(
  type: string,
  fields: [string, string | number | boolean | undefined][],
): string {
  const options = objectText(fields);
  return options ? `${quote(type)}, ${options}` : quote(type);
}

const TIMESTAMP_DECORATORS = [
  ['CreateDateColumn', 'inserted_at'],
  ['UpdateDateColumn', 'updated_at'],
] as const;

/** Attribute and timestamp columns of an entity, as decorated properties. */
export function attributeEntityColumns(
  attributes: AttributeSpec[],
  timestamps: boolean,
  dialect: TypeormDialect,
): EntityColumn[] {
  const columns: EntityColumn[] = attributes.map((attribute) => {
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
  if (timestamps) {
    const timestamp = timestampColumns(dialect);
    for (const [decorator, name] of TIMESTAMP_DECORATORS) {
      columns.push({
        columnName: name,
        decorator,
        property: camelCase(name),
        args: objectText([
          ['name', name],
          ['type', timestamp.entity.type],
          ['precision', timestamp.entity.precision],
        ]),
        tsType: 'Date',
      });
    }
  }
  return columns;
}

export interface MigrationColumn {
  columnName: string;
  /** `{ name: 'role', type: 'varchar' }`, as the QueryRunner's Table API takes it. */
  text: string;
}

/** Attribute and timestamp columns as migrations write them. */
export function attributeMigrationColumns(
  attributes: AttributeSpec[],
  timestamps: boolean,
  dialect: TypeormDialect,
): MigrationColumn[] {
  const columns = attributes.map((attribute) => {
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
  if (timestamps) {
    const timestamp = timestampColumns(dialect);
    columns.push(
      {
        columnName: 'inserted_at',
        text: objectText([
          ['name', 'inserted_at'],
          ['type', timestamp.entity.type],
          ['precision', timestamp.entity.precision],
          ['default', timestamp.createDefault],
        ]),
      },
      {
        columnName: 'updated_at',
        text: objectText([
          ['name', 'updated_at'],
          ['type', timestamp.entity.type],
          ['precision', timestamp.entity.precision],
          ['default', timestamp.updateDefault],
          ['onUpdate', timestamp.onUpdate],
        ]),
      },
    );
  }
  return columns;
}
