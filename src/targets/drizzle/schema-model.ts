/**
 * The parsed half of the Drizzle scan: tables, their columns and keys, `relations()` calls and
 * barrels, read with ts-morph from the candidate files only.
 */
import path from 'node:path';
import type { CallExpression, Node as TsNode, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import { plural, timed } from '../../output.js';
import {
  manipulationSettingsFor,
  parseInto,
  sharedMorphProject,
} from '../../project/parse-source.js';
import type { Project } from '../../project/project.js';
import { reexportedSpecifiers } from '../../project/source-files.js';

export interface DrizzleColumn {
  /** Property name in the table object (`userId`). */
  key: string;
  /** Column name in SQL, when the source states it (`'user_id'`); undefined under `casing`. */
  sqlName: string | undefined;
  /** Column builder function (`uuid`, `integer`, `varchar`, `serial`, ...). */
  builder: string;
  /** Source text of the builder's options object, e.g. `{ length: 255 }`. */
  options: string | undefined;
  primaryKey: boolean;
  /** NOT NULL without a default: an insert must set it (a key column is not counted). */
  required: boolean;
  line: number;
}

export interface DrizzleTable {
  file: string;
  variable: string;
  /** First argument of the table call, before any table-creator prefix. */
  name: string;
  /** Callee text: `pgTable`, `sqliteTable`, a creator such as `createTable`, or `app.table`. */
  creator: string;
  /** The name to import for the callee: `createTable`, or `app` for `app.table`. */
  creatorImport: string;
  /** Module the creator comes from: a drizzle core module or the file defining a creator. */
  creatorModule: string;
  /** The drizzle core module used by this file (`drizzle-orm/pg-core`, ...). */
  coreModule: string | undefined;
  columns: DrizzleColumn[];
  /**
   * The parameter of a columns callback, `d` in `createTable('post', (d) => ({ id: d.integer() }))`:
   * its builders are called on it, not imported. Undefined for a columns object (or a
   * destructured parameter, whose builders are plain names like imported ones).
   */
  columnsParameter: string | undefined;
  line: number;
}

export interface RelationsCall {
  file: string;
  /** `usersRelations` in `export const usersRelations = relations(users, ...)`. */
  variable: string | undefined;
  tableVariable: string;
}

export interface SchemaModel {
  tables: DrizzleTable[];
  relations: RelationsCall[];
  /** Files holding `defineRelations(...)` (drizzle-orm 1.x). */
  defineRelationsFiles: string[];
  /** Parsed source files by absolute path; the same objects the patches edit. */
  sourceFiles: Map<string, SourceFile>;
}

const TABLE_FUNCTIONS = new Set(['pgTable', 'sqliteTable', 'mysqlTable', 'singlestoreTable']);
const CREATOR_FUNCTIONS = new Set([
  'pgTableCreator',
  'sqliteTableCreator',
  'mysqlTableCreator',
  'singlestoreTableCreator',
]);
const SCHEMA_FUNCTIONS = new Set(['pgSchema', 'mysqlSchema']);

/**
 * Could this text declare a table, a table creator, a schema or relations? (The cheap
 * prefilter.) It looks for the calls themselves, not for `drizzle-orm` imports: in a large app
 * most files query through drizzle-orm, and only the schema declares tables.
 */
export function mayHoldSchema(text: string): boolean {
  // Plain words first: the full regex alone costs more than reading the file.
  return SCHEMA_WORDS.test(text) && SCHEMA_CALL.test(text);
}
const SCHEMA_WORDS = /Table|Schema|elations|\.table/;
const SCHEMA_CALL =
  /\b(?:pg|sqlite|mysql|singlestore|gel)(?:Table|TableCreator|Schema)\s*\(|\.table\s*\(|\b(?:define)?[rR]elations\s*\(/;

/** `export const createTable = pgTableCreator(...)`: tables may then be made by `createTable(`. */
const CREATOR_DECLARATION = /\b(\w+)\s*=\s*(?:pg|sqlite|mysql|singlestore|gel)TableCreator\s*\(/g;

/** Files among `files` that may hold schema code, with their text. */
export function schemaCandidates(files: string[], project: SourceReader): Map<string, string> {
  const texts = new Map<string, string>();
  const others: string[] = [];
  for (const file of files) {
    const scanned = project.scanSource(file, mayHoldSchema);
    const text = scanned?.relevant ? project.readSource(file) : undefined;
    if (text !== undefined) texts.set(file, text);
    else if (scanned) others.push(file);
  }
  // Tables made by a project's own creator (`createTable('users', ...)`) name it, not drizzle.
  const creators = [...texts.values()].flatMap((text) =>
    text.includes('TableCreator')
      ? [...text.matchAll(CREATOR_DECLARATION)].map((match) => match[1]!)
      : [],
  );
  if (creators.length > 0) {
    const call = new RegExp(`\\b(?:${creators.join('|')})\\s*\\(`);
    const callsCreator = (text: string) => call.test(text);
    for (const file of others) {
      const text = project.scanSource(file, callsCreator)?.relevant
        ? project.readSource(file)
        : undefined;
      if (text !== undefined) texts.set(file, text);
    }
  }
  return new Map([...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What the schema scan needs of the project: cached reads and the cheap scan. */
export type SourceReader = Pick<Project, 'readSource' | 'scanSource'>;

/** A plain reader (e.g. a ChangeSet's) as a SourceReader: nothing memoized, nothing dropped. */
function asSourceReader(
  source: SourceReader | ((file: string) => string | undefined),
): SourceReader {
  if (typeof source !== 'function') return source;
  return {
    readSource: source,
    scanSource(file, relevant) {
      const text = source(file);
      return text === undefined
        ? undefined
        : { reexports: reexportedSpecifiers(text), relevant: relevant(text) };
    },
  };
}

/** The relative re-exports of a file, for `followReexports`, with the schema prefilter applied. */
export function schemaReexports(
  project: SourceReader,
): (file: string) => readonly string[] | undefined {
  return (file) => project.scanSource(file, mayHoldSchema)?.reexports;
}

/**
 * The candidates of the last scan of a project: `check` plans every entry against the same files,
 * and a project reads each file once, so the same files give the same candidates.
 */
let lastCandidates:
  { project: SourceReader; files: string[]; texts: Map<string, string> } | undefined;

function projectCandidates(files: string[], project: SourceReader): Map<string, string> {
  if (
    lastCandidates?.project !== project ||
    lastCandidates.files.length !== files.length ||
    !lastCandidates.files.every((file, index) => file === files[index])
  ) {
    lastCandidates = { project, files: [...files], texts: schemaCandidates(files, project) };
  }
  return lastCandidates.texts;
}

export function parseSchemaFiles(
  files: string[],
  source: SourceReader | ((file: string) => string | undefined),
): SchemaModel {
  const texts =
    typeof source === 'function'
      ? schemaCandidates(files, asSourceReader(source))
      : projectCandidates(files, source);
  // The project's files go into the run's shared Project; other readers (a ChangeSet's pending
  // text) get their own, so a shared file is never replaced under a plan that holds it.
  const morph =
    typeof source === 'function'
      ? new (loadTsMorph().Project)({
          useInMemoryFileSystem: true,
          skipFileDependencyResolution: true,
          compilerOptions: { allowJs: true },
          manipulationSettings: manipulationSettingsFor([...texts.values()]),
        })
      : sharedMorphProject([...texts.values()]);
  const sourceFiles = new Map<string, SourceFile>();
  timed(`parse ${texts.size} of ${plural(files.length, 'schema file')}`, () => {
    for (const [file, text] of texts) sourceFiles.set(file, parseInto(morph, file, text));
  });

  const creators = findTableCreators([...sourceFiles.values()]);
  const creatorsKey = [...creators.values()].map((c) => `${c.name}@${c.module}`).join('\n');
  const tables: DrizzleTable[] = [];
  const relations: RelationsCall[] = [];
  const defineRelationsFiles: string[] = [];
  for (const sourceFile of sourceFiles.values()) {
    const model = fileModel(sourceFile, creators, creatorsKey);
    tables.push(...model.tables);
    relations.push(...model.relations);
    if (model.definesRelations) defineRelationsFiles.push(sourceFile.getFilePath());
  }
  return { tables, relations, defineRelationsFiles, sourceFiles };
}

interface FileModel {
  text: string;
  creatorsKey: string;
  tables: DrizzleTable[];
  relations: RelationsCall[];
  definesRelations: boolean;
}

/** What one file declares, memoized per parsed file and text: `check` reads it once per join. */
const fileModels = new WeakMap<SourceFile, FileModel>();

function fileModel(
  sourceFile: SourceFile,
  creators: Map<string, TableCreator>,
  creatorsKey: string,
): { tables: DrizzleTable[]; relations: RelationsCall[]; definesRelations: boolean } {
  const text = sourceFile.getFullText();
  const cached = fileModels.get(sourceFile);
  const model =
    cached && cached.text === text && cached.creatorsKey === creatorsKey
      ? cached
      : {
          text,
          creatorsKey,
          tables: findTables(sourceFile, creators),
          relations: findRelationsCalls(sourceFile),
          definesRelations: /\bdefineRelations\s*\(/.test(text),
        };
  fileModels.set(sourceFile, model);
  // Copies: planners may adjust what they are given.
  return {
    tables: model.tables.map((table) => ({
      ...table,
      columns: table.columns.map((c) => ({ ...c })),
    })),
    relations: model.relations.map((call) => ({ ...call })),
    definesRelations: model.definesRelations,
  };
}

interface TableCreator {
  name: string;
  module: string;
}

/**
 * The last answer of findTableCreators: `check` asks about the same parsed files once per join,
 * and the test for creator calls costs more than comparing the files and their texts.
 */
let lastCreators:
  { sourceFiles: SourceFile[]; texts: string[]; creators: Map<string, TableCreator> } | undefined;

/** `export const createTable = pgTableCreator(...)` and `export const app = pgSchema('app')`. */
function findTableCreators(sourceFiles: SourceFile[]): Map<string, TableCreator> {
  const texts = sourceFiles.map((sourceFile) => sourceFile.getFullText());
  const last = lastCreators;
  if (
    last?.sourceFiles.length === sourceFiles.length &&
    last.sourceFiles.every((sourceFile, index) => sourceFile === sourceFiles[index]) &&
    last.texts.every((text, index) => text === texts[index])
  ) {
    return new Map(last.creators);
  }
  const creators = tableCreatorsIn(sourceFiles);
  lastCreators = { sourceFiles, texts, creators: new Map(creators) };
  return creators;
}

function tableCreatorsIn(sourceFiles: SourceFile[]): Map<string, TableCreator> {
  const { Node } = loadTsMorph();
  const creators = new Map<string, TableCreator>();
  for (const sourceFile of sourceFiles) {
    if (!/TableCreator|Schema\s*\(/.test(sourceFile.getFullText())) continue;
    for (const declaration of sourceFile.getVariableDeclarations()) {
      const initializer = declaration.getInitializer();
      if (!initializer || !Node.isCallExpression(initializer)) continue;
      const callee = initializer.getExpression().getText();
      if (CREATOR_FUNCTIONS.has(callee)) {
        creators.set(declaration.getName(), {
          name: declaration.getName(),
          module: sourceFile.getFilePath(),
        });
      } else if (SCHEMA_FUNCTIONS.has(callee)) {
        creators.set(`${declaration.getName()}.table`, {
          name: declaration.getName(),
          module: sourceFile.getFilePath(),
        });
      }
    }
  }
  return creators;
}

function coreModuleOf(sourceFile: SourceFile): string | undefined {
  return sourceFile
    .getImportDeclarations()
    .map((declaration) => declaration.getModuleSpecifierValue())
    .find((specifier) => /^drizzle-orm\/[a-z]+-core$/.test(specifier));
}

function findTables(sourceFile: SourceFile, creators: Map<string, TableCreator>): DrizzleTable[] {
  const { Node } = loadTsMorph();
  const tables: DrizzleTable[] = [];
  const coreModule = coreModuleOf(sourceFile);
  for (const declaration of sourceFile.getVariableDeclarations()) {
    const call = declaration.getInitializer();
    if (!call || !Node.isCallExpression(call)) continue;
    const callee = call.getExpression().getText();
    const creator = creators.get(callee);
    if (!TABLE_FUNCTIONS.has(callee) && !creator) continue;
    const [nameArg, columnsArg] = call.getArguments();
    if (!nameArg || !Node.isStringLiteral(nameArg)) continue;
    tables.push({
      file: sourceFile.getFilePath(),
      variable: declaration.getName(),
      name: nameArg.getLiteralValue(),
      creator: callee,
      creatorImport: creator ? creator.name : callee,
      creatorModule: creator ? creator.module : (coreModule ?? 'drizzle-orm/pg-core'),
      coreModule,
      columns: columnsArg ? readColumns(columnsArg) : [],
      columnsParameter: columnsArg ? columnsParameterOf(columnsArg) : undefined,
      line: declaration.getStartLineNumber(),
    });
  }
  return tables;
}

/**
 * The object literal of a table's columns argument: `{ ... }`, `(d) => ({ ... })`, or a callback
 * whose block returns it (`(d) => { return { ... }; }`).
 */
export function columnsObjectOf(node: TsNode): ObjectLiteralExpression | undefined {
  const { Node } = loadTsMorph();
  let object: TsNode | undefined = node;
  if (Node.isArrowFunction(object) || Node.isFunctionExpression(object)) {
    const body = object.getBody();
    object = Node.isBlock(body)
      ? body
          .getStatements()
          .find((statement) => Node.isReturnStatement(statement))
          ?.getExpression()
      : body;
  }
  while (object && Node.isParenthesizedExpression(object)) object = object.getExpression();
  return object && Node.isObjectLiteralExpression(object) ? object : undefined;
}

/** `d` in `(d) => ({ ... })`; undefined for an object or a destructured parameter. */
function columnsParameterOf(node: TsNode): string | undefined {
  const { Node } = loadTsMorph();
  if (!Node.isArrowFunction(node) && !Node.isFunctionExpression(node)) return undefined;
  const name = node.getParameters()[0]?.getNameNode();
  return name && Node.isIdentifier(name) ? name.getText() : undefined;
}

/** Columns from `{ id: uuid('id').primaryKey() }` or `(t) => ({ id: t.uuid().primaryKey() })`. */
function readColumns(node: TsNode): DrizzleColumn[] {
  const { Node } = loadTsMorph();
  const object = columnsObjectOf(node);
  if (!object) return [];
  const columns: DrizzleColumn[] = [];
  for (const property of object.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const initializer = property.getInitializer();
    if (!initializer || !Node.isCallExpression(initializer)) continue;
    const column = readColumnChain(initializer);
    if (!column) continue;
    columns.push({
      key: property.getName(),
      ...column,
      line: property.getStartLineNumber(),
    });
  }
  return columns;
}

function readColumnChain(call: CallExpression): Omit<DrizzleColumn, 'key' | 'line'> | undefined {
  const { Node } = loadTsMorph();
  const methods: string[] = [];
  let current: CallExpression = call;
  for (;;) {
    const callee = current.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) break;
    const inner = callee.getExpression();
    if (!Node.isCallExpression(inner)) break; // `t.uuid(...)`: the builder itself
    methods.push(callee.getName());
    current = inner;
  }
  const callee = current.getExpression();
  const builder = Node.isPropertyAccessExpression(callee)
    ? callee.getName()
    : Node.isIdentifier(callee)
      ? callee.getText()
      : undefined;
  if (!builder) return undefined;
  const args = current.getArguments();
  const nameArg = args.find((arg) => Node.isStringLiteral(arg));
  const optionsArg = args.find((arg) => Node.isObjectLiteralExpression(arg));
  return {
    sqlName: nameArg && Node.isStringLiteral(nameArg) ? nameArg.getLiteralValue() : undefined,
    builder,
    options: optionsArg?.getText(),
    primaryKey: methods.includes('primaryKey'),
    required:
      methods.includes('notNull') &&
      !methods.includes('primaryKey') &&
      !methods.some((method) => DEFAULT_METHODS.test(method)),
  };
}

/** Chain methods that give a column a value when an insert leaves it out. */
const DEFAULT_METHODS = /^(?:\$?default\w*|\$onUpdate\w*|generated\w*)$/;

/** `relations(users, ...)` calls, with the variable they are assigned to. */
function findRelationsCalls(sourceFile: SourceFile): RelationsCall[] {
  const { Node } = loadTsMorph();
  const calls: RelationsCall[] = [];
  for (const declaration of sourceFile.getVariableDeclarations()) {
    const call = declaration.getInitializer();
    if (!call || !Node.isCallExpression(call) || call.getExpression().getText() !== 'relations') {
      continue;
    }
    const table = call.getArguments()[0];
    if (!table || !Node.isIdentifier(table)) continue;
    calls.push({
      file: sourceFile.getFilePath(),
      variable: declaration.getName(),
      tableVariable: table.getText(),
    });
  }
  return calls;
}

export function relativeToRoot(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
