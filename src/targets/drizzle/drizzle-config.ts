/**
 * Reads drizzle.config.{ts,mts,js,mjs,cjs,json} without executing it: the object literal passed to
 * `defineConfig(...)` or exported as default, with the static values joinery needs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../../errors.js';
import { loadTsMorph } from '../../lazy.js';
import { readJsonFile, type Project } from '../../project/project.js';

export type DrizzleDialect = 'postgresql' | 'sqlite' | 'mysql' | 'turso' | 'singlestore' | 'gel';

export interface DrizzleConfig {
  /** Absolute path of the config file, or undefined when the project has none. */
  file: string | undefined;
  dialect: DrizzleDialect | undefined;
  /** Paths or globs, relative to the project root. */
  schema: string[];
  out: string;
  casing: 'snake_case' | 'camelCase' | undefined;
  /** The config's `schema` as a literal array we may extend when a new file is not covered. */
  schemaIsList: boolean;
}

const CONFIG_NAMES = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs', 'json'].map(
  (ext) => `drizzle.config.${ext}`,
);

export function findDrizzleConfigFile(root: string): string | undefined {
  return CONFIG_NAMES.map((name) => path.join(root, name)).find((file) => existsSync(file));
}

export function readDrizzleConfig(project: Project): DrizzleConfig {
  const file = findDrizzleConfigFile(project.root);
  if (!file) {
    return {
      file,
      dialect: undefined,
      schema: [],
      out: 'drizzle',
      casing: undefined,
      schemaIsList: false,
    };
  }
  const values = file.endsWith('.json')
    ? readJsonFile<Record<string, unknown>>(file, false)
    : readConfigObjectLiteral(file, project.readSource(file) ?? '');
  return normalizeConfig(values, file);
}

function normalizeConfig(values: Record<string, unknown>, file: string): DrizzleConfig {
  const schema = values.schema;
  const schemaList = typeof schema === 'string' ? [schema] : Array.isArray(schema) ? schema : [];
  const dialect = values.dialect;
  if (dialect !== undefined && typeof dialect !== 'string') {
    throw invalidInput(
      `${file}: "dialect" must be a string literal joinery can read.`,
      'Write it as a literal, e.g. dialect: "postgresql".',
    );
  }
  return {
    file,
    dialect: dialect as DrizzleDialect | undefined,
    schema: schemaList.filter((entry): entry is string => typeof entry === 'string'),
    out: typeof values.out === 'string' ? values.out : 'drizzle',
    casing:
      values.casing === 'snake_case' || values.casing === 'camelCase' ? values.casing : undefined,
    schemaIsList: Array.isArray(schema),
  };
}

/** Static literal values of the config object; anything computed at run time reads as undefined. */
function readConfigObjectLiteral(file: string, text: string): Record<string, unknown> {
  const { Project, SyntaxKind, Node } = loadTsMorph();
  const sourceFile = new Project({ useInMemoryFileSystem: true }).createSourceFile(file, text);
  const literal = sourceFile
    .getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)
    .find((node) => node.getProperty('dialect') || node.getProperty('schema'));
  const result: Record<string, unknown> = {};
  if (!literal) return result;
  for (const property of literal.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const value = literalValue(property.getInitializer());
    if (value !== undefined) result[property.getName().replace(/^['"]|['"]$/g, '')] = value;
  }
  return result;
}

function literalValue(node: import('ts-morph').Node | undefined): unknown {
  const { Node } = loadTsMorph();
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) {
    return node.getLiteralValue();
  }
  if (Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) {
    return literalValue(node.getExpression());
  }
  if (Node.isArrayLiteralExpression(node)) {
    const values = node.getElements().map(literalValue);
    return values.every((value) => typeof value === 'string') ? values : undefined;
  }
  return undefined;
}
