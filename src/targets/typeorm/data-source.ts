/**
 * Reads how a TypeORM project is configured, without running it: the options object given to
 * `new DataSource(...)`, to NestJS `TypeOrmModule.forRoot(...)` (or returned by a forRootAsync
 * factory), or kept in a variable, and the `TypeOrmModule.forFeature([...])` lists of NestJS
 * modules. Only static values are read; anything computed at run time is reported as opaque.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type {
  ArrayLiteralExpression,
  Node as TsNode,
  ObjectLiteralExpression,
  SourceFile,
} from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import type { TypeormDialect } from './column-types.js';

export interface ListSpec {
  /** The array literal joinery may extend; undefined when the list is not a literal. */
  array: ArrayLiteralExpression | undefined;
  /** Identifiers listed (entity or migration classes). */
  classes: string[];
  /** Absolute, POSIX-style globs or paths listed. */
  globs: string[];
  /** Elements joinery cannot evaluate (spreads, calls, variables from elsewhere). */
  opaque: boolean;
  line: number;
}

export interface OrmOptions {
  file: string;
  line: number;
  /** `data-source`: `new DataSource({...})`; `nest-root`: `TypeOrmModule.forRoot{,Async}`. */
  kind: 'data-source' | 'nest-root' | 'options';
  /** The `type` option as written (`postgres`, `better-sqlite3`, ...), when static. */
  driverType: string | undefined;
  entities: ListSpec | undefined;
  migrations: ListSpec | undefined;
  autoLoadEntities: boolean;
  /** Source text of `namingStrategy`, e.g. `new SnakeNamingStrategy()`. */
  namingStrategy: string | undefined;
  /** The `schema` option (PostgreSQL): where entities that name none live. */
  schema: string | undefined;
}

export interface FeatureList {
  file: string;
  line: number;
  array: ArrayLiteralExpression;
  classes: string[];
}

const DRIVER_DIALECTS: Record<string, TypeormDialect> = {
  postgres: 'postgres',
  'aurora-postgres': 'postgres',
  cockroachdb: 'postgres',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  // @n8n/typeorm's pooled SQLite driver
  'sqlite-pooled': 'sqlite',
  sqljs: 'sqlite',
  capacitor: 'sqlite',
  cordova: 'sqlite',
  expo: 'sqlite',
  nativescript: 'sqlite',
  'react-native': 'sqlite',
  mysql: 'mysql',
  'aurora-mysql': 'mysql',
  mariadb: 'mariadb',
};

export function dialectOfDriver(driverType: string): TypeormDialect | undefined {
  return DRIVER_DIALECTS[driverType];
}

