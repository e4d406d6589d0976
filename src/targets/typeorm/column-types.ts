/**
 * Attribute types → TypeORM column types per dialect, the key column that refers to a primary
 * key, and the DDL type a migration must write so TypeORM's own schema diff finds nothing to do
 * (for most types that is the entity's type; `uuid` is stored as varchar outside Postgres and
 * MariaDB, and simple-json as text).
 */
import { flagName } from '../../rules/naming-sql.js';
import { invalidInput } from '../../errors.js';
import type { AttributeSpec, AttributeType } from '../../flags/types.js';

export type TypeormDialect = 'postgres' | 'sqlite' | 'mysql' | 'mariadb';

export interface ColumnType {
  /** TypeORM column type as written in the entity: `uuid`, `varchar`, `timestamptz`, ... */
  type: string;
  length?: string;
  precision?: number;
  /** Postgres array column. */
  array?: boolean;
  /** TypeScript type of the property. */
  tsType: string;
}

type DialectTable = Record<AttributeType, ColumnType>;

const POSTGRES: DialectTable = {
  uuid: { type: 'uuid', tsType: 'string' },
  string: { type: 'varchar', length: '255', tsType: 'string' },
  text: { type: 'text', tsType: 'string' },
  integer: { type: 'integer', tsType: 'number' },
  // TypeORM reads bigint and numeric as strings on Postgres and MySQL: no precision is lost.
  bigint: { type: 'bigint', tsType: 'string' },
  boolean: { type: 'boolean', tsType: 'boolean' },
  float: { type: 'double precision', tsType: 'number' },
  decimal: { type: 'numeric', tsType: 'string' },
  date: { type: 'date', tsType: 'string' },
  utc_datetime: { type: 'timestamptz', tsType: 'Date' },
  utc_datetime_usec: { type: 'timestamptz', tsType: 'Date' },
  naive_datetime: { type: 'timestamp', tsType: 'Date' },
  map: { type: 'jsonb', tsType: 'Record<string, unknown>' },
  json: { type: 'jsonb', tsType: 'unknown' },
};

const MYSQL: DialectTable = {
  uuid: { type: 'uuid', tsType: 'string' },
  string: { type: 'varchar', length: '255', tsType: 'string' },
  text: { type: 'text', tsType: 'string' },
  integer: { type: 'int', tsType: 'number' },
  bigint: { type: 'bigint', tsType: 'string' },
  boolean: { type: 'boolean', tsType: 'boolean' },
  float: { type: 'double', tsType: 'number' },
  decimal: { type: 'decimal', tsType: 'string' },
  date: { type: 'date', tsType: 'string' },
  utc_datetime: { type: 'datetime', tsType: 'Date' },
  utc_datetime_usec: { type: 'datetime', precision: 6, tsType: 'Date' },
  naive_datetime: { type: 'datetime', tsType: 'Date' },
  map: { type: 'json', tsType: 'Record<string, unknown>' },
  json: { type: 'json', tsType: 'unknown' },
};

const SQLITE: DialectTable = {
  uuid: { type: 'uuid', tsType: 'string' },
  string: { type: 'varchar', tsType: 'string' },
  text: { type: 'text', tsType: 'string' },
  integer: { type: 'integer', tsType: 'number' },
  bigint: { type: 'bigint', tsType: 'number' },
  boolean: { type: 'boolean', tsType: 'boolean' },
  float: { type: 'real', tsType: 'number' },
  decimal: { type: 'decimal', tsType: 'string' },
  date: { type: 'date', tsType: 'string' },
  utc_datetime: { type: 'datetime', tsType: 'Date' },
  utc_datetime_usec: { type: 'datetime', tsType: 'Date' },
  naive_datetime: { type: 'datetime', tsType: 'Date' },
  map: { type: 'simple-json', tsType: 'Record<string, unknown>' },
  json: { type: 'simple-json', tsType: 'unknown' },
};

const TABLES: Record<TypeormDialect, DialectTable> = {
  postgres: POSTGRES,
  mysql: MYSQL,
  mariadb: MYSQL,
  sqlite: SQLITE,
};

export function attributeColumnType(attribute: AttributeSpec, dialect: TypeormDialect): ColumnType {
  const column = TABLES[dialect][attribute.type ?? 'string'];
  if (!attribute.array) return column;
  // Only Postgres has array columns; elsewhere the list is stored as JSON text.
  if (dialect === 'postgres') return { ...column, array: true, tsType: `${column.tsType}[]` };
  return { type: 'simple-json', tsType: `${column.tsType}[]` };
}

