/**
 * New entities rendered from their templates: the join entity (`typeorm/join-entity.ts.ejs`) and
 * a plain entity (`typeorm/entity.ts.ejs`) with its key, attributes, belongs_to and timestamps.
 * The renderers also serve --conflicts replace on an entity that exists.
 */
import { projectProblem } from '../../errors.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import type { TimestampNames } from '../../project/conventions.js';
import type { ResourceModel, SurrogateKey } from '../../resource/resource-model.js';
import { camelCase, pascalCase, snakeCase } from '../../rules/naming.js';
import { localName } from '../../rules/identifiers.js';
import { uuidV7Source, type UuidV7Source } from '../../rules/uuidv7-source.js';
import {
  attributeEntityColumns,
  attributeMigrationColumns,
  belongsToParts,
  decoratorArgs,
  joinEntityColumns,
  objectText,
  type BelongsToParts,
  type MigrationColumn,
} from './column-code.js';
import { uuidV7Folder } from './place.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import type { TypeormEntity } from './entity-model.js';
import type { ResolvedSide } from './resolve.js';
import type { EditContext } from './scan.js';
import type { EntityColumn } from './transforms/add-entity-columns.js';

/**
 * Writes the new join entity; refuses a file of that name that declares no such entity.
 * Returns the columns an existing table gains: none, its migration creates the table.
 */
export function createJoinEntity(context: EditContext, plan: TypeormJoinPlan): EntityColumn[] {
  const { join, joinFile } = plan;
  if (context.changes.exists(joinFile)) {
    throw projectProblem(
      `${context.relative(joinFile)} exists but declares no @Entity ${join.resource}; joinery will not overwrite it.`,
      `Move or rename that file, or name the join differently (e.g. joinery gen resource ${join.domain} ${join.resource}Link ...).`,
    );
  }
  context.changes.write(joinFile, renderJoinEntity(context, plan));
  return [];
}

export function renderJoinEntity(context: EditContext, plan: TypeormJoinPlan): string {
  return renderTemplate('typeorm/join-entity.ts.ejs', joinEntityData(context, plan));
}

function joinEntityData(context: EditContext, plan: TypeormJoinPlan) {
  const { join, sides, joinFile } = plan;
  const { imports: style, esm } = context.style;
  const typeorm = new Set(['Entity', 'Index', 'JoinColumn', 'ManyToOne', 'PrimaryColumn']);
  const keys = [sides.source, sides.target].map((side) => ({
    property: camelCase(side.key.attribute.name),
    args: decoratorArgs(side.column.type, [
      // TypeORM's default naming keeps the property (`userId`); any other name is stated.
      [
        'name',
        camelCase(side.key.attribute.name) === side.key.attribute.name
          ? undefined
          : side.key.attribute.name,
      ],
      ['length', side.column.length === undefined ? undefined : Number(side.column.length)],
    ]),
    indexed: side === sides.target,
    tsType: side.column.tsType,
  }));
  const columns = joinEntityColumns(join, context.dialect);
  for (const column of columns) typeorm.add(column.decorator);
  if (esm) typeorm.add('type Relation');
  const side = (resolved: ResolvedSide) => ({
    className: resolved.entity.className,
    // A self join: `(user) => user.followees`; the property is one direction of two on User.
    parameter: localName(
      camelCase(join.self ? resolved.entity.className : resolved.key.relationship),
    ),
    inverse: join.self ? resolved.key.manyToMany : join.collection,
    column: resolved.key.attribute.name,
    property: camelCase(resolved.key.relationship),
    type: esm ? `Relation<${resolved.entity.className}>` : resolved.entity.className,
  });
  return {
    imports: importList(joinFile, style, [
      ...[...typeorm].map((name): [string, string] => [context.ormModule, name]),
      [sides.source.entity.file, sides.source.entity.className],
      [sides.target.entity.file, sides.target.entity.className],
    ]),
    table: statedTable(join.table, plan.joinClass, [sides.source.entity, sides.target.entity]),
    schema: plan.schema.onEntity ? plan.schema.schema : undefined,
    className: plan.joinClass,
    keys,
    columns,
    source: side(sides.source),
    target: side(sides.target),
    collection: join.collection,
  };
}

/** What a plain resource's entity and migration are made of, worked out once for every step. */
export interface ResourceShape {
  key: SurrogateKey;
  belongsTo: BelongsToParts[];
  attributeColumns: EntityColumn[];
  timestampColumns: EntityColumn[];
  /** Attribute, timestamp and foreign-key columns as migrations write them, by SQL name. */
  migrationColumns: Map<string, MigrationColumn>;
  /** Where a rendered entity's `uuidv7()` comes from (the module is planned here). */
  uuidV7: UuidV7Source | undefined;
}

