/**
 * Column code as the entity and the migration write it: decorator arguments, the QueryRunner's
 * column objects, and the pieces of a belongs_to (foreign-key column, `@ManyToOne` arguments,
 * foreign key and index). Pure text; the steps decide where it goes.
 */
import type { AttributeSpec, OnDeleteRule } from '../../flags/types.js';
import type { JoinModel } from '../../join/join-model.js';
import type { TimestampNames } from '../../project/conventions.js';
import { camelCase } from '../../rules/naming.js';
import { localName } from '../../rules/identifiers.js';
import {
  attributeColumnType,
  ddlType,
  timestampColumns,
  type TypeormDialect,
} from './column-types.js';
import type { ResolvedBelongsTo } from './resolve.js';
import type { SourceStyle } from './scan.js';
import type { EntityColumn } from './transforms/add-entity-columns.js';
import type { ManyToOneRelation } from './transforms/add-many-to-one.js';

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

/** `{ name: 'user_id' }` where the SQL name is not the property's (TypeORM's default naming). */
const nameOption = (property: string, sqlName: string): [string, string | undefined] => [
  'name',
  property === sqlName ? undefined : sqlName,
];

/**
 * Attribute and timestamp columns of an entity, as decorated properties; `timestamps`, the SQL
 * names of the timestamps, when the resource has them.
 */
export function attributeEntityColumns(
  attributes: AttributeSpec[],
  timestamps: TimestampNames | undefined,
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
        nameOption(property, attribute.name),
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
    for (const [decorator, name] of [
      ['CreateDateColumn', timestamps.created],
      ['UpdateDateColumn', timestamps.updated],
    ] as const) {
      columns.push({
        columnName: name,
        decorator,
        property: camelCase(name),
        args: objectText([
          nameOption(camelCase(name), name),
          ['type', timestamp.entity.type],
          ['precision', timestamp.entity.precision],
        ]),
        tsType: 'Date',
      });
    }
  }
  return columns;
}

/** Attribute and timestamp columns of the join entity, as decorated properties. */
export function joinEntityColumns(join: JoinModel, dialect: TypeormDialect): EntityColumn[] {
  return attributeEntityColumns(join.extraAttributes, joinTimestamps(join), dialect);
}

/** The join's timestamp names when it has timestamps. */
export function joinTimestamps(join: JoinModel): TimestampNames | undefined {
  return join.timestamps ? join.timestampNames : undefined;
}

export interface MigrationColumn {
  columnName: string;
  /** `{ name: 'role', type: 'varchar' }`, as the QueryRunner's Table API takes it. */
  text: string;
}

/** Attribute and timestamp columns as migrations write them. */
export function attributeMigrationColumns(
  attributes: AttributeSpec[],
  timestamps: TimestampNames | undefined,
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
        columnName: timestamps.created,
        text: objectText([
          ['name', timestamps.created],
          ['type', timestamp.entity.type],
          ['precision', timestamp.entity.precision],
          ['default', timestamp.createDefault],
        ]),
      },
      {
        columnName: timestamps.updated,
        text: objectText([
          ['name', timestamps.updated],
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

const ON_DELETE: Record<OnDeleteRule, string> = {
  cascade: 'CASCADE',
  restrict: 'RESTRICT',
  'set-null': 'SET NULL',
};

/** What the pieces of one belongs_to look like in the entity and the migration. */
export interface BelongsToParts {
  resolved: ResolvedBelongsTo;
  column: EntityColumn;
  migrationColumn: MigrationColumn;
  relation: ManyToOneRelation;
  foreignKey: { text: string; column: string };
  index: { text: string; column: string };
}

export function belongsToParts(
  resolved: ResolvedBelongsTo,
  className: string,
  style: SourceStyle,
  dialect: TypeormDialect,
): BelongsToParts {
  const { relation, entity, primaryKey, column } = resolved;
  const property = camelCase(relation.attribute);
  const nullable = relation.required ? undefined : true;
  const ddl = ddlType(column, dialect);
  const parameter = localName(camelCase(entity.className));
  const relationType = style.esm ? `Relation<${entity.className}>` : entity.className;
  const onDelete = ON_DELETE[relation.onDelete];
  return {
    resolved,
    column: {
      columnName: relation.attribute,
      decorator: 'Column',
      property,
      args: decoratorArgs(column.type, [
        nameOption(property, relation.attribute),
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