/** The type a migration writes for a column the entity declares as `column`. */
export function ddlType(
  column: ColumnType,
  dialect: TypeormDialect,
): { type: string; length?: string } {
  if (column.type === 'uuid' && dialect === 'sqlite') return { type: 'varchar' };
  // MySQL has no uuid type (MariaDB 10.7+ has); TypeORM stores it as varchar(36) there.
  if (column.type === 'uuid' && dialect === 'mysql') return { type: 'varchar', length: '36' };
  if (column.type === 'simple-json' || column.type === 'simple-array') return { type: 'text' };
  return column.length ? { type: column.type, length: column.length } : { type: column.type };
}

export interface CreateUpdateColumns {
  /** Options for `@CreateDateColumn`/`@UpdateDateColumn`, besides the name. */
  entity: { type: string; precision?: number };
  createDefault: string;
  updateDefault: string;
  /** MySQL refreshes the update column itself (`ON UPDATE`). */
  onUpdate: string | undefined;
}

export function timestampColumns(dialect: TypeormDialect): CreateUpdateColumns {
  if (dialect === 'postgres') {
    return {
      entity: { type: 'timestamptz' },
      createDefault: 'now()',
      updateDefault: 'now()',
      onUpdate: undefined,
    };
  }
  if (dialect === 'sqlite') {
    return {
      entity: { type: 'datetime' },
      createDefault: "datetime('now')",
      updateDefault: "datetime('now')",
      onUpdate: undefined,
    };
  }
  return {
    entity: { type: 'datetime', precision: 6 },
    createDefault: 'CURRENT_TIMESTAMP(6)',
    updateDefault: 'CURRENT_TIMESTAMP(6)',
    onUpdate: 'CURRENT_TIMESTAMP(6)',
  };
}

/** What the scan knows about a primary-key column. */
export interface PrimaryKeyColumn {
  property: string;
  /** Column name in SQL. */
  columnName: string;
  /** Declared or inferred TypeORM type: `uuid`, `int`, `bigint`, `varchar`, ... */
  type: string;
  length: string | undefined;
  /** `increment`, `identity`, `uuid`, `rowid`, or undefined for `@PrimaryColumn`. */
  generated: string | undefined;
  /** The property's TypeScript type annotation, e.g. `string`. */
  tsType: string | undefined;
  line: number;
  /** The file declaring it when that is not the entity's (an inherited base or mixin). */
  file?: string;
}

const INTEGER_TYPES = new Set([
  'int',
  'int4',
  'integer',
  'smallint',
  'int2',
  'mediumint',
  'tinyint',
]);
const BIGINT_TYPES = new Set(['bigint', 'int8']);
const STRING_TYPES = new Set([
  'varchar',
  'character varying',
  'char',
  'character',
  'text',
  'nvarchar',
  'string',
]);

/** The column type of a foreign key referring to `key`: same type, never generated. */
export function referenceColumnType(key: PrimaryKeyColumn, dialect: TypeormDialect): ColumnType {
  let type = key.type;
  if (INTEGER_TYPES.has(type))
    type = dialect === 'mysql' || dialect === 'mariadb' ? 'int' : 'integer';
  const tsType =
    key.tsType ??
    (INTEGER_TYPES.has(key.type) || (BIGINT_TYPES.has(key.type) && dialect === 'sqlite')
      ? 'number'
      : 'string');
  return key.length ? { type, length: key.length, tsType } : { type, tsType };
}

/** Which declared attribute types can hold values of a key of type `keyType`. */
function compatibleTypes(keyType: string): AttributeType[] | undefined {
  if (keyType === 'uuid') return ['uuid'];
  if (INTEGER_TYPES.has(keyType)) return ['integer', 'bigint'];
  if (BIGINT_TYPES.has(keyType)) return ['bigint', 'integer'];
  if (STRING_TYPES.has(keyType)) return ['string', 'text', 'uuid'];
  return undefined;
}

export function assertKeyTypeMatches(
  attribute: AttributeSpec,
  key: PrimaryKeyColumn,
  describeKey: string,
): void {
  if (!attribute.type) return;
  const compatible = compatibleTypes(key.type);
  if (compatible && !compatible.includes(attribute.type)) {
    throw invalidInput(
      `--attribute ${flagName(attribute)}:${attribute.type} contradicts the key it refers to: ${describeKey} is ${key.generated ? `generated (${key.generated}) ` : ''}${key.type}.`,
      `Drop the type (--primary-key ${flagName(attribute)} alone follows the referenced key) or declare it as ${compatible[0]}.`,
    );
  }
}