/** Could this text configure TypeORM? (The cheap prefilter.) */
export function mayHoldOrmOptions(text: string): boolean {
  return /new\s+DataSource\s*\(|\.forRoot(?:Async)?\s*\(|\.forFeature\s*\(|DataSourceOptions|TypeOrmModuleOptions|\bentities\s*:/.test(
    text,
  );
}

const OPTION_KEYS = ['entities', 'migrations', 'autoLoadEntities'];

/** Where the project compiles to, from tsconfig: globs into it stand for the sources. */
export interface OutputLayout {
  root: string;
  outDir?: string;
  rootDir?: string;
}

/** `layout` may be the project root alone (no tsconfig output settings). */
export function readOrmOptions(
  sourceFile: SourceFile,
  rootOrLayout: OutputLayout | string,
): OrmOptions[] {
  const layout = typeof rootOrLayout === 'string' ? { root: rootOrLayout } : rootOrLayout;
  const { SyntaxKind } = loadTsMorph();
  const found: OrmOptions[] = [];
  for (const object of sourceFile.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
    const driverType = stringProperty(object, 'type');
    const isOptions =
      OPTION_KEYS.some((key) => object.getProperty(key)) ||
      (driverType !== undefined &&
        dialectOfDriver(driverType) !== undefined &&
        hasConnectionKey(object));
    if (!isOptions) continue;
    found.push({
      file: sourceFile.getFilePath(),
      line: object.getStartLineNumber(),
      kind: optionsKind(object),
      driverType,
      entities: listProperty(object, 'entities', sourceFile, layout),
      migrations: listProperty(object, 'migrations', sourceFile, layout),
      autoLoadEntities: object.getProperty('autoLoadEntities')?.getText().endsWith('true') ?? false,
      namingStrategy: propertyInitializer(object, 'namingStrategy')?.getText(),
      schema: stringProperty(object, 'schema'),
    });
  }
  return found;
}

export function readFeatureLists(sourceFile: SourceFile): FeatureList[] {
  const { Node, SyntaxKind } = loadTsMorph();
  const lists: FeatureList[] = [];
  for (const call of sourceFile.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'forFeature') continue;
    if (!/TypeOrmModule$/.test(callee.getExpression().getText())) continue;
    const array = call.getArguments()[0];
    if (!array || !Node.isArrayLiteralExpression(array)) continue;
    lists.push({
      file: sourceFile.getFilePath(),
      line: call.getStartLineNumber(),
      array,
      classes: array
        .getElements()
        .filter(Node.isIdentifier)
        .map((element) => element.getText()),
    });
  }
  return lists;
}

function hasConnectionKey(object: ObjectLiteralExpression): boolean {
  return ['url', 'host', 'database', 'synchronize'].some((key) => object.getProperty(key));
}

function optionsKind(object: ObjectLiteralExpression): OrmOptions['kind'] {
  const { Node } = loadTsMorph();
  for (let node: TsNode | undefined = object.getParent(); node; node = node.getParent()) {
    if (Node.isNewExpression(node) && node.getExpression().getText() === 'DataSource')
      return 'data-source';
    if (
      Node.isCallExpression(node) &&
      /\.forRoot(?:Async)?$/.test(node.getExpression().getText())
    ) {
      return 'nest-root';
    }
    if (Node.isStatement(node)) break;
  }
  return 'options';
}

function propertyInitializer(object: ObjectLiteralExpression, name: string): TsNode | undefined {
  const { Node } = loadTsMorph();
  const property = object.getProperty(name);
  if (property && Node.isPropertyAssignment(property)) return property.getInitializer();
  if (property && Node.isShorthandPropertyAssignment(property)) return property.getNameNode();
  return undefined;
}

function stringProperty(object: ObjectLiteralExpression, name: string): string | undefined {
  const { Node } = loadTsMorph();
  let value = propertyInitializer(object, name);
  while (value && (Node.isAsExpression(value) || Node.isSatisfiesExpression(value)))
    value = value.getExpression();
  return value && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))
    ? value.getLiteralValue()
    : undefined;
}

function listProperty(
  object: ObjectLiteralExpression,
  name: string,
  sourceFile: SourceFile,
  layout: OutputLayout,
): ListSpec | undefined {
  const { root } = layout;
  const { Node } = loadTsMorph();
  const property = object.getProperty(name);
  if (!property) return undefined;
  let value = propertyInitializer(object, name);
  // `entities` kept in a local `const entities = [...]` is still a literal joinery can extend.
  if (value && Node.isIdentifier(value)) {
    const initializer = sourceFile.getVariableDeclaration(value.getText())?.getInitializer();
    if (initializer) value = initializer;
  }
  const spec: ListSpec = {
    array: undefined,
    classes: [],
    globs: [],
    opaque: false,
    line: property.getStartLineNumber(),
  };
  if (!value || !Node.isArrayLiteralExpression(value)) {
    spec.opaque = true;
    return spec;
  }
  spec.array = value;
  for (const element of value.getElements()) {
    if (Node.isIdentifier(element)) {
      spec.classes.push(element.getText());
      continue;
    }
    const glob = staticPath(element, sourceFile.getFilePath(), root);
    if (glob === undefined) spec.opaque = true;
    else spec.globs.push(...withSourceVariant(glob, layout));
  }
  return spec;
}

