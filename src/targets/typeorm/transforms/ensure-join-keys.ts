/**
 * Puts a join entity's keys back as joinery recorded them, where that loses nothing: a removed
 * `@PrimaryColumn` key property (its migration still creates the column), and on each
 * `@ManyToOne` the `onDelete: 'CASCADE'` rule (set back when changed, added when removed). The
 * `@ManyToOne` itself, when removed, is `addManyToOne`'s. A key whose column type or name was
 * changed by hand is changed nowhere and returned as a conflict for the caller to report.
 */
import type { Decorator, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { addEntityColumns, type EntityColumn } from './add-entity-columns.js';

export interface JoinKeyColumn extends EntityColumn {
  /** The column type as the first `@PrimaryColumn` argument spells it: `uuid`, `integer`. */
  type: string;
}

export interface JoinKeyConflict {
  property: string;
  line: number;
  what: 'type' | 'column name';
  expected: string;
  found: string;
}

export function ensureJoinKeys(
  sourceFile: SourceFile,
  className: string,
  keys: JoinKeyColumn[],
  /** Properties of the two `@ManyToOne` relations: `user`, `event`. */
  relations: string[],
  orm: string,
): { result: TransformResult; conflicts: JoinKeyConflict[] } {
  const { Node } = loadTsMorph();
  const declaration = sourceFile.getClass(className);
  if (!declaration) return { result: missing(`class ${className}`), conflicts: [] };
  const conflicts: JoinKeyConflict[] = [];
  const restored: string[] = [];
  const absent: JoinKeyColumn[] = [];
  for (const key of keys) {
    const property = declaration.getProperty(key.property);
    const decorator = property?.getDecorator('PrimaryColumn');
    if (!property || !decorator) {
      if (!property) absent.push(key);
      continue;
    }
    const [first, second] = decorator.getArguments();
    const type = first && Node.isStringLiteral(first) ? first.getLiteralValue() : undefined;
    const options = [first, second].find((arg) => arg && Node.isObjectLiteralExpression(arg));
    const name =
      options && Node.isObjectLiteralExpression(options)
        ? stringOption(options, 'name')
        : undefined;
    const line = property.getStartLineNumber();
    if (type !== undefined && type !== key.type) {
      conflicts.push({
        property: key.property,
        line,
        what: 'type',
        expected: key.type,
        found: type,
      });
    } else if (name !== undefined && name !== key.columnName) {
      conflicts.push({
        property: key.property,
        line,
        what: 'column name',
        expected: key.columnName,
        found: name,
      });
    }
  }
  if (absent.length > 0) {
    addEntityColumns(sourceFile, className, absent, { orm });
    restored.push(...absent.map((key) => `column ${key.columnName}`));
  }
  for (const relation of relations) {
    const decorator = declaration.getProperty(relation)?.getDecorator('ManyToOne');
    if (decorator && ensureCascade(decorator)) restored.push(`on delete ${relation}`);
  }
  return { result: added(...restored), conflicts };
}

function stringOption(options: ObjectLiteralExpression, name: string): string | undefined {
  const { Node } = loadTsMorph();
  const property = options.getProperty(name);
  const value =
    property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  return value && Node.isStringLiteral(value) ? value.getLiteralValue() : undefined;
}

/** `onDelete: 'CASCADE'` in the `@ManyToOne` options; true when it had to be set. */
function ensureCascade(decorator: Decorator): boolean {
  const { Node } = loadTsMorph();
  const args = decorator.getArguments();
  const options = args.slice(1).find((arg) => Node.isObjectLiteralExpression(arg));
  const quote = decorator.getText().includes('"') && !decorator.getText().includes("'") ? '"' : "'";
  const cascade = `${quote}CASCADE${quote}`;
  if (!options || !Node.isObjectLiteralExpression(options)) {
    decorator.addArgument(`{ onDelete: ${cascade} }`);
    return true;
  }
  const property = options.getProperty('onDelete');
  if (!property) {
    options.addPropertyAssignment({ name: 'onDelete', initializer: cascade });
    return true;
  }
  const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  if (value && Node.isStringLiteral(value) && value.getLiteralValue() === 'CASCADE') return false;
  if (Node.isPropertyAssignment(property)) property.setInitializer(cascade);
  return true;
}
