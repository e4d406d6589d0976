/**
 * A join's keys are NOT NULL and cascade (README: join keys always cascade): a key column whose `.references(...)`
 * has no `onDelete: 'cascade'` (a hand-written join taken over) gets it, added to its options or
 * as them. Columns without `.references(...)` are `add-column-references.ts`'s; absent columns
 * are left alone. Adds the keys changed; `missing` when the columns object is not found.
 */
import type { CallExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { tableColumnsObject } from './add-table-columns.js';

export function cascadeJoinKeys(
  sourceFile: SourceFile,
  table: string,
  keys: string[],
): TransformResult {
  const { Node } = loadTsMorph();
  const columns = tableColumnsObject(sourceFile, table);
  if (!columns) return missing(`the columns object of ${table}`);
  const changed: string[] = [];
  for (const key of keys) {
    const property = columns.getProperty(key);
    if (!property || !Node.isPropertyAssignment(property)) continue;
    const call = referencesCall(property.getInitializer());
    if (!call) continue;
    const options = call.getArguments()[1];
    if (!options) {
      call.addArgument("{ onDelete: 'cascade' }");
      changed.push(key);
    } else if (Node.isObjectLiteralExpression(options)) {
      const onDelete = options.getProperty('onDelete');
      if (!onDelete) {
        options.addPropertyAssignment({ name: 'onDelete', initializer: "'cascade'" });
        changed.push(key);
      } else if (
        Node.isPropertyAssignment(onDelete) &&
        !/^['"`]cascade['"`]$/.test(onDelete.getInitializer()?.getText() ?? '')
      ) {
        onDelete.setInitializer("'cascade'");
        changed.push(key);
      }
    }
  }
  // NOT NULL too, as joinery's keys are: the composite key makes them so in SQL, and without
  // `.notNull()` drizzle types each loaded side as possibly null. One edit per pass, since
  // inserting text replaces the nodes.
  for (const key of keys) {
    const property = tableColumnsObject(sourceFile, table)?.getProperty(key);
    if (!property || !Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer || /\.notNull\s*\(/.test(initializer.getText())) continue;
    const builder = builderCall(initializer);
    if (!builder) continue;
    sourceFile.insertText(builder.getEnd(), '.notNull()');
    if (!changed.includes(key)) changed.push(key);
  }
  return added(...changed);
}

/** The innermost call of a column chain: the builder, `uuid("user_id")`. */
function builderCall(node: import('ts-morph').Node): CallExpression | undefined {
  const { Node } = loadTsMorph();
  let current: import('ts-morph').Node = node;
  let last: CallExpression | undefined;
  while (Node.isCallExpression(current)) {
    last = current;
    const callee = current.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) break;
    const inner = callee.getExpression();
    if (!Node.isCallExpression(inner)) break;
    current = inner;
  }
  return last;
}

/** The `.references(...)` call in a column's builder chain. */
function referencesCall(node: import('ts-morph').Node | undefined): CallExpression | undefined {
  const { Node } = loadTsMorph();
  let current = node;
  while (current && Node.isCallExpression(current)) {
    const callee = current.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    if (callee.getName() === 'references') return current;
    current = callee.getExpression();
  }
  return undefined;
}
