/**
 * Plans a TypeORM plain resource into the change set: a new entity (its generated key,
 * attributes, belongs_to columns with `@ManyToOne`, timestamps) placed and registered like the
 * project's other entities with its create-table migration, or, for an entity that exists, the
 * columns and relations it lacks with an `add_..._to_<table>` migration. Each belongs_to
 * destination gains the inverse `@OneToMany`.
 */
import { uuidV7Source, type UuidV7Source } from '../../rules/uuidv7-source.js';
import { addColumnsMigrationName } from '../../rules/migration-names.js';
import path from 'node:path';
import type { ClassDeclaration } from 'ts-morph';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import { moduleSpecifier } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import {
  distinguished,
  missingResourceError,
  type BelongsTo,
  type ResourceModel,
  type SurrogateKey,
} from '../../resource/resource-model.js';
import { camelCase, pascalCase } from '../../rules/naming.js';
import type { OnDeleteRule } from '../../flags/types.js';
import type { PlannedPlainResource, PlanOptions } from '../target.js';
import {
  ddlType,
  referenceColumnType,
  type ColumnType,
  type PrimaryKeyColumn,
  type TypeormDialect,
} from './column-types.js';
import { entityClassNamesIn, mayHoldEntity, type TypeormEntity } from './entity-model.js';
import {
  attributeEntityColumns,
  attributeMigrationColumns,
  decoratorArgs,
  dialectOf,
  entityFileName,
  objectText,
  planMigrationClass,
  quote,
  registerEntity,
  registrar,
  relativeTo,
  requiredColumnWarnings,
  sourceStyle,
  type MigrationColumn,
  type SourceStyle,
} from './plan-shared.js';
import { inDomain } from '../../rules/resolve-resource.js';
import { existingEntity, primaryKeyOf, resolveEntity } from './resolve-entity.js';
import { scanTypeormProject, type TypeormScan } from './scan.js';
import { addEntityColumns, hasColumn, type EntityColumn } from './transforms/add-entity-columns.js';
import { addInverseRelation, inverseNameTaken } from './transforms/add-inverse-relation.js';
import { addKeyIndex, hasKeyIndex } from './transforms/add-key-index.js';
import {
  addManyToOne,
  hasManyToOne,
  type ManyToOneRelation,
} from './transforms/add-many-to-one.js';

/** One belongs_to with the entity it points at. */
export interface ResolvedBelongsTo {
  relation: BelongsTo;
  entity: TypeormEntity;
  primaryKey: PrimaryKeyColumn;
  /** The foreign-key column: the type of the referenced key. */
  column: ColumnType;
}

export interface TypeormResourcePlan extends PlannedPlainResource {
  resource: ResourceModel;
  dialect: TypeormDialect;
  className: string;
  /** The SQL table: the existing entity's, else the resource's. */
  table: string;
  /** The key property (`id`) and how its values are made; kind undefined when unknown. */
  key: { property: string; kind: SurrogateKey['kind'] | undefined };
  belongsTo: ResolvedBelongsTo[];
  /** The migration planned in this run, if any. */
  migrationFile: string | undefined;
  /** The file holding `new DataSource(...)`, for `typeorm migration:run -d`. */
  dataSourceFile: string | undefined;
  /** Files whose entity lists now name the entity (relative to the root). */
  registered: string[];
  /** Where `uuidv7()` comes from (a project file, relative, or the `uuidv7` package). */
  uuidV7Module: string | undefined;
}

const ON_DELETE: Record<OnDeleteRule, string> = {
  cascade: 'CASCADE',
  restrict: 'RESTRICT',
  'set-null': 'SET NULL',
};

/** What describes what the pieces of one belongs_to look like in the entity and the migration. */
interface BelongsToSource {
  resolved: ResolvedBelongsTo;
  column: EntityColumn;
  migrationColumn: MigrationColumn;
  relation: ManyToOneRelation;
  foreignKey: { text: string; column: string };
  index: { text: string; column: string };
}

