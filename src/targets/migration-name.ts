/** Migration names both targets give a table that grows. */

/** `add_role_to_user_events`, or `add_columns_to_<table>` past PostgreSQL's 63 characters. */
export function addColumnsMigrationName(columns: string[], table: string): string {
  const name = `add_${columns.join('_')}_to_${table}`;
  return name.length <= 63 ? name : `add_columns_to_${table}`;
}
