/**
 * The parsed half of the TypeORM scan: `@Entity` classes, their table names and primary keys,
 * read with ts-morph from the candidate files only.
 */
import type {
  ClassDeclaration,
  ClassExpression,
  Decorator,
  FunctionDeclaration,
  Node as TsNode,
  ObjectLiteralExpression,
  SourceFile,
} from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import { snakeCase } from '../../rules/naming.js';
import type { PrimaryKeyColumn } from './column-types.js';
import { COLUMN_DECORATORS } from './transforms/add-entity-columns.js';

export interface TypeormEntity {
  file: string;
  className: string;
  /** SQL table name: the `@Entity` name, else what TypeORM's naming strategy derives. */
  tableName: string;
  /** `@Entity()` with no name: the table is what the naming strategy derives from the class. */
  defaultTableName: boolean;
  /** `@Entity({ schema: 'app' })` / `@Entity('users', { schema: 'app' })`, when it names one. */
  schema?: string;
  primaryKeys: PrimaryKeyColumn[];
  /** SQL names of its columns, inherited ones too (for reading the project's naming). */
  columns: string[];
  line: number;
}

/** Could this text declare an entity? (The cheap prefilter.) */
export function mayHoldEntity(text: string): boolean {
  return /@Entity\s*\(/.test(text);
}

/**
 * Classes after `@Entity(...)` with their lines, by text only: for messages that list what was
 * seen and for placing new entities beside their siblings. Other decorators may stand between
 * `@Entity` and the class (`@Index(...)`, `@ObjectType()`): the next `class` is the decorated one.
 */
export function entityClassNamesIn(text: string): { className: string; line: number }[] {
  return [
    ...text.matchAll(
      /@Entity\s*\([\s\S]*?\b(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/g,
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

/**
 * The parsed module a file imports by `specifier` (relative, or through tsconfig `baseUrl` /
 * `paths`), or undefined when it is no source file of the project. Base entities and mixins live
 * in files with no `@Entity`, which the scan does not parse up front.
 */
export type ModuleLoader = (fromFile: string, specifier: string) => SourceFile | undefined;

export function readEntities(
  sourceFile: SourceFile,
  naming: NamingStyle,
  load: ModuleLoader = () => undefined,
): TypeormEntity[] {
  const entities: TypeormEntity[] = [];
  for (const declaration of sourceFile.getClasses()) {
    const decorator = declaration.getDecorator('Entity');
    const name = declaration.getName();
    if (!decorator || !name) continue;
    const owners = inheritedClasses(declaration, load);
    const tableName = entityTableName(decorator);
    const schema = entitySchema(decorator);
    entities.push({
      file: sourceFile.getFilePath(),
      className: name,
      tableName: tableName ?? snakeCase(name),
      defaultTableName: tableName === undefined,
      ...(schema ? { schema } : {}),
      primaryKeys: owners.flatMap((owner) => primaryKeysOf(owner, naming)),
      columns: owners.flatMap((owner) => columnNamesOf(owner, naming)),
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

/** The `schema` of the options object, the first argument or the second (after the name). */
function entitySchema(decorator: Decorator): string | undefined {
  const { Node } = loadTsMorph();
  const options = decorator.getArguments().find(Node.isObjectLiteralExpression);
  return options ? literalOption(options, 'schema') : undefined;
}

/**
 * The class and every class it inherits columns from, nearest first: `extends AbstractEntity`
 * (declared here or imported), and mixins, `extends SoftDeletable(AbstractEntity)`, whose
 * function's classes add columns and whose arguments are bases in turn. TypeORM reads the
 * columns of every class in the prototype chain, so the primary key may live in any of them.
 */
function inheritedClasses(declaration: ClassLike, load: ModuleLoader): ClassLike[] {
  const { Node } = loadTsMorph();
  const found: ClassLike[] = [];
  const seen = new Set<TsNode>();
  const visit = (owner: ClassLike): void => {
    if (seen.has(owner) || found.length > 32) return;
    seen.add(owner);
    found.push(owner);
    const heritage = owner.getExtends()?.getExpression();
    if (heritage) visitExpression(heritage, owner.getSourceFile());
  };
  const visitExpression = (expression: TsNode, file: SourceFile): void => {
    if (Node.isCallExpression(expression)) {
      const mixin = declarationOf(expression.getExpression().getText(), file, load);
      if (mixin && !Node.isClassDeclaration(mixin)) {
        const { SyntaxKind } = loadTsMorph();
        for (const inner of [
          ...mixin.getDescendantsOfKind(SyntaxKind.ClassDeclaration),
          ...mixin.getDescendantsOfKind(SyntaxKind.ClassExpression),
        ]) {
          if (seen.has(inner)) continue;
          seen.add(inner);
          found.push(inner);
        }
      }
      for (const argument of expression.getArguments()) visitExpression(argument, file);
      return;
    }
    if (!Node.isIdentifier(expression) && !Node.isPropertyAccessExpression(expression)) return;
    const base = declarationOf(expression.getText(), file, load);
    if (base && Node.isClassDeclaration(base)) visit(base);
  };
  visit(declaration);
  return found;
}

type ClassLike = ClassDeclaration | ClassExpression;

/**
 * The class or function `name` refers to in `file`: declared there, or imported by name from a
 * module the loader can parse (re-exports are not followed beyond `export { X } from`).
 */
function declarationOf(
  name: string,
  file: SourceFile,
  load: ModuleLoader,
  depth = 0,
): ClassDeclaration | FunctionDeclaration | undefined {
  if (depth > 4 || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const local = file.getClass(name) ?? file.getFunction(name);
  if (local) return local;
  const follow = (imported: string, specifier: string | undefined) => {
    const target = specifier ? load(file.getFilePath(), specifier) : undefined;
    return target && declarationOf(imported, target, load, depth + 1);
  };
  for (const declaration of file.getImportDeclarations()) {
    const named = declaration
      .getNamedImports()
      .find((element) => (element.getAliasNode()?.getText() ?? element.getName()) === name);
    if (named) return follow(named.getName(), declaration.getModuleSpecifierValue());
  }
  for (const declaration of file.getExportDeclarations()) {
    const named = declaration.getNamedExports().find((element) => element.getName() === name);
    if (named) return follow(name, declaration.getModuleSpecifierValue());
  }
  return undefined;
}

function primaryKeysOf(declaration: ClassLike, naming: NamingStyle): PrimaryKeyColumn[] {
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
      file: declaration.getSourceFile().getFilePath(),
    });
  }
  return keys;
}

/**
 * The SQL names of a class's own columns: `name:` when given (a `@JoinColumn`'s too), else the
 * property as the naming strategy maps it (TypeORM's default keeps `createdAt`).
 */
function columnNamesOf(declaration: ClassLike, naming: NamingStyle): string[] {
  const { Node } = loadTsMorph();
  return declaration.getProperties().flatMap((property) => {
    const decorator = property
      .getDecorators()
      .find(
        (candidate) =>
          COLUMN_DECORATORS.has(candidate.getName()) || candidate.getName() === 'JoinColumn',
      );
    if (!decorator) return [];
    const options = decorator
      .getArguments()
      .find((arg): arg is ObjectLiteralExpression => Node.isObjectLiteralExpression(arg));
    const named = options && literalOption(options, 'name');
    // A relation's join column without a name is the relation and key (`authorId`): unknown here.
    if (decorator.getName() === 'JoinColumn') return named ? [named] : [];
    const propertyName = property.getName();
    return [named ?? (naming.snakeColumns ? snakeCase(propertyName) : propertyName)];
  });
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
