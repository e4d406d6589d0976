/**
 * Every migration name joinery gives, for every target: what a run does to a table decides it.
 * PostgreSQL truncates identifiers past 63 characters, and drizzle-kit and TypeORM both carry
 * the name into identifiers and file names, so a long column list falls back to a short name.
 */
import { snakeCase } from './naming.js';

/** A new join: `create_user_events_join_table`. */
export function createJoinMigrationName(table: string): string {
  return `create_${table}_join_table`;
}

/** A new plain resource: `create_events_table`. */
export function createTableMigrationName(table: string): string {
  return `create_${table}_table`;
}

/**
 * A table that grows: `add_role_to_user_events`, or `add_columns_to_<table>` when too long.
 * Migration names are snake case, whatever the columns' SQL case (`organizerId`).
 */
export function addColumnsMigrationName(columns: string[], table: string): string {
  const name = `add_${columns.map(snakeCase).join('_')}_to_${table}`;
  return name.length <= 63 ? name : `add_columns_to_${table}`;
}

/** A join regenerated (`--conflicts replace`) or whose key, index or foreign keys came back. */
export function updateJoinMigrationName(table: string): string {
  return `update_${table}_join_table`;
}

/** A plain resource regenerated, or whose constraints came back. */
export function updateTableMigrationName(table: string): string {
  return `update_${table}_table`;
}
