/**
 * Adds `index('<name>').on(t.<key>)` to a table's extra-config array, creating the
 * `(t) => [...]` argument when the table has none, and imports `index` from the core module when
 * told which. Nothing changes when an index on that column is there; `missing` when the table is
 * not found or its extra config is not an array (e.g. the old object form).
 */
import type { ArrayLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

export interface TableIndex {
  /** Table variable, `events`. */
  table: string;
  /** Column property, `organizerId`. */
  key: string;
  /** `events_organizer_id_idx`. */
  name: string;
  /** Where `index` comes from, `drizzle-orm/pg-core`: imported when the index is added. */
  coreModule?: string;
}

/** The table call's `(t) => [...]` array and its parameter name, created when absent. */
export function extraConfigArray(
  sourceFile: SourceFile,
  table: string,
): { array: ArrayLiteralExpression; parameter: string } | 'missing' | 'unsupported' {
  const { Node } = loadTsMorph();
  const call = sourceFile.getVariableDeclaration(table)?.getInitializer();
  if (!call || !Node.isCallExpression(call) || call.getArguments().length < 2) return 'missing';
  const extra = call.getArguments()[2];
  if (!extra) {
    call.addArgument('(t) => []');
    const arrow = call.getArguments()[2]!;
    const body = Node.isArrowFunction(arrow) ? arrow.getBody() : undefined;
    return body && Node.isArrayLiteralExpression(body)
      ? { array: body, parameter: 't' }
      : 'unsupported';
  }
  if (!Node.isArrowFunction(extra)) return 'unsupported';
  const parameter = extra.getParameters()[0]?.getName() ?? 't';
  let body = extra.getBody();
  while (Node.isParenthesizedExpression(body)) body = body.getExpression();
  return Node.isArrayLiteralExpression(body) ? { array: body, parameter } : 'unsupported';
}

/** What `extraConfigArray` could not read, as a transform's missing anchor. */
export function extraConfigAnchor(table: string, found: 'missing' | 'unsupported'): string {
  return found === 'missing'
    ? `the ${table} table call`
    : `the extra-config array of ${table} (its extra config is not an array)`;
}

/** An `index(...)`/`uniqueIndex(...)` element whose first column is `<parameter>.<key>`. */
export function indexesColumn(elements: string[], parameter: string, key: string): boolean {
  const on = new RegExp(`\\.on\\(\\s*${parameter}\\.${key}\\s*[,)]`);
  return elements.some((text) => /\bindex\s*\(/i.test(text) && on.test(text));
}

export function addTableIndex(sourceFile: SourceFile, index: TableIndex): TransformResult {
  const { Node } = loadTsMorph();
  // Look before creating the extra-config argument, so a complete table stays untouched.
  const call = sourceFile.getVariableDeclaration(index.table)?.getInitializer();
  const extra = call && Node.isCallExpression(call) ? call.getArguments()[2] : undefined;
  if (extra && indexesColumn([extra.getText()], '\\w+', index.key)) return present;
  const found = extraConfigArray(sourceFile, index.table);
  if (typeof found === 'string') return missing(extraConfigAnchor(index.table, found));
  const { array, parameter } = found;
  array.addElement(`index('${index.name}').on(${parameter}.${index.key})`);
  if (index.coreModule) ensureImport(sourceFile, index.coreModule, 'index');
  return added(`index ${index.name}`);
}
