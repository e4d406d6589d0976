/**
 * Puts `@Index()` back on a join entity's second key property when no index covers it (the
 * lookup by that key needs one; the composite primary key only serves the first). An `@Index`
 * on the property, or a class-level `@Index([...])` naming it first, counts as present.
 */
import type { SourceFile } from 'ts-morph';

export type PatchResult = 'added' | 'present' | 'missing';

export function addKeyIndex(
  sourceFile: SourceFile,
  className: string,
  property: string,
): PatchResult {
  const declaration = sourceFile.getClass(className);
  const member = declaration?.getProperty(property);
  if (!declaration || !member) return 'missing';
  if (member.getDecorator('Index')) return 'present';
  const classLevel = declaration
    .getDecorators()
    .filter((decorator) => decorator.getName() === 'Index')
    .some((decorator) =>
      new RegExp(`^\\[\\s*['"\`]${property}['"\`]`).test(
        decorator
          .getArguments()
          .map((arg) => arg.getText())
          .find((text) => text.startsWith('[')) ?? '',
      ),
    );
  if (classLevel) return 'present';
  const primary = member.getDecorator('PrimaryColumn');
  const index = primary ? member.getDecorators().indexOf(primary) + 1 : 0;
  member.insertDecorator(index, { name: 'Index', arguments: [] });
  return 'added';
}
