/**
 * Puts `@Index()` on a key property when no index covers it: a join entity's second key (the
 * composite primary key only serves lookups by the first) or a belongs_to's foreign-key column.
 * An `@Index` on the property, or a class-level `@Index([...])` naming it first, counts as
 * present. The decorator goes right after the property's column decorator; with `imports`, `Index`
 * is imported from `imports.orm`.
 */
import type { ClassDeclaration, SourceFile } from 'ts-morph';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

export function addKeyIndex(
  sourceFile: SourceFile,
  className: string,
  property: string,
  imports?: { orm: string },
): TransformResult {
  const declaration = sourceFile.getClass(className);
  const member = declaration?.getProperty(property);
  if (!declaration) return missing(`class ${className}`);
  if (!member) return missing(`${className}.${property}`);
  if (hasKeyIndex(declaration, property)) return present;
  const column = member.getDecorator('PrimaryColumn') ?? member.getDecorator('Column');
  const index = column ? member.getDecorators().indexOf(column) + 1 : 0;
  member.insertDecorator(index, { name: 'Index', arguments: [] });
  if (imports) ensureImport(sourceFile, imports.orm, 'Index');
  return added(`index on ${className}.${property}`);
}

/** An index leads with `property`: `@Index()` on it, or a class-level `@Index(['property', ...])`. */
export function hasKeyIndex(declaration: ClassDeclaration, property: string): boolean {
  if (declaration.getProperty(property)?.getDecorator('Index')) return true;
  return declaration
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
}
