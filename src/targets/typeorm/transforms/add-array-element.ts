import type { ArrayLiteralExpression } from 'ts-morph';
import { ensureImport } from '../../../transforms/ensure-import.js';
import { added, present, type TransformResult } from '../../../transforms/transform-result.js';

/**
 * Appends `name` to an array literal such as `entities: [User, Event]` or
 * `TypeOrmModule.forFeature([User])`, keeping a multi-line array multi-line, and imports it from
 * `imports.from` (a module specifier) when given. Nothing changes when the array already lists it.
 */
export function addArrayElement(
  array: ArrayLiteralExpression,
  name: string,
  imports?: { from: string },
): TransformResult {
  if (array.getElements().some((element) => element.getText() === name)) return present;
  const sourceFile = array.getSourceFile();
  array.addElement(name, { useNewLines: array.getText().includes('\n') });
  if (imports) ensureImport(sourceFile, imports.from, name);
  return added(name);
}