/**
 * The absolute path a static path expression evaluates to: string literals (relative to the
 * project root, as TypeORM resolves them from the working folder), `__dirname + '/x'`,
 * `` `${__dirname}/x` ``, `path.join(__dirname, 'x')`, `import.meta.dirname`, and
 * `fileURLToPath(new URL('./x', import.meta.url))`.
 */
export function staticPath(node: TsNode, file: string, root: string): string | undefined {
  const value = staticString(node, file);
  if (value === undefined) return undefined;
  return (path.isAbsolute(value) ? path.normalize(value) : path.resolve(root, value))
    .split(path.sep)
    .join('/');
}

function staticString(node: TsNode, file: string): string | undefined {
  const { Node, SyntaxKind } = loadTsMorph();
  const dir = path.dirname(file);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node))
    return node.getLiteralValue();
  if (Node.isIdentifier(node) && node.getText() === '__dirname') return dir;
  if (Node.isPropertyAccessExpression(node) && node.getText() === 'import.meta.dirname') return dir;
  if (Node.isParenthesizedExpression(node)) return staticString(node.getExpression(), file);
  if (Node.isTemplateExpression(node)) {
    let out = node.getHead().getLiteralText();
    for (const span of node.getTemplateSpans()) {
      const part = staticString(span.getExpression(), file);
      if (part === undefined) return undefined;
      out += part + span.getLiteral().getLiteralText();
    }
    return out;
  }
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const left = staticString(node.getLeft(), file);
    const right = staticString(node.getRight(), file);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression().getText();
    const args = node.getArguments();
    if (/^(?:path\.)?(?:join|resolve)$/.test(callee)) {
      const parts = args.map((arg) => staticString(arg, file));
      if (parts.some((part) => part === undefined)) return undefined;
      const joined = path.join(...(parts as string[]));
      return callee.endsWith('resolve') ? path.resolve(dir, joined) : joined;
    }
    if (/^(?:url\.)?fileURLToPath$/.test(callee) && args[0] && Node.isNewExpression(args[0])) {
      const [relative, base] = args[0].getArguments();
      if (relative && base?.getText() === 'import.meta.url') {
        const value = staticString(relative, file);
        return value === undefined ? undefined : path.resolve(dir, value);
      }
    }
  }
  return undefined;
}

/**
 * Globs into compiled output also stand for the sources they are built from: with tsconfig's
 * `outDir` (and `rootDir`), `dist/src/**\/*.entity.js` is `src/**\/*.entity.ts` when rootDir is
 * `.`, and `dist/**\/*.entity.js` is `src/**` when it is `src`. Without a rootDir TypeScript uses
 * the sources' common folder, so a glob whose first folder exists at the root is taken as it is
 * (`dist/src/...` → `src/...`), else as under `src/`. Without an outDir, `dist`, `build`, `out`
 * and `lib` count as output.
 */
export function withSourceVariant(glob: string, layout: OutputLayout): string[] {
  const posixRoot = layout.root.split(path.sep).join('/');
  const relative = path.posix.relative(posixRoot, glob);
  const outDir = layout.outDir
    ? path.posix.normalize(layout.outDir.split(path.sep).join('/')).replace(/^\.\/|\/$/g, '')
    : undefined;
  const rest = outDir
    ? relative.startsWith(`${outDir}/`)
      ? relative.slice(outDir.length + 1)
      : undefined
    : /^(?:dist|build|out|lib)\/(.*)$/.exec(relative)?.[1];
  if (rest === undefined) return [glob];
  const sourceRoot = layout.rootDir
    ? path.posix.join(posixRoot, layout.rootDir.split(path.sep).join('/'))
    : existsSync(path.join(layout.root, rest.split('/')[0]!)) && !/[*?{[]/.test(rest.split('/')[0]!)
      ? posixRoot
      : `${posixRoot}/src`;
  return [glob, `${sourceRoot}/${rest}`];
}
