/**
 * Attribute types → Drizzle column builders, per dialect; and the other way round, which
 * attribute types a referenced key column is compatible with.
 */
import { flagName } from '../../rules/naming-sql.js';
import { invalidInput } from '../../errors.js';
import type { AttributeSpec, AttributeType } from '../../flags/types.js';
import { MYSQL_COLUMNS, mysqlArrayColumn, mysqlReferenceColumn } from './dialects/mysql.js';
import type { DrizzleColumn } from './schema-model.js';

export type SqlDialect = 'postgresql' | 'sqlite' | 'mysql';

export interface ColumnBuilder {
  builder: string;
  /** Options object text, e.g. `{ withTimezone: true }`. */
  options: string | undefined;
  /** TypeScript type for `.$type<>()` where the column stores JSON. */
  jsonType?: string;
}

const POSTGRES: Record<AttributeType, ColumnBuilder> = {
  uuid: { builder: 'uuid', options: undefined },
  string: { builder: 'text', options: undefined },
  text: { builder: 'text', options: undefined },
  integer: { builder: 'integer', options: undefined },
  bigint: { builder: 'bigint', options: "{ mode: 'number' }" },
  boolean: { builder: 'boolean', options: undefined },
  float: { builder: 'doublePrecision', options: undefined },
  decimal: { builder: 'numeric', options: undefined },
  date: { builder: 'date', options: undefined },
  utc_datetime: { builder: 'timestamp', options: '{ withTimezone: true, precision: 0 }' },
  utc_datetime_usec: { builder: 'timestamp', options: '{ withTimezone: true, precision: 6 }' },
  naive_datetime: { builder: 'timestamp', options: '{ precision: 0 }' },
  map: { builder: 'jsonb', options: undefined, jsonType: 'Record<string, unknown>' },
  json: { builder: 'jsonb', options: undefined, jsonType: 'unknown' },
};

const SQLITE: Record<AttributeType, ColumnBuilder> = {
  uuid: { builder: 'text', options: undefined },
  string: { builder: 'text', options: undefined },
  text: { builder: 'text', options: undefined },
  integer: { builder: 'integer', options: undefined },
  bigint: { builder: 'integer', options: "{ mode: 'number' }" },
  boolean: { builder: 'integer', options: "{ mode: 'boolean' }" },
  float: { builder: 'real', options: undefined },
  decimal: { builder: 'numeric', options: undefined },
  date: { builder: 'text', options: undefined },
  utc_datetime: { builder: 'integer', options: "{ mode: 'timestamp' }" },
  utc_datetime_usec: { builder: 'integer', options: "{ mode: 'timestamp_ms' }" },
  naive_datetime: { builder: 'integer', options: "{ mode: 'timestamp' }" },
  map: { builder: 'text', options: "{ mode: 'json' }", jsonType: 'Record<string, unknown>' },
  json: { builder: 'text', options: "{ mode: 'json' }", jsonType: 'unknown' },
};

export function attributeColumn(attribute: AttributeSpec, dialect: SqlDialect): ColumnBuilder {
  const type = attribute.type ?? 'string';
  const column = { postgresql: POSTGRES, sqlite: SQLITE, mysql: MYSQL_COLUMNS }[dialect][type];
  if (attribute.array && dialect === 'mysql') return mysqlArrayColumn(tsTypeOf(type));
  if (attribute.array && dialect === 'sqlite') {
    // SQLite has no array columns; store the list as JSON with its element type.
    return { builder: 'text', options: "{ mode: 'json' }", jsonType: `${tsTypeOf(type)}[]` };
  }
  return column;
}

function tsTypeOf(type: AttributeType): string {
  if (['integer', 'bigint', 'float'].includes(type)) return 'number';
  if (type === 'boolean') return 'boolean';
  if (type === 'map') return 'Record<string, unknown>';
  return 'string';
}

/** Serial types generate values; a column referring to them holds the plain integer type. */
const REFERENCE_BUILDER: Record<string, string> = {
  serial: 'integer',
  smallserial: 'smallint',
  bigserial: 'bigint',
};

/** The builder for a foreign key that refers to `key`: same type, no generation. */
export function referenceColumn(key: DrizzleColumn, dialect: SqlDialect): ColumnBuilder {
  if (dialect === 'mysql') return mysqlReferenceColumn(key);
  const builder = REFERENCE_BUILDER[key.builder] ?? key.builder;
  // bigint needs its mode; serial/smallserial take no options worth copying.
  const options =
    builder === 'bigint'
      ? (key.options ?? "{ mode: 'number' }")
      : REFERENCE_BUILDER[key.builder]
        ? undefined
        : key.options;
  return { builder, options };
}

/** Which declared attribute types can hold values of a key built with `builder`. */
const COMPATIBLE_TYPES: Record<string, AttributeType[]> = {
  uuid: ['uuid'],
  integer: ['integer', 'bigint'],
  int: ['integer', 'bigint'],
  serial: ['integer', 'bigint'],
  smallint: ['integer'],
  smallserial: ['integer'],
  bigint: ['bigint', 'integer'],
  bigserial: ['bigint', 'integer'],
  text: ['string', 'text'],
  varchar: ['string', 'text'],
  char: ['string', 'text'],
  mediumint: ['integer'],
};

/**
 * SQLite has no uuid type: joinery's own uuid keys are `text`, so a text key may hold uuids there;
 * on MySQL a `varchar(36)`/`char(36)` key may.
 * Postgres has one, and a `uuid` join key beside a `varchar(255)` id became varchar while
 * joinery.json recorded uuid, so it is refused as integer-vs-uuid is.
 */
function compatibleTypes(key: DrizzleColumn, dialect: SqlDialect): AttributeType[] | undefined {
  const compatible = COMPATIBLE_TYPES[key.builder];
  if (dialect === 'sqlite' && key.builder === 'text') return [...compatible!, 'uuid'];
  // MySQL and MariaDB 10 have no uuid type either: 36 characters is how they hold one.
  if (
    dialect === 'mysql' &&
    /^(var)?char$/.test(key.builder) &&
    /\blength:\s*36\b/.test(key.options ?? '')
  )
    return [...compatible!, 'uuid'];
  return compatible;
}

export function assertKeyTypeMatches(
  attribute: AttributeSpec,
  key: DrizzleColumn,
  describeKey: string,
  dialect: SqlDialect,
): void {
  if (!attribute.type) return;
  const compatible = compatibleTypes(key, dialect);
  if (compatible && !compatible.includes(attribute.type)) {
    throw invalidInput(
      `--attribute ${flagName(attribute)}:${attribute.type} contradicts the key it refers to: ${describeKey} is ${key.builder}${key.options ? ` ${key.options}` : ''}.`,
      `Drop the type (--primary-key ${flagName(attribute)} alone follows the referenced key) or declare it as ${compatible[0]}.`,
    );
  }
}
