/**
 * When a run may take an existing table as the resource it generates, for every target. joinery
 * converges a table it finds (adds what is missing), and `--force` regenerates one from the
 * template; both are safe only for tables joinery made or joins of the same two keys. Anything
 * else would silently rewrite someone's table: `--force` on a hand-written `users` drops its
 * columns, `--table users` on a join turns users into the join.
 */
import { invalidInput } from '../errors.js';
import { MANIFEST_FILE } from '../manifest/manifest.js';

/** What a target tells about the table it found, in SQL names. */
export interface ExistingTable {
  /** SQL table name, `users`. */
  table: string;
  /** `src/accounts/user.ts:7`, for messages. */
  where: string;
  /** Its column names in SQL; undefined when the target cannot read them all. */
  columns: string[] | undefined;
  /** The primary key's columns in SQL (a join's two keys, a resource's id). */
  primaryKey: string[];
}

/** What the run asks of that table. */
export interface TableClaim {
  /** `Accounts.UserEvent` as joinery.json keys it. */
  label: string;
  /** The join's two key columns; undefined for a plain resource. */
  joinKeys: [string, string] | undefined;
  /** --force / --conflicts replace. */
  replace: boolean;
  /** joinery.json records this resource with this table: joinery made it. */
  recorded: boolean;
  /** --table, when given (messages name the flag that chose the table). */
  tableFlag: string | undefined;
  /** The columns the command declares, which a regenerated table keeps. */
  declared: string[];
  /** No key flag: a regenerated table keeps the key it has. */
  keepsKey: boolean;
}

/** Throws (exit 2, nothing planned yet) when the run must not take `existing` over. */
export function assertMayClaimTable(existing: ExistingTable, claim: TableClaim): void {
  if (claim.recorded) return;
  const { table, where } = existing;
  const via = claim.tableFlag ? `--table ${claim.tableFlag}: ` : '';
  if (claim.joinKeys && !isJoinOf(existing, claim.joinKeys)) {
    const [source, target] = claim.joinKeys;
    throw invalidInput(
      `${via}table ${table} (${where}) exists and is not a join of ${source} and ${target}; ${claim.label} would take it over.`,
      claim.tableFlag
        ? `Pass another --table name, or leave --table out for the default.`
        : `Pass --table <another_name> for the join.`,
    );
  }
  if (claim.replace) {
    const kept = [...claim.declared, ...(claim.keepsKey ? existing.primaryKey : [])];
    const dropped = (existing.columns ?? []).filter((column) => !kept.includes(column));
    const loss =
      existing.columns === undefined
        ? 'would rewrite it and drop whatever the command does not declare'
        : dropped.length > 0
          ? `would drop its columns ${dropped.join(', ')}`
          : 'would rewrite it';
    throw invalidInput(
      `--force: table ${table} (${where}) was not created by joinery (${MANIFEST_FILE} does not record ${claim.label}); regenerating it from the template ${loss}.`,
      'Drop --force (and --conflicts replace): joinery then adds only what the table lacks.',
    );
  }
}

/** Both key columns are there: the primary key's, or plain columns of a hand-written join. */
function isJoinOf(existing: ExistingTable, keys: [string, string]): boolean {
  const known = existing.columns ?? existing.primaryKey;
  return keys.every((key) => known.includes(key));
}
