/** The names Drizzle code joinery generates imports beside its tables (see `rules/identifiers.ts`). */
import type { GeneratedNames } from '../../rules/identifiers.js';

export const DRIZZLE_NAMES: GeneratedNames = {
  declares: 'variable',
  taken: [
    ...['relations', 'defineRelations', 'sql', 'eq', 'and', 'or', 'inArray', 'notInArray'],
    ...['pgTable', 'sqliteTable', 'mysqlTable', 'primaryKey', 'index', 'uniqueIndex'],
    ...['foreignKey', 'uuid', 'text', 'varchar', 'integer', 'bigint', 'boolean', 'real'],
    ...['doublePrecision', 'numeric', 'decimal', 'date', 'timestamp', 'datetime', 'json'],
    ...['jsonb', 'serial', 'bigserial', 'int', 'double', 'float', 'blob', 'uuidv7'],
  ],
};
