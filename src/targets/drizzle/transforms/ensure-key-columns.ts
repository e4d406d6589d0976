/**
 * Puts a join table's two key columns back as joinery recorded them, where that loses nothing:
 *
 *   userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
 *
 * A key column removed by hand comes back (its migration still creates it, so the schema and the
 * migrations agree again); a removed `.notNull()` comes back; an `onDelete` rule other than
 * `cascade` is set back to `cascade`. A `.references(...)` that is missing entirely is left to
 * `addColumnReferences`. What cannot be put back without overriding a deliberate change (another
 * builder, i.e. another SQL type, or another SQL column name) is changed nowhere and returned as a
 * conflict for the caller to report.
 */
import type { CallExpression, Expression, Node as TsNode, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { tableColumnsObject } from './add-table-columns.js';

export interface KeyColumn {
  /** Property in the columns object: `userId`. */
  key: string;
  /** Its SQL name when the table names its columns (`user_id`); undefined under `casing`. */
  sqlName: string | undefined;
  /** The column builder, which decides the SQL type: `uuid`, `integer`, `varchar`. */
  builder: string;
  /** The whole expression, to put back a removed column. */
  expression: string;
  /** Where it goes back among the columns (0 for the first key). */
  index: number;
}

/** A difference the transform leaves alone: where it is, what was recorded, what is there. */
export interface KeyColumnConflict {
  key: string;
  line: number;
  what: 'type' | 'column name';
  expected: string;
  found: string;
}

export interface KeyColumnsResult {
  result: TransformResult;
  conflicts: KeyColumnConflict[];
}

export function ensureKeyColumns(
  sourceFile: SourceFile,
  table: string,
  keys: KeyColumn[],
): KeyColumnsResult {
  const { Node } = loadTsMorph();
  const columns = tableColumnsObject(sourceFile, table);
  if (!columns) return { result: missing(`the columns object of ${table}`), conflicts: [] };
  const addedParts: string[] = [];
  const conflicts: KeyColumnConflict[] = [];
  for (const key of keys) {
    const property = columns.getProperty(key.key);
    if (!property) {
      columns.insertPropertyAssignment(Math.min(key.index, columns.getProperties().length), {
        name: key.key,
        initializer: key.expression,
      });
      addedParts.push(`column ${key.key}`);
      continue;
    }
    if (!Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer) continue;
    const root = rootCall(initializer);
    if (!root) continue;
    const line = property.getStartLineNumber();
    const builder = builderName(root);
    const nameArgument = root.getArguments()[0];
    const sqlName =
      nameArgument && Node.isStringLiteral(nameArgument)
        ? nameArgument.getLiteralValue()
        : undefined;
    if (builder !== key.builder) {
      conflicts.push({ key: key.key, line, what: 'type', expected: key.builder, found: builder });
      continue;
    }
    if (key.sqlName !== undefined && sqlName !== undefined && sqlName !== key.sqlName) {
      conflicts.push({
        key: key.key,
        line,
        what: 'column name',
        expected: key.sqlName,
        found: sqlName,
      });
      continue;
    }
    const text = initializer.getText();
    const start = initializer.getStart();
    // Edits as [offset in text, length replaced, new text], applied from the end.
    const edits: [number, number, string][] = [];
    if (!calls(initializer).some((call) => methodName(call) === 'notNull')) {
      edits.push([root.getEnd() - start, 0, '.notNull()']);
      addedParts.push(`not null ${key.key}`);
    }
    const references = calls(initializer).find((call) => methodName(call) === 'references');
    if (references) {
      const options = references.getArguments()[1];
      const quote = text.includes('"') && !text.includes("'") ? '"' : "'";
      if (options && Node.isObjectLiteralExpression(options)) {
        const onDelete = options.getProperty('onDelete');
        const value = onDelete && Node.isPropertyAssignment(onDelete) && onDelete.getInitializer();
        if (!value) {
          const at = options.getEnd() - 1 - start;
          const comma = options.getProperties().length > 0 ? ', ' : ' ';
          edits.push([at, 0, `${comma}onDelete: ${quote}cascade${quote} `]);
          addedParts.push(`on delete ${key.key}`);
        } else if (!(Node.isStringLiteral(value) && value.getLiteralValue() === 'cascade')) {
          edits.push([value.getStart() - start, value.getWidth(), `${quote}cascade${quote}`]);
          addedParts.push(`on delete ${key.key}`);
        }
      } else if (!options) {
        const at = references.getEnd() - 1 - start;
        edits.push([at, 0, `, { onDelete: ${quote}cascade${quote} }`]);
        addedParts.push(`on delete ${key.key}`);
      }
    }
    if (edits.length === 0) continue;
    let next = text;
    for (const [at, length, insert] of edits.sort((a, b) => b[0] - a[0])) {
      next = next.slice(0, at) + insert + next.slice(at + length);
    }
    property.setInitializer(next);
  }
  return { result: added(...addedParts), conflicts };
}

/** The calls of a builder chain, outermost first: `.references(...)`, `.notNull()`, `uuid(...)`. */
function calls(expression: Expression): CallExpression[] {
  const { Node } = loadTsMorph();
  const found: CallExpression[] = [];
  let node: TsNode = expression;
  for (;;) {
    if (Node.isCallExpression(node)) {
      found.push(node);
      node = node.getExpression();
    } else if (Node.isPropertyAccessExpression(node)) {
      node = node.getExpression();
    } else {
      return found;
    }
  }
}

/** The builder call the chain starts from: `uuid('user_id')`, or `d.uuid()` in a columns callback. */
function rootCall(expression: Expression): CallExpression | undefined {
  const { Node } = loadTsMorph();
  const root = calls(expression).at(-1);
  const callee = root?.getExpression();
  if (!callee) return undefined;
  const builder =
    Node.isIdentifier(callee) ||
    (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression()));
  return builder ? root : undefined;
}

/** `uuid` of `uuid('user_id')` and of `d.uuid()`. */
function builderName(root: CallExpression): string {
  const { Node } = loadTsMorph();
  const callee = root.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
}

function methodName(call: CallExpression): string | undefined {
  const { Node } = loadTsMorph();
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}
