/**
 * Reads drizzle.config.{ts,mts,js,mjs,cjs,json} without executing it: the object literal passed to
 * `defineConfig(...)` or exported as default, with the static values joinery needs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { assertFolderInsideRoot } from '../../change-set/inside-root.js';
import { invalidInput } from '../../errors.js';
import { readObjectLiterals } from '../../project/object-literal.js';
import { readJsonFile, type Project } from '../../project/project.js';
import { timed } from '../../output.js';

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
  return timed(`read ${path.basename(file)}`, () => {
    const values = file.endsWith('.json')
      ? readJsonFile<Record<string, unknown>>(file, false)
      : readConfigObjectLiteral(project.readExpected(file));
    const config = normalizeConfig(values, file);
    // drizzle-kit would write its migrations there, and every later run find them missing.
    assertFolderInsideRoot(project.root, config.out, `out in ${path.basename(file)}`);
    return config;
  });
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

/**
 * Static literal values of the config object: the first object literal (outermost first) that sets
 * `dialect` or `schema`. Read by a small tokenizer rather than ts-morph: the config is read on
 * every run, and `joinery migrate` needs nothing else from the TypeScript compiler.
 */
export function readConfigObjectLiteral(text: string): Record<string, unknown> {
  const objects = readObjectLiterals(text);
  const wanted = (keys: Set<string>) => keys.has('dialect') || keys.has('schema');
  const literal =
    objects.find((object) => wanted(object.assigned)) ??
    objects.find((object) => wanted(object.keys));
  return literal?.values ?? {};
}