export async function planTypeormResource(
  project: Project,
  resource: ResourceModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<TypeormResourcePlan> {
  const destinations = resource.belongsTo.map((relation) => relation.destination.resource);
  const scan = await scanTypeormProject(
    project,
    [resource.resource, resource.table, ...destinations],
    destinations,
  );
  for (const [file, sourceFile] of scan.sourceFiles) changes.attach(file, sourceFile);
  const relative = relativeTo(project.root);
  const dialect = dialectOf(project, scan.options, relative);
  const describe = (entity: TypeormEntity) =>
    `${relative(entity.file)}:${entity.line} ${entity.className} ('${entity.tableName}')`;

  const existing = existingEntity(scan.entities, resource);
  if (!existing && !resource.primaryKey) throw missingResourceError(resource);
  const key = existing ? existingKey(existing, resource, describe) : resource.primaryKey!;
  // An entity that exists keeps its table, whatever its name (`@Entity()` on User is `user`).
  const table = existing?.tableName ?? resource.table;

  const candidates = scan.entities.filter((entity) => entity !== existing);
  const belongsTo = resource.belongsTo.map((relation): ResolvedBelongsTo => {
    const entity = resolveEntity(candidates, relation.destination, describe, scan.otherEntityNames);
    const primaryKey = primaryKeyOf(entity, describe(entity));
    return {
      relation: withFreeInverse(relation, entity, scan, resource, existing?.className),
      entity,
      primaryKey,
      column: referenceColumnType(primaryKey, dialect),
    };
  });

  const className = existing?.className ?? resource.resource;
  const file = existing?.file ?? placeEntityFile(project, resource, scan, belongsTo);
  const dataSource = scan.options.find((candidate) => candidate.kind === 'data-source');
  const plan: TypeormResourcePlan = {
    kind: 'resource',
    resource,
    dialect,
    className,
    table,
    key: { property: camelCase(key.name), kind: key.kind },
    belongsTo,
    file,
    existed: existing !== undefined,
    warnings: [],
    migrationName: resource.migrationName,
    migrationFiles: [],
    migrationFile: undefined,
    inverseFiles: [],
    dataSourceFile: dataSource ? relative(dataSource.file) : undefined,
    registered: [],
    uuidV7Module: undefined,
  };
  if (existing && options.ignoreIfExists) return plan;

  const style = sourceStyle(project, scan);
  const sources = belongsTo.map((resolved) => belongsToSource(resolved, className, style, dialect));
  const attributeColumns = attributeEntityColumns(resource.attributes, false, dialect);
  const timestampColumns = attributeEntityColumns([], resource.timestamps, dialect);
  const migrationColumns = new Map(
    [
      ...attributeMigrationColumns(resource.attributes, resource.timestamps, dialect),
      ...sources.map((source) => source.migrationColumn),
    ].map((column) => [column.columnName, column]),
  );
  // Only a rendered entity uses it; an entity that exists keeps its own way of making ids.
  const rendered = !existing || options.replace === true;
  const v7 =
    key.kind === 'uuid_v7' && rendered
      ? uuidV7Source(project, changes, uuidV7Folder(project, file))
      : undefined;
  plan.uuidV7Module = v7?.shown;
  const renderEntity = () =>
    renderTemplate(
      'typeorm/entity.ts.ejs',
      entityData(table, className, file, key, sources, attributeColumns, timestampColumns, {
        dialect,
        style,
        uuidV7: v7,
      }),
    );

  const register = registrar(scan, style.imports, relative, plan.registered);
  const planMigration = (template: string, data: Record<string, unknown>) => {
    if (options.migration === false) return;
    plan.migrationFile = planMigrationClass(
      project,
      scan,
      changes,
      plan.migrationName,
      (migrationClass) =>
        renderTemplate(template, {
          ...data,
          className: migrationClass,
          migrationName: plan.migrationName,
          table,
        }),
      register,
    );
  };

  if (existing) {
    const sourceFile = scan.sourceFiles.get(existing.file)!;
    const declaration = sourceFile.getClass(existing.className)!;
    const missing = missingParts(
      declaration,
      attributeColumns,
      timestampColumns.filter(
        (column) => !declaration.getProperties().some((p) => p.getDecorator(column.decorator)),
      ),
      sources,
    );
    if (options.replace) {
      sourceFile.replaceWithText(renderEntity());
    } else {
      addEntityColumns(sourceFile, className, missing.columns, { orm: 'typeorm' });
      for (const source of sources) {
        addKeyIndex(sourceFile, className, source.column.property, { orm: 'typeorm' });
        const { entity } = source.resolved;
        addManyToOne(sourceFile, {
          ...source.relation,
          imports: {
            orm: 'typeorm',
            related: {
              name: entity.className,
              from: moduleSpecifier(file, entity.file, style.imports),
            },
          },
        });
      }
    }
    const addedNames = missing.columns.map((column) => column.columnName);
    plan.warnings.push(...requiredColumnWarnings(addedNames, resource.attributes, table));
    for (const source of missing.relations) {
      if (source.resolved.relation.required && addedNames.includes(source.column.columnName)) {
        plan.warnings.push(
          `${source.column.columnName} is NOT NULL: the migration fails if ${table} already has rows. Make the relationship optional first, or fill the column in the migration.`,
        );
      }
    }
    const changed = missing.columns.length + missing.relations.length + missing.indices.length > 0;
    if (changed) {
      plan.migrationName =
        options.migrationName ??
        addColumnsMigrationName(
          addedNames.length > 0
            ? addedNames
            : [...missing.relations, ...missing.indices].map((s) => s.column.columnName),
          table,
        );
    }
    if (changed) {
      planMigration('typeorm/alter-migration.ts.ejs', {
        description: `what the ${table} table gains`,
        columns: addedNames.map((name) => migrationColumns.get(name)!),
        indices: missing.indices.map((source) => source.index),
        foreignKeys: missing.relations.map((source) => source.foreignKey),
      });
    }
  } else {
    if (changes.exists(file)) {
      throw projectProblem(
        `${relative(file)} exists but declares no @Entity ${resource.resource}; joinery will not overwrite it.`,
        `Move or rename that file, or name the resource differently.`,
      );
    }
    changes.write(file, renderEntity());
    planMigration('typeorm/resource-migration.ts.ejs', {
      columns: [
        keyMigrationColumn(key, dialect),
        ...resource.attributes.map((attribute) => migrationColumns.get(attribute.name)!),
        ...sources.map((source) => source.migrationColumn),
        ...(resource.timestamps
          ? ['inserted_at', 'updated_at'].map((name) => migrationColumns.get(name)!)
          : []),
      ],
      foreignKeys: sources.map((source) => source.foreignKey.text),
      indices: sources.map((source) => source.index.text),
    });
  }
  if (plan.migrationFile) plan.migrationFiles = [plan.migrationFile];

  for (const source of sources) {
    const { entity, relation } = source.resolved;
    const sourceFile = scan.sourceFiles.get(entity.file)!;
    const result = addInverseRelation(sourceFile, {
      className: entity.className,
      property: relation.inverse,
      joinClass: className,
      parameter: camelCase(className),
      inverseProperty: camelCase(relation.name),
      matchInverse: true,
      imports: { orm: 'typeorm', joinClass: moduleSpecifier(entity.file, file, style.imports) },
    });
    if (result.status === 'added') {
      if (!plan.inverseFiles.includes(relative(entity.file))) {
        plan.inverseFiles.push(relative(entity.file));
      }
    }
  }

  registerEntity(
    scan,
    {
      className,
      file,
      anchors: belongsTo.map((resolved) => resolved.entity.className),
      feature: scan.features.find((candidate) => inDomain(candidate.file, resource.domain)),
    },
    relative,
    register,
    plan.warnings,
  );
  if (scan.options.length === 0) {
    plan.warnings.push(
      `No TypeORM DataSource or TypeOrmModule.forRoot() found; add ${className} to your DataSource's entities yourself.`,
    );
  }
  return plan;
}

/**
 * The key of an entity that exists: the one the command line names must agree with it; without a
 * key flag, what the entity declares (needed only to regenerate it with --conflicts replace).
 */
function existingKey(
  existing: TypeormEntity,
  resource: ResourceModel,
  describe: (entity: TypeormEntity) => string,
): SurrogateKey {
  const [declared, ...others] = existing.primaryKeys;
  const given = resource.primaryKey;
  if (!declared || others.length > 0) {
    if (!given) {
      throw projectProblem(
        `${describe(existing)} has ${declared ? 'a composite primary key' : 'no primary column'}; joinery adds to entities with one generated key.`,
        'Give the entity one @PrimaryGeneratedColumn or @PrimaryColumn, then run joinery again.',
      );
    }
    return given;
  }
  const kind: SurrogateKey['kind'] | undefined =
    declared.generated === 'uuid'
      ? 'uuid'
      : declared.generated !== undefined
        ? 'integer'
        : declared.type === 'uuid'
          ? 'uuid_v7'
          : undefined;
  if (given) {
    const family = (k: SurrogateKey['kind'] | undefined) => (k === 'integer' ? 'integer' : k);
    const sameName = declared.columnName === given.name || declared.property === given.name;
    const sameKind =
      kind === undefined ||
      family(kind) === family(given.kind) ||
      (kind !== 'integer' && given.kind !== 'integer');
    if (!sameName || !sameKind) {
      throw invalidInput(
        `${describe(existing)} exists with the primary key ${declared.property} (${declared.generated ? `generated ${declared.generated}, ` : ''}${declared.type}); the command line asks for ${given.kind} key ${given.name}.`,
        'Leave the key flag out to add to the entity as it is, or change the entity yourself.',
      );
    }
    return given;
  }
  return { name: declared.columnName, kind: kind ?? 'uuid_v7' };
}

/** Parts of the resource an existing entity class lacks (checked before anything is added). */
function missingParts(
  declaration: ClassDeclaration,
  attributeColumns: EntityColumn[],
  timestampColumns: EntityColumn[],
  sources: BelongsToSource[],
): { columns: EntityColumn[]; relations: BelongsToSource[]; indices: BelongsToSource[] } {
  const columns = [
    ...attributeColumns,
    ...sources.map((source) => source.column),
    ...timestampColumns,
  ].filter((column) => !hasColumn(declaration, column));
  const added = (source: BelongsToSource) => columns.includes(source.column);
  return {
    columns,
    relations: sources.filter(
      (source) => added(source) || !hasManyToOne(declaration, source.relation),
    ),
    indices: sources.filter(
      (source) => added(source) || !hasKeyIndex(declaration, source.column.property),
    ),
  };
}

function belongsToSource(
  resolved: ResolvedBelongsTo,
  className: string,
  style: SourceStyle,
  dialect: TypeormDialect,
): BelongsToSource {
  const { relation, entity, primaryKey, column } = resolved;
  const property = camelCase(relation.attribute);
  const nullable = relation.required ? undefined : true;
  const ddl = ddlType(column, dialect);
  const parameter = camelCase(entity.className);
  const relationType = style.esm ? `Relation<${entity.className}>` : entity.className;
  const onDelete = ON_DELETE[relation.onDelete];
  return {
    resolved,
    column: {
      columnName: relation.attribute,
      decorator: 'Column',
      property,
      args: decoratorArgs(column.type, [
        ['name', property === relation.attribute ? undefined : relation.attribute],
        ['length', column.length === undefined ? undefined : Number(column.length)],
        ['nullable', nullable],
      ]),
      tsType: relation.required ? column.tsType : `${column.tsType} | null`,
    },
    migrationColumn: {
      columnName: relation.attribute,
      text: objectText([
        ['name', relation.attribute],
        ['type', ddl.type],
        ['length', ddl.length],
        ['isNullable', nullable],
      ]),
    },
    relation: {
      className,
      property: camelCase(relation.name),
      columnProperty: property,
      columnName: relation.attribute,
      args: `() => ${entity.className}, (${parameter}) => ${parameter}.${relation.inverse}, ${objectText(
        [
          ['onDelete', onDelete],
          ['nullable', relation.required ? false : undefined],
        ],
      )}`,
      tsType: relation.required ? relationType : `${relationType} | null`,
    },
    foreignKey: {
      column: relation.attribute,
      text: `{ columnNames: [${quote(relation.attribute)}], referencedTableName: ${quote(entity.tableName)}, referencedColumnNames: [${quote(primaryKey.columnName)}], onDelete: ${quote(onDelete)}, onUpdate: 'NO ACTION' }`,
    },
    index: {
      column: relation.attribute,
      text: `{ columnNames: [${quote(relation.attribute)}] }`,
    },
  };
}

/** `@PrimaryGeneratedColumn('uuid')`, `@PrimaryGeneratedColumn()` or `@PrimaryColumn('uuid')`. */
function keyDecorator(key: SurrogateKey) {
  const property = camelCase(key.name);
  const name: [string, string | undefined] = ['name', property === key.name ? undefined : key.name];
  if (key.kind === 'integer') {
    return {
      decorator: 'PrimaryGeneratedColumn',
      args: objectText([name]),
      property,
      tsType: 'number',
    };
  }
  return {
    decorator: key.kind === 'uuid' ? 'PrimaryGeneratedColumn' : 'PrimaryColumn',
    args: decoratorArgs('uuid', [name]),
    property,
    tsType: 'string',
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

function entityData(
  table: string,
  className: string,
  file: string,
  key: SurrogateKey,
  sources: BelongsToSource[],
  columns: EntityColumn[],
  timestamps: EntityColumn[],
  context: { dialect: TypeormDialect; style: SourceStyle; uuidV7: UuidV7Source | undefined },
) {
  const keyData = keyDecorator(key);
  const typeorm = new Set(['Entity', keyData.decorator]);
  for (const column of [...columns, ...timestamps]) typeorm.add(column.decorator);
  if (sources.length > 0) {
    for (const name of ['Column', 'Index', 'JoinColumn', 'ManyToOne']) typeorm.add(name);
    if (context.style.esm) typeorm.add('type Relation');
  }
  if (context.uuidV7) typeorm.add('BeforeInsert');
  return {
    imports: importList(file, context.style.imports, [
      ...[...typeorm].map((name): [string, string] => ['typeorm', name]),
      ...sources.map(({ resolved }): [string, string] => [
        resolved.entity.file,
        resolved.entity.className,
      ]),
      ...(context.uuidV7 ? [[context.uuidV7.module, context.uuidV7.name] as [string, string]] : []),
    ]),
    table,
    className,
    key: keyData,
    columns,
    belongsTo: sources.map((source) => ({
      column: source.column,
      args: source.relation.args,
      property: source.relation.property,
      tsType: source.relation.tsType,
    })),
    timestamps,
    uuidV7: context.uuidV7 ? { method: `generate${pascalCase(keyData.property)}` } : undefined,
  };
}

/** The generated uuidv7 module's folder: `src/`, or beside the entity outside `src/`. */
function uuidV7Folder(project: Project, entityFile: string): string {
  const src = path.join(project.root, 'src');
  return entityFile.startsWith(src + path.sep) ? src : path.dirname(entityFile);
}

/**
 * The new entity goes to its domain's entity folder (`src/works/entities`), else beside the
 * entity it belongs to, else wherever the project keeps entities; named like its neighbours.
 */
function placeEntityFile(
  project: Project,
  resource: ResourceModel,
  scan: TypeormScan,
  belongsTo: ResolvedBelongsTo[],
): string {
  const entityFiles = [...scan.texts]
    .filter(([, text]) => mayHoldEntity(text))
    .map(([file, text]) => ({ file, className: entityClassNamesIn(text)[0]?.className }))
    .filter((entry): entry is { file: string; className: string } => entry.className !== undefined);
  const anchor =
    entityFiles.find((entry) =>
      inDomain(path.relative(project.root, path.dirname(entry.file)), resource.domain),
    )?.file ??
    belongsTo[0]?.entity.file ??
    entityFiles[0]?.file;
  const folder = anchor ? path.dirname(anchor) : path.join(project.root, 'src', 'entities');
  const sibling = entityFiles.find((entry) => path.dirname(entry.file) === folder);
  return path.join(
    folder,
    sibling
      ? entityFileName(sibling.file, sibling.className, resource.resource)
      : `${resource.resource}.ts`,
  );
}

/**
 * The inverse `@OneToMany` gets its own property when the destination already uses the name for
 * another relation (User.posts for Post.author, and now Post.editor): `editorPosts`, as when both
 * belong_to were declared at once.
 */
function withFreeInverse(
  relation: BelongsTo,
  entity: TypeormEntity,
  scan: TypeormScan,
  resource: ResourceModel,
  existingClass: string | undefined,
): BelongsTo {
  const sourceFile = scan.sourceFiles.get(entity.file);
  const className = existingClass ?? resource.resource;
  const taken =
    sourceFile &&
    inverseNameTaken(sourceFile, {
      className: entity.className,
      property: relation.inverse,
      joinClass: className,
      parameter: camelCase(className),
      inverseProperty: camelCase(relation.name),
    });
  return taken ? distinguished(resource, relation) : relation;
}
