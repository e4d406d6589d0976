/**
 * Plans a TypeORM join into the change set: the join entity, `@OneToMany` on both entities, the
 * entity's registration wherever entities are listed by class (DataSource, `forRoot`, NestJS
 * `forFeature`), and the migration class. The migration is plain source, so unlike drizzle-kit's
 * output it is planned here with everything else: shown by --dry-run, formatted, written at once.
 */
import { addColumnsMigrationName } from '../../rules/migration-names.js';
import path from 'node:path';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import { moduleSpecifier, type ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase } from '../../rules/naming.js';
import type { PlannedJoin, PlanOptions } from '../target.js';
import { addEntityColumns, hasColumn, type EntityColumn } from './transforms/add-entity-columns.js';
import { addKeyIndex } from './transforms/add-key-index.js';
import {
  assertKeyTypeMatches,
  ddlType,
  referenceColumnType,
  type ColumnType,
  type PrimaryKeyColumn,
  type TypeormDialect,
} from './column-types.js';
import type { TypeormEntity } from './entity-model.js';
import {
  attributeEntityColumns,
  attributeMigrationColumns,
  decoratorArgs,
  dialectOf,
  entityFileName,
  objectText,
  planMigrationClass,
  registerEntity,
  registrar,
  relativeTo,
  requiredColumnWarnings,
  sourceStyle,
} from './plan-shared.js';
import { inDomain } from '../../rules/resolve-resource.js';
import { existingEntity, primaryKeyOf, resolveEntity } from './resolve-entity.js';
import { scanTypeormProject } from './scan.js';
import { addInverseRelation } from './transforms/add-inverse-relation.js';
import { importList } from '../../render/import-list.js';
import { planTypeormHelpers } from './plan-helpers.js';

export { entityFileName } from './plan-shared.js';

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
  for (const [file, sourceFile] of scan.sourceFiles) changes.attach(file, sourceFile);
  const relative = relativeTo(project.root);
  const dialect = dialectOf(project, scan.options, relative);
  const describe = (entity: TypeormEntity) =>
    `${relative(entity.file)}:${entity.line} ${entity.className} ('${entity.tableName}')`;

  const existing = existingEntity(scan.entities, join);
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
    kind: 'join',
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

  const { imports: style, esm } = sourceStyle(project, scan);

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
      const added = addEntityColumns(sourceFile, existing.className, wanted, { orm: 'typeorm' });
      addedColumns = added.status === 'missing' ? [] : wanted;
      addKeyIndex(sourceFile, existing.className, camelCase(join.target.attribute.name), {
        orm: 'typeorm',
      });
    }
    plan.warnings.push(
      ...requiredColumnWarnings(
        addedColumns.map((column) => column.columnName),
        join.extraAttributes,
        join.table,
      ),
    );
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
    addInverseRelation(sourceFile, {
      className: side.entity.className,
      property: join.collection,
      joinClass,
      parameter: camelCase(joinClass),
      inverseProperty: camelCase(side.key.relationship),
      imports: { orm: 'typeorm', joinClass: moduleSpecifier(side.entity.file, joinFile, style) },
    });
  }

  const register = registrar(scan, style, relative, plan.registered);
  // NestJS: the feature module that already lists the source entity, else one in the join's domain.
  registerEntity(
    scan,
    {
      className: joinClass,
      file: joinFile,
      anchors: [sides.source.entity.className, sides.target.entity.className],
      feature:
        scan.features.find((candidate) =>
          candidate.classes.includes(sides.source.entity.className),
        ) ?? scan.features.find((candidate) => inDomain(candidate.file, join.domain)),
    },
    relative,
    register,
    plan.warnings,
  );

  if (addedColumns.length > 0) {
    plan.migrationName =
      options.migrationName ??
      addColumnsMigrationName(
        addedColumns.map((column) => column.columnName),
        join.table,
      );
  }
  if (options.migration !== false) {
    const migrationFile = planMigrationClass(
      project,
      scan,
      changes,
      plan.migrationName,
      (className) =>
        existing && addedColumns.length > 0
          ? renderTemplate(
              'typeorm/alter-migration.ts.ejs',
              alterMigrationData(join, addedColumns, className, dialect, plan.migrationName),
            )
          : renderTemplate(
              'typeorm/migration.ts.ejs',
              migrationData(join, sides, className, dialect),
            ),
      register,
    );
    if (migrationFile) {
      plan.migrationFile = migrationFile;
      plan.migrationFiles = [migrationFile];
    }
  }

  if (scan.options.length === 0) {
    plan.warnings.push(
      `No TypeORM DataSource or TypeOrmModule.forRoot() found; add ${joinClass} to your DataSource's entities yourself.`,
    );
  }
  planTypeormHelpers(project, plan, changes, options);
  return plan;
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

/** Attribute and timestamp columns of the join entity, as decorated properties. */
export function entityColumns(join: JoinModel, dialect: TypeormDialect): EntityColumn[] {
  return attributeEntityColumns(join.extraAttributes, join.timestamps, dialect);
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
function extraMigrationColumns(join: JoinModel, dialect: TypeormDialect) {
  return attributeMigrationColumns(join.extraAttributes, join.timestamps, dialect);
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
