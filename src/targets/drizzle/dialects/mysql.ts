/**
 * What Drizzle on MySQL and MariaDB (`drizzle-orm/mysql-core`) does differently from Postgres and
 * SQLite, in one place: attribute types, the builder a key that refers to another key takes, the
 * generated keys and timestamps, and whether the project declares foreign keys at all
 * (PlanetScale projects declare none and keep relations in Drizzle only).
 */
import type { AttributeType } from '../../../flags/types.js';
import type { Project } from '../../../project/project.js';
import type { ColumnBuilder } from '../column-types.js';
import type { DrizzleColumn, SchemaModel } from '../schema-model.js';

export const MYSQL_CORE_MODULE = 'drizzle-orm/mysql-core';

/** A uuid as MySQL and MariaDB 10 store it most often: 36 characters of text. */
const UUID: ColumnBuilder = { builder: 'varchar', options: '{ length: 36 }' };

export const MYSQL_COLUMNS: Record<AttributeType, ColumnBuilder> = {
  uuid: UUID,
  // varchar needs a length; 255 is what Ash's :string and most MySQL schemas use.
  string: { builder: 'varchar', options: '{ length: 255 }' },
  text: { builder: 'text', options: undefined },
  integer: { builder: 'int', options: undefined },
  bigint: { builder: 'bigint', options: "{ mode: 'number' }" },
  // tinyint(1), read back as true/false by drizzle.
  boolean: { builder: 'boolean', options: undefined },
  float: { builder: 'double', options: undefined },
  // MySQL's bare DECIMAL is DECIMAL(10,0) and would drop every fraction.
  decimal: { builder: 'decimal', options: '{ precision: 18, scale: 6 }' },
  date: { builder: 'date', options: "{ mode: 'string' }" },
  // datetime rather than timestamp: no 2038 limit, no implicit ON UPDATE on MariaDB.
  utc_datetime: { builder: 'datetime', options: "{ mode: 'date', fsp: 0 }" },
  utc_datetime_usec: { builder: 'datetime', options: "{ mode: 'date', fsp: 6 }" },
  naive_datetime: { builder: 'datetime', options: "{ mode: 'date', fsp: 0 }" },
  map: { builder: 'json', options: undefined, jsonType: 'Record<string, unknown>' },
  json: { builder: 'json', options: undefined, jsonType: 'unknown' },
};

/** MySQL has no array columns: a list is stored as JSON with its element type. */
export function mysqlArrayColumn(elementType: string): ColumnBuilder {
  return { builder: 'json', options: undefined, jsonType: `${elementType}[]` };
}

/**
 * The builder of a column that refers to `key`, with exactly its SQL type: MySQL's `serial` is
 * `bigint unsigned auto_increment`, so a reference to it is `bigint unsigned`; every other key
 * (int, bigint, varchar(36), char(36)) is copied with its options.
 */
export function mysqlReferenceColumn(key: DrizzleColumn): ColumnBuilder {
  if (key.builder === 'serial') {
    return { builder: 'bigint', options: "{ mode: 'number', unsigned: true }" };
  }
  if (key.builder === 'bigint' && !key.options) {
    return { builder: 'bigint', options: "{ mode: 'number' }" };
  }
  return { builder: key.builder, options: key.options };
}

/** The column of a generated uuid key (random, or v7, both made in code). */
export const MYSQL_UUID_KEY = UUID;

/**
 * How a new MySQL table generates its integer key: `int(...).autoincrement()` when every integer
 * key of the project is one, else what `serial` means spelled out, bigint unsigned
 * auto_increment, because MariaDB refuses the `serial AUTO_INCREMENT` drizzle-kit writes for
 * `serial()`.
 */
export function mysqlIntegerKey(keyTexts: readonly string[]): ColumnBuilder {
  const integers = keyTexts.filter((text) => /\b(int|serial|bigint)\s*\(/.test(text));
  return integers.length > 0 &&
    integers.every((text) => /\bint\s*\(.*autoincrement\(\)/s.test(text))
    ? { builder: 'int', options: undefined }
    : { builder: 'bigint', options: "{ mode: 'number', unsigned: true }" };
}

/** inserted_at and updated_at: datetime(3), filled by drizzle (MariaDB and MySQL alike). */
export const MYSQL_TIMESTAMP: ColumnBuilder = {
  builder: 'datetime',
  options: "{ mode: 'date', fsp: 3 }",
};
export const MYSQL_TIMESTAMP_DEFAULTS = '.notNull().$defaultFn(() => new Date())';

/**
 * Does this MySQL project leave foreign keys out (PlanetScale style)? When no column declares
 * `.references()` and no table a `foreignKey()`, yet its tables are related (`one(...)` in
 * `relations()`) or it talks to PlanetScale, the joins it gets follow suit: no constraints,
 * an index on each key, the relations in Drizzle only.
 */
export function mysqlWithoutForeignKeys(project: Project, schema: SchemaModel): boolean {
  const texts = [...schema.sourceFiles.values()].map((file) => file.getFullText());
  if (texts.some((text) => /\.references\s*\(|\bforeignKey\s*\(/.test(text))) return false;
  const related = texts.some((text) => /\bone\s*\(/.test(text));
  return related || project.dependency('@planetscale/database') !== undefined;
}

/** Said in the output of every run that follows that rule, so nobody looks for the constraints. */
export function noForeignKeysNote(table: string): string {
  return `${table}: no foreign keys, as in the rest of this project (no .references() anywhere, PlanetScale style); both keys are indexed and the relations live in Drizzle only, so deleting a row does not remove its links: delete them in the same transaction.`;
}
