/**
 * What every Drizzle planner starts from: the config, the schema files it covers, the parsed
 * schema, the dialect and the project's import style; and the one way planners reach a source
 * file (parsed, pending in the change set, or new) and put their edits back into the change set.
 */
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput, projectProblem } from '../../errors.js';
import { detectImportStyle, type ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { followReexports } from '../../project/source-files.js';
import { assertParses } from '../../project/parse-source.js';
import type { SqlDialect } from './column-types.js';
import { MYSQL_CORE_MODULE } from './dialects/mysql.js';
import { readDrizzleConfig, type DrizzleConfig } from './drizzle-config.js';
import {
  parseSchemaFiles,
  relativeToRoot,
  schemaReexports,
  type DrizzleTable,
  type SchemaModel,
} from './schema-model.js';

export const CORE_MODULE: Record<SqlDialect, string> = {
  postgresql: 'drizzle-orm/pg-core',
  sqlite: 'drizzle-orm/sqlite-core',
  mysql: MYSQL_CORE_MODULE,
};
export const TABLE_FUNCTION: Record<SqlDialect, string> = {
  postgresql: 'pgTable',
  sqlite: 'sqliteTable',
  mysql: 'mysqlTable',
};

export interface DrizzleSchema {
  config: DrizzleConfig;
  /** The files the config's schema covers, re-exports followed. */
  files: string[];
  schema: SchemaModel;
  dialect: SqlDialect;
  /** `src/accounts/user.ts:7 users ('users')`, for messages. */
  describe: (table: DrizzleTable) => string;
  /** Project-relative, POSIX separators. */
  relative: (file: string) => string;
}

export async function loadDrizzleSchema(project: Project): Promise<DrizzleSchema> {
  const config = readDrizzleConfig(project);
  const files = await schemaFiles(project, config);
  const schema = parseSchemaFiles(files, project);
  const dialect = sqlDialect(config, schema);
  const relative = (file: string) => relativeToRoot(project.root, file);
  const describe = (table: DrizzleTable) =>
    `${relative(table.file)}:${table.line} ${table.variable} ('${table.name}')`;
  return { config, files, schema, dialect, describe, relative };
}

export function schemaImportStyle(project: Project, schema: SchemaModel): ImportStyle {
  return detectImportStyle(
    project.root,
    [...schema.sourceFiles.values()].map((file) => file.getFullText()),
    project.ts,
  );
}

async function schemaFiles(project: Project, config: DrizzleConfig): Promise<string[]> {
  const patterns = config.schema.length > 0 ? config.schema : ['.'];
  const seeds = await project.listSources(patterns);
  if (seeds.length === 0 && config.schema.length > 0) {
    // A path through a file (`schema.ts/index.ts`, ENOTDIR) or a typo: say so, not "not found".
    const where = config.file ? path.basename(config.file) : 'the Drizzle config';
    throw projectProblem(
      `The schema in ${where} (${config.schema.join(', ')}) matches no source file.`,
      `Point schema in ${where} at your schema file or folder, then run joinery again.`,
    );
  }
  return followReexports(seeds, schemaReexports(project));
}

function sqlDialect(config: DrizzleConfig, schema: SchemaModel): SqlDialect {
  const fromConfig = config.dialect;
  const fromCore = schema.tables.find((table) => table.coreModule)?.coreModule;
  if (fromConfig === 'postgresql' || (!fromConfig && fromCore === CORE_MODULE.postgresql)) {
    return 'postgresql';
  }
  if (fromConfig === 'sqlite' || fromConfig === 'turso' || fromCore === CORE_MODULE.sqlite) {
    return 'sqlite';
  }
  // MariaDB speaks MySQL: drizzle-kit has one dialect for both.
  if (fromConfig === 'mysql' || (!fromConfig && fromCore === MYSQL_CORE_MODULE)) return 'mysql';
  throw invalidInput(
    `Drizzle dialect "${fromConfig ?? fromCore ?? 'unknown'}" is not supported yet${config.file ? ` (${config.file})` : ''}.`,
    'joinery generates Drizzle joins for postgresql, sqlite and mysql; set dialect in drizzle.config.ts.',
  );
}

/** drizzle-orm 1.x declares relations once, with `defineRelations(schema, (r) => ...)`. */
export function usesDefineRelations(project: Project, schema: SchemaModel): boolean {
  if (schema.defineRelationsFiles.length > 0) return true;
  if (schema.relations.length > 0) return false;
  return /^\D*1\./.test(project.dependency('drizzle-orm') ?? '');
}

/**
 * The source file a planner edits: the parsed one, else one made from the change set's text (or
 * `fallbackText` for a new file). Every one is attached to the change set, which then holds its
 * edits: nothing is copied back by hand, and a later reader of the tree sees them.
 */
export type SourceFileFor = (file: string, fallbackText?: string) => SourceFile;

export function sourceFileAccess(schema: SchemaModel, changes: ChangeSet): SourceFileFor {
  for (const [file, sourceFile] of schema.sourceFiles) changes.attach(file, sourceFile);
  return (file, fallbackText) => {
    const parsed = schema.sourceFiles.get(file);
    if (parsed) return parsed;
    const morph = [...schema.sourceFiles.values()][0]!.getProject();
    const created = morph.createSourceFile(file, changes.read(file) ?? fallbackText ?? '', {
      overwrite: true,
    });
    // A barrel or relations file the scan did not parse: refuse one that does not parse
    // (`export * from` cut short) before a transform trips over it.
    assertParses(created);
    schema.sourceFiles.set(file, created);
    changes.attach(file, created);
    return created;
  };
}