export function shapeResource(
  context: EditContext,
  plan: TypeormResourcePlan,
  key: SurrogateKey,
): ResourceShape {
  const { resource } = plan;
  const { dialect } = context;
  const belongsTo = plan.belongsTo.map((resolved) =>
    belongsToParts(resolved, plan.className, context.style, dialect),
  );
  const migrationColumns = new Map(
    [
      ...attributeMigrationColumns(resource.attributes, resourceTimestamps(resource), dialect),
      ...belongsTo.map((parts) => parts.migrationColumn),
    ].map((column) => [column.columnName, column]),
  );
  // Only a rendered entity uses it; an entity that exists keeps its own way of making ids.
  const rendered = !plan.existed || context.options.replace === true;
  const uuidV7 =
    key.kind === 'uuid_v7' && rendered
      ? uuidV7Source(context.project, context.changes, uuidV7Folder(context.project, plan.file))
      : undefined;
  plan.uuidV7Module = uuidV7?.shown;
  return {
    key,
    belongsTo,
    attributeColumns: attributeEntityColumns(resource.attributes, undefined, dialect),
    timestampColumns: attributeEntityColumns([], resourceTimestamps(resource), dialect),
    migrationColumns,
    uuidV7,
  };
}

/** The resource's timestamp names when it has timestamps. */
export function resourceTimestamps(resource: ResourceModel): TimestampNames | undefined {
  return resource.timestamps ? resource.timestampNames : undefined;
}

/**
 * Writes the new entity; refuses a file of that name that declares no such entity. Returns
 * undefined: nothing grew, the migration creates the table.
 */
export function createResourceEntity(
  context: EditContext,
  plan: TypeormResourcePlan,
  shape: ResourceShape,
): undefined {
  if (context.changes.exists(plan.file)) {
    throw projectProblem(
      `${context.relative(plan.file)} exists but declares no @Entity ${plan.resource.resource}; joinery will not overwrite it.`,
      `Move or rename that file, or name the resource differently.`,
    );
  }
  context.changes.write(plan.file, renderResourceEntity(context, plan, shape));
  return undefined;
}

export function renderResourceEntity(
  context: EditContext,
  plan: TypeormResourcePlan,
  shape: ResourceShape,
): string {
  return renderTemplate('typeorm/entity.ts.ejs', entityData(context, plan, shape));
}

function entityData(context: EditContext, plan: TypeormResourcePlan, shape: ResourceShape) {
  const { belongsTo, attributeColumns: columns, timestampColumns: timestamps, uuidV7 } = shape;
  const keyData = keyDecorator(shape.key);
  const typeorm = new Set(['Entity', keyData.decorator]);
  for (const column of [...columns, ...timestamps]) typeorm.add(column.decorator);
  if (belongsTo.length > 0) {
    for (const name of ['Column', 'Index', 'JoinColumn', 'ManyToOne']) typeorm.add(name);
    if (context.style.esm) typeorm.add('type Relation');
  }
  if (uuidV7) typeorm.add('BeforeInsert');
  return {
    imports: importList(plan.file, context.style.imports, [
      ...[...typeorm].map((name): [string, string] => [context.ormModule, name]),
      ...belongsTo.map(({ resolved }): [string, string] => [
        resolved.entity.file,
        resolved.entity.className,
      ]),
      ...(uuidV7 ? [[uuidV7.module, uuidV7.name] as [string, string]] : []),
    ]),
    table: statedTable(
      plan.table,
      plan.className,
      belongsTo.length > 0
        ? belongsTo.map(({ resolved }) => resolved.entity)
        : context.scan.entities,
    ),
    className: plan.className,
    key: keyData,
    columns,
    belongsTo: belongsTo.map((parts) => ({
      column: parts.column,
      args: parts.relation.args,
      property: parts.relation.property,
      tsType: parts.relation.tsType,
    })),
    timestamps,
    uuidV7: uuidV7 ? { method: `generate${pascalCase(keyData.property)}` } : undefined,
  };
}

/**
 * The table name `@Entity(...)` states: none (`@Entity()`) when it is what TypeORM derives from
 * the class (`UserEvent` → `user_event`) and most of the neighbouring entities leave theirs to
 * that derivation too, else the name.
 */
export function statedTable(
  table: string,
  className: string,
  neighbours: readonly TypeormEntity[],
): string | undefined {
  const derived = neighbours.filter((entity) => entity.defaultTableName).length;
  const leavesDefault = neighbours.length > 0 && derived * 2 > neighbours.length;
  return leavesDefault && table === snakeCase(className) ? undefined : table;
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
