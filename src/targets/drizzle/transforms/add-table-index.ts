/**
 * Adds `index('<name>').on(t.<key>)` to a table's extra-config array, creating the
 * `(t) => [...]` argument when the table has none, and imports `index` from the core module when
 * told which (a property of the old object form `(t) => ({ ... })` when the table writes it so).
 * Nothing changes when an index on that column is there; `missing` when the table is not found
 * or its extra config is neither form.
 */
import type { ArrayLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { camelCase } from '../../../rules/naming.js';
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

/**
 * A table's extra config, read for what it holds and added to: the `(t) => [...]` array, or the
 * object form older projects write (`(table) => ({ pk: primaryKey(...), byTag: index(...) })`),
 * where each addition gets a property named after it.
 */
export interface ExtraConfig {
  /** The parameter the config's callback names the columns by: `t`, `table`. */
  parameter: string;
  /** Each element's (or property value's) source text. */
  elements: string[];
  /** Adds `text` at the end (or `first`); `name` is the object form's property name. */
  add(text: string, name: string, options?: { first?: boolean }): void;
}

/** The table call's extra config, created as `(t) => []` when the table has none. */
export function extraConfigArray(
  sourceFile: SourceFile,
  table: string,
): ExtraConfig | 'missing' | 'unsupported' {
  const { Node } = loadTsMorph();
  const call = sourceFile.getVariableDeclaration(table)?.getInitializer();
  if (!call || !Node.isCallExpression(call) || call.getArguments().length < 2) return 'missing';
  if (!call.getArguments()[2]) call.addArgument('(t) => []');
  const extra = call.getArguments()[2]!;
  if (!Node.isArrowFunction(extra)) return 'unsupported';
  const parameter = extra.getParameters()[0]?.getName() ?? 't';
  let body = extra.getBody();
  while (Node.isParenthesizedExpression(body)) body = body.getExpression();
  if (Node.isArrayLiteralExpression(body)) {
    const array: ArrayLiteralExpression = body;
    return {
      parameter,
      elements: array.getElements().map((element) => element.getText()),
      add: (text, _name, options) =>
        options?.first ? array.insertElement(0, text) : array.addElement(text),
    };
  }
  if (Node.isObjectLiteralExpression(body)) {
    const object = body;
    return {
      parameter,
      elements: object
        .getProperties()
        .map((property) =>
          Node.isPropertyAssignment(property)
            ? (property.getInitializer()?.getText() ?? '')
            : property.getText(),
        ),
      add: (text, name, options) => {
        const property = { name, initializer: text };
        if (options?.first) object.insertPropertyAssignment(0, property);
        else object.addPropertyAssignment(property);
      },
    };
  }
  return 'unsupported';
}

/** What `extraConfigArray` could not read, as a transform's missing anchor. */
export function extraConfigAnchor(table: string, found: 'missing' | 'unsupported'): string {
  return found === 'missing'
    ? `the ${table} table call`
    : `the extra config of ${table} (neither an array nor an object)`;
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
  found.add(`index('${index.name}').on(${found.parameter}.${index.key})`, camelCase(index.name));
  if (index.coreModule) ensureImport(sourceFile, index.coreModule, 'index');
  return added(`index ${index.name}`);
}
