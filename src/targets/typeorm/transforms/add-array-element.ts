import type { ArrayLiteralExpression } from 'ts-morph';

/**
 * Appends `name` to an array literal such as `entities: [User, Event]` or
 * `TypeOrmModule.forFeature([User])`, keeping a multi-line array multi-line. Nothing changes
 * when the array already lists it.
 */
export function addArrayElement(array: ArrayLiteralExpression, name: string): boolean {
  if (array.getElements().some((element) => element.getText() === name)) return false;
  array.addElement(name, { useNewLines: array.getText().includes('\n') });
  return true;
}
