/**
 * Adds column properties an entity class lacks, after its last column property:
 *
 *   @Column('varchar')
 *   role!: string;
 *
 * A column counts as present when a property has its name, or a decorator option
 * `name: '<column>'`. Everything else in the class (the user's own members) stays as it is.
 * With `imports`, the decorators the new properties use are imported from `imports.orm`.
 * Returns the column names added, or missing when the class is not in the file.
 */
import type { ClassDeclaration, PropertyDeclaration, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';

export interface EntityColumn {
  /** SQL name, `joined_at`. */
  columnName: string;
  /** `joinedAt`. */
  property: string;
  /** `Column`, `CreateDateColumn`, `UpdateDateColumn`. */
  decorator: string;
  /** Decorator arguments as source text. */
  args: string;
  tsType: string;
}

/** The decorators that map a property to a column. */
export const COLUMN_DECORATORS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
]);

/** The `name:` option of a property's column decorator, when it is a string literal. */
function declaredColumnName(property: PropertyDeclaration): string | undefined {
  const { Node } = loadTsMorph();
  for (const decorator of property.getDecorators()) {
    for (const arg of decorator.getArguments()) {
      if (!Node.isObjectLiteralExpression(arg)) continue;
      const name = arg.getProperty('name');
      const value = name && Node.isPropertyAssignment(name) ? name.getInitializer() : undefined;
      if (value && Node.isStringLiteral(value)) return value.getLiteralValue();
    }
  }
  return undefined;
}

export function hasColumn(declaration: ClassDeclaration, column: EntityColumn): boolean {
  return declaration
    .getProperties()
    .some(
      (property) =>
        property.getName() === column.property ||
        declaredColumnName(property) === column.columnName ||
        (property.getName() === column.columnName && declaredColumnName(property) === undefined),
    );
}

export function addEntityColumns(
  sourceFile: SourceFile,
  className: string,
  columns: EntityColumn[],
  imports?: { orm: string },
): TransformResult {
  if (!sourceFile.getClass(className)) return missing(`class ${className}`);
  const addedColumns: EntityColumn[] = [];
  for (const column of columns) {
    // Inserting text forgets earlier nodes: look the class up again each time.
    const declaration = sourceFile.getClass(className)!;
    if (hasColumn(declaration, column)) continue;
    const properties = declaration.getProperties();
    const anchor =
      properties
        .filter((property) =>
          property.getDecorators().some((decorator) => COLUMN_DECORATORS.has(decorator.getName())),
        )
        .at(-1) ?? properties.at(-1);
    const semicolon = (anchor ?? declaration).getText().includes(';') || !anchor ? ';' : '';
    const member = `@${column.decorator}(${column.args})`;
    const property = `${column.property}!: ${column.tsType}${semicolon}`;
    if (anchor) {
      // Right after the anchor, a blank line apart, as decorated members usually are; the
      // whitespace that followed the anchor now follows the new member.
      const indent = anchor.getIndentationText();
      sourceFile.insertText(anchor.getEnd(), `\n\n${indent}${member}\n${indent}${property}`);
    } else {
      declaration.insertMember(0, `${member}\n${property}`);
    }
    addedColumns.push(column);
  }
  if (imports) {
    for (const column of addedColumns) ensureImport(sourceFile, imports.orm, column.decorator);
  }
  return added(...addedColumns.map((column) => column.columnName));
}
