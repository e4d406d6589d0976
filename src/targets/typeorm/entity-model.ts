/**
 * The parsed half of the TypeORM scan: `@Entity` classes, their table names and primary keys,
 * read with ts-morph from the candidate files only.
 */
import type {
  ClassDeclaration,
  Decorator,
  Node as TsNode,
  ObjectLiteralExpression,
  SourceFile,
} from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import { snakeCase } from '../../rules/naming.js';
import type { PrimaryKeyColumn } from './column-types.js';

export interface TypeormEntity {
  file: string;
  className: string;
  /** SQL table name: the `@Entity` name, else what TypeORM's naming strategy derives. */
  tableName: string;
  primaryKeys: PrimaryKeyColumn[];
  line: number;
}

/** Could this text declare an entity? (The cheap prefilter.) */
export function mayHoldEntity(text: string): boolean {
  return /@Entity\s*\(/.test(text);
}

/** Classes after `@Entity(...)` with their lines, by text only: for messages that list what was seen. */
export function entityClassNamesIn(text: string): { className: string; line: number }[] {
  return [
    ...text.matchAll(
      /@Entity\s*\([^)]*\)\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/g,
    ),
  ].map((match) => ({
    className: match[1]!,
    line: text.slice(0, match.index).split('\n').length,
  }));
}

export interface NamingStyle {
  /** Columns named by a snake-case naming strategy (`typeorm-naming-strategies`). */
  snakeColumns: boolean;
}

export function readEntities(sourceFile: SourceFile, naming: NamingStyle): TypeormEntity[] {
  const entities: TypeormEntity[] = [];
  for (const declaration of sourceFile.getClasses()) {
    const decorator = declaration.getDecorator('Entity');
    const name = declaration.getName();
    if (!decorator || !name) continue;
    entities.push({
      file: sourceFile.getFilePath(),
      className: name,
      tableName: entityTableName(decorator) ?? snakeCase(name),
      primaryKeys: primaryKeysOf(declaration, naming),
      line: declaration.getStartLineNumber(),
    });
  }
  return entities;
}

/** `@Entity('users')`, `@Entity({ name: 'users' })`. */
function entityTableName(decorator: Decorator): string | undefined {
  const { Node } = loadTsMorph();
  const [first] = decorator.getArguments();
  if (!first) return undefined;
  if (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first))
    return first.getLiteralValue();
  if (Node.isObjectLiteralExpression(first)) return literalOption(first, 'name');
  return undefined;
}

function primaryKeysOf(declaration: ClassDeclaration, naming: NamingStyle): PrimaryKeyColumn[] {
  const { Node } = loadTsMorph();
  const keys: PrimaryKeyColumn[] = [];
  for (const property of declaration.getProperties()) {
    const generated = property.getDecorator('PrimaryGeneratedColumn');
    const primary = generated ?? property.getDecorator('PrimaryColumn');
    if (!primary) continue;
    const args = primary.getArguments();
    const stringArg = args.find(
      (arg) => Node.isStringLiteral(arg) || Node.isNoSubstitutionTemplateLiteral(arg),
    ) as { getLiteralValue(): string } | undefined;
    const options = args.find((arg): arg is ObjectLiteralExpression =>
      Node.isObjectLiteralExpression(arg),
    );
    const tsType = property.getTypeNode()?.getText();
    let strategy: string | undefined;
    let type = options ? literalOption(options, 'type') : undefined;
    if (generated) {
      strategy = stringArg?.getLiteralValue() ?? 'increment';
      type ??= strategy === 'uuid' ? 'uuid' : 'int';
    } else {
      type ??= stringArg?.getLiteralValue() ?? typeFromTs(tsType);
    }
    const propertyName = property.getName();
    keys.push({
      property: propertyName,
      columnName:
        (options && literalOption(options, 'name')) ??
        (naming.snakeColumns ? snakeCase(propertyName) : propertyName),
      type,
      length: options ? literalOption(options, 'length', true) : undefined,
      generated: strategy,
      tsType,
      line: property.getStartLineNumber(),
    });
  }
  return keys;
}

/** What TypeORM infers from the design type when `@PrimaryColumn()` names no type. */
function typeFromTs(tsType: string | undefined): string {
  if (tsType === 'number') return 'int';
  return 'varchar';
}

/** A string (or, with `numbers`, numeric) literal option of a decorator's options object. */
function literalOption(
  object: ObjectLiteralExpression,
  name: string,
  numbers = false,
): string | undefined {
  const { Node } = loadTsMorph();
  const property = object.getProperty(name);
  if (!property || !Node.isPropertyAssignment(property)) return undefined;
  let value: TsNode | undefined = property.getInitializer();
  while (value && (Node.isAsExpression(value) || Node.isSatisfiesExpression(value)))
    value = value.getExpression();
  if (!value) return undefined;
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))
    return value.getLiteralValue();
  if (numbers && Node.isNumericLiteral(value)) return value.getLiteralText();
  return undefined;
}
