/**
 * Plans a Drizzle join resource into the change set: the join table (new file or appended to a
 * single schema file), its relations, `many()` on both sides, and barrel re-exports. Nothing here
 * touches disk; every edit lands in ts-morph source files that are copied into the ChangeSet.
 */
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import type { ChangeSet } from '../../change-set/change-set.js';
import type { PlannedJoin, PlanOptions } from '../target.js';
import { invalidInput } from '../../errors.js';
import {
  detectImportStyle,
  moduleSpecifier,
  type ImportStyle,
} from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import {
  expandSourcePatterns,
  followReexports,
  resolveRelativeModule,
} from '../../project/source-files.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, kebabCase, pascalCase, pluralizeLast, snakeCase } from '../../spec/naming.js';
import type { AttributeSpec } from '../../spec/types.js';
import {
  assertKeyTypeMatches,
  attributeColumn,
  referenceColumn,
  type ColumnBuilder,
  type SqlDialect,
} from './column-types.js';
import { readDrizzleConfig, type DrizzleConfig } from './drizzle-config.js';
import { primaryKeyOf, resolveTable } from './resolve-table.js';
import {
  parseSchemaFiles,
  schemaReexports,
  relativeToRoot,
  type DrizzleColumn,
  type DrizzleTable,
  type SchemaModel,
} from './schema-model.js';
import { addManyRelation } from './transforms/add-many-relation.js';
import { addReexport } from './transforms/add-reexport.js';
import {
  addJoinRowRelations,
  addThroughRelation,
  ensureInRelationsSchema,
  findDefineRelations,
} from './transforms/add-through-relations.js';
import { ensureImport } from '../../transforms/ensure-import.js';
import { importList } from '../../render/import-list.js';
import { mergeModule } from './transforms/merge-module.js';
import { addTableColumns } from './transforms/add-table-columns.js';
import { ensureJoinConstraints } from './transforms/ensure-join-constraints.js';
import { loadTsMorph } from '../../lazy.js';
import { planDrizzleHelpers } from './plan-helpers.js';

export interface DrizzleJoinPlan extends PlannedJoin {
  join: JoinModel;
  /** The name drizzle-kit generate gets: create_…, or add_…_to_… when an existing join grows. */
  migrationName: string;
  /** Drizzle's migrations are written by drizzle-kit after the change set, never planned. */
  migrationFiles: string[];
  dialect: SqlDialect;
  config: DrizzleConfig;
  /** The join table was already in the schema before this run. */
  existed: boolean;
  joinFile: string;
  sides: { source: ResolvedSide; target: ResolvedSide };
  warnings: string[];
  /** drizzle-orm 1.x `defineRelations` rather than per-table `relations()`. */
  relationsV1: boolean;
}

export interface ResolvedSide {
  key: JoinKey;
  table: DrizzleTable;
  primaryKey: DrizzleColumn;
}

const CORE_MODULE: Record<SqlDialect, string> = {
  postgresql: 'drizzle-orm/pg-core',
  sqlite: 'drizzle-orm/sqlite-core',
};
const TABLE_FUNCTION: Record<SqlDialect, string> = {
  postgresql: 'pgTable',
  sqlite: 'sqliteTable',
};

export async function planDrizzleJoin(
  project: Project,
  join: JoinModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<DrizzleJoinPlan> {
  const config = readDrizzleConfig(project);
  const files = await schemaFiles(project, config);
  const schema = parseSchemaFiles(files, project);
  const dialect = sqlDialect(config, schema);
  const describe = (table: DrizzleTable) =>
    `${relativeToRoot(project.root, table.file)}:${table.line} ${table.variable} ('${table.name}')`;

  const resolve = (key: JoinKey): ResolvedSide => {
    const table = resolveTable(schema.tables, key.destination, describe);
    const primaryKey = primaryKeyOf(table, describe(table));
    assertKeyTypeMatches(
      key.attribute,
      primaryKey,
      `${key.destination.resource}'s primary key ${table.variable}.${primaryKey.key} (${relativeToRoot(project.root, table.file)}:${primaryKey.line})`,
    );
    return { key, table, primaryKey };
  };
  const sides = { source: resolve(join.source), target: resolve(join.target) };
  const style = detectImportStyle(
    project.root,
    [...schema.sourceFiles.values()].map((file) => file.getFullText()),
    project.ts,
  );

  const existing = schema.tables.find(
    (table) => table.name === join.table || table.variable === join.collection,
  );
  const joinFile = existing?.file ?? placeJoinFile(join, sides, schema);
  const plan: DrizzleJoinPlan = {
    join,
    migrationName: join.migrationName,
    migrationFiles: [],
    dialect,
    config,
    existed: existing !== undefined,
    joinFile,
    sides,
    warnings: [],
    relationsV1: false,
  };
  if (existing && options.ignoreIfExists) return plan;

  const names = joinNames(join, existing);
  const relationsV1 = usesDefineRelations(project, schema);
  plan.relationsV1 = relationsV1;
  const relationsFile = relationsV1 ? undefined : separateRelationsFile(schema, sides.source.table);
  const namedColumns = !(config.casing && sides.source.primaryKey.sqlName === undefined);
  const render = {
    style,
    dialect,
    namedColumns,
    names,
    join,
    sides,
  };

  const sourceFileFor = (file: string, fallbackText?: string): SourceFile => {
    const parsed = schema.sourceFiles.get(file);
    if (parsed) return parsed;
    const project0 = [...schema.sourceFiles.values()][0]!.getProject();
    const created = project0.createSourceFile(file, changes.read(file) ?? fallbackText ?? '', {
      overwrite: true,
    });
    schema.sourceFiles.set(file, created);
    return created;
  };

  const replacing = existing !== undefined && options.replace;
  if (!existing || replacing) {
    const text = renderTemplate('drizzle/join-table.ts.ejs', {
      ...joinTableData(
        render,
        joinFile,
        sides.source.table,
        !relationsV1 && relationsFile === undefined,
      ),
    });
    if (replacing) {
      replaceJoinTable(sourceFileFor(joinFile), names, schema, text);
      plan.migrationName = options.migrationName ?? `update_${join.table}_join_table`;
    } else if (changes.exists(joinFile)) mergeModule(sourceFileFor(joinFile), text);
    else sourceFileFor(joinFile, text);
  } else {
    const grown = convergeJoinTable(render, existing, sourceFileFor(existing.file), plan);
    if (grown) plan.migrationName = options.migrationName ?? grown;
  }
  if (relationsV1) {
    const file =
      schema.defineRelationsFiles[0] ??
      createDefineRelationsFile(render, joinFile, plan, sourceFileFor);
    addDefineRelations(sourceFileFor(file), render, file, joinFile);
  } else {
    if (
      relationsFile &&
      !schema.relations.some(
        (call) => call.tableVariable === names.table && !(replacing && call.file === joinFile),
      )
    ) {
      mergeModule(
        sourceFileFor(relationsFile),
        renderTemplate(
          'drizzle/join-relations.ts.ejs',
          joinRelationsData(render, relationsFile, joinFile),
        ),
      );
    }
    for (const side of [sides.source, sides.target]) {
      addManyToSide(side, names, schema, relationsFile, joinFile, style, sourceFileFor);
    }
  }
  for (const barrel of barrelsBeside(files, project, joinFile, sides)) {
    const sourceFile = sourceFileFor(barrel.file);
    addReexport(sourceFile, moduleSpecifier(barrel.file, joinFile, style), barrel.besideSpecifier);
  }

  for (const [file, sourceFile] of schema.sourceFiles)
    changes.write(file, sourceFile.getFullText());
  planDrizzleHelpers(project, plan, changes, options);
  return plan;
}

/**
 * --conflicts replace: the join table's declaration (and its relations, when in the same file)
 * is replaced in place by the template's; a file that held nothing else is rewritten whole, and
 * the user's other code in a shared file stays where it was.
 */
function replaceJoinTable(
  sourceFile: SourceFile,
  names: JoinNames,
  schema: SchemaModel,
  text: string,
): void {
  const { Node } = loadTsMorph();
  const file = sourceFile.getFilePath();
  const relations = schema.relations.find(
    (call) => call.tableVariable === names.table && call.file === file,
  );
  const replaced = new Map([
    [names.table, names.table],
    [names.relations, relations?.variable ?? names.relations],
  ]);
  const own = new Set(replaced.values());
  const others = sourceFile
    .getStatements()
    .filter(
      (statement) =>
        !Node.isImportDeclaration(statement) &&
        !(
          Node.isVariableStatement(statement) &&
          statement.getDeclarations().every((declaration) => own.has(declaration.getName()))
        ),
    );
  if (others.length === 0) {
    sourceFile.replaceWithText(text);
    return;
  }
  const rendered = sourceFile
    .getProject()
    .createSourceFile(`${file}.joinery-replace.ts`, text, { overwrite: true });
  try {
    for (const statement of rendered.getVariableStatements()) {
      const name = replaced.get(statement.getDeclarations()[0]!.getName());
      const existing = name
        ? sourceFile.getVariableDeclaration(name)?.getVariableStatement()
        : undefined;
      existing?.replaceWithText(statement.getText(true));
    }
  } finally {
    rendered.delete();
  }
  // Imports, and whatever the template declares that the file did not have.
  mergeModule(sourceFile, text);
}

/**
 * An existing join table gains what the spec adds: missing attribute and timestamp columns, and
 * its key, index and foreign keys when they were removed. Returns the migration name for the
 * change (`add_role_to_user_events`), or undefined when nothing was missing.
 */
function convergeJoinTable(
  render: RenderContext,
  existing: DrizzleTable,
  sourceFile: SourceFile,
  plan: DrizzleJoinPlan,
): string | undefined {
  const { join, names, sides } = render;
  const has = (sqlName: string) =>
    existing.columns.some(
      (column) =>
        column.sqlName === sqlName || (!column.sqlName && column.key === camelCase(sqlName)),
    );
  const wanted = [
    ...join.extraAttributes.map((attribute) => ({
      sqlName: attribute.name,
      ...attributeColumnData(render, attribute),
    })),
    ...(join.timestamps
      ? timestampColumns(render).map((column, i) => ({
          sqlName: i === 0 ? 'inserted_at' : 'updated_at',
          ...column,
        }))
      : []),
  ].filter((column) => !has(column.sqlName));
  const core = existing.coreModule ?? CORE_MODULE[render.dialect];
  const added = addTableColumns(sourceFile, existing.variable, wanted);
  if (added === 'missing') {
    plan.warnings.push(
      `${path.basename(existing.file)}:${existing.line}: cannot read the columns of ${existing.variable}; add ${wanted.map((column) => column.sqlName).join(', ')} yourself.`,
    );
  } else {
    for (const column of wanted.filter((candidate) => added.includes(candidate.key))) {
      ensureImport(sourceFile, core, column.builder);
    }
  }
  const keyReference = (side: ResolvedSide) =>
    `.references(() => ${side.table.variable}.${side.primaryKey.key}, { onDelete: 'cascade' })`;
  const restored = ensureJoinConstraints(sourceFile, {
    table: existing.variable,
    sourceKey: names.sourceKey,
    targetKey: names.targetKey,
    indexName: `${join.table}_${join.target.attribute.name}_idx`,
    references: {
      [names.sourceKey]: keyReference(sides.source),
      [names.targetKey]: keyReference(sides.target),
    },
  });
  if (restored === 'unsupported') {
    plan.warnings.push(
      `${existing.variable}: its extra config is not an array; check its primary key and index yourself.`,
    );
  } else if (restored !== 'missing') {
    if (restored.includes('primary key')) ensureImport(sourceFile, core, 'primaryKey');
    if (restored.some((what) => what.startsWith('index'))) ensureImport(sourceFile, core, 'index');
  }
  const addedNames = added === 'missing' ? [] : wanted.filter((c) => added.includes(c.key));
  if (addedNames.length > 0) {
    const name = `add_${addedNames.map((column) => column.sqlName).join('_')}_to_${join.table}`;
    return name.length <= 63 ? name : `add_columns_to_${join.table}`;
  }
  return Array.isArray(restored) && restored.length > 0
    ? `update_${join.table}_join_table`
    : undefined;
}

/** drizzle-orm 1.x declares relations once, with `defineRelations(schema, (r) => ...)`. */
function usesDefineRelations(project: Project, schema: SchemaModel): boolean {
  if (schema.defineRelationsFiles.length > 0) return true;
  if (schema.relations.length > 0) return false;
  return /^\D*1\./.test(project.dependency('drizzle-orm') ?? '');
}

/**
 * 1.x projects often keep `relations.ts` out of the drizzle-kit schema (it is passed to drizzle()
 * only), so the scan may not have seen it: use the one beside the first resource if it exists,
 * else create it there.
 */
function createDefineRelationsFile(
  render: RenderContext,
  joinFile: string,
  plan: DrizzleJoinPlan,
  sourceFileFor: (file: string, fallbackText?: string) => SourceFile,
): string {
  const { sides, names, style } = render;
  const file = path.join(path.dirname(sides.source.table.file), 'relations.ts');
  const text = renderTemplate('drizzle/define-relations.ts.ejs', {
    imports: importList(file, style, [
      ['drizzle-orm', 'defineRelations'],
      [sides.source.table.file, sides.source.table.variable],
      [sides.target.table.file, sides.target.table.variable],
      [joinFile, names.table],
    ]),
    tables: [sides.source.table.variable, sides.target.table.variable, names.table],
  });
  const existing = sourceFileFor(file, text);
  if (/\bdefineRelations\s*\(/.test(existing.getFullText()) && existing.getFullText() !== text) {
    return file;
  }
  plan.warnings.push(
    `Created ${path.basename(file)} with defineRelations(); pass it to drizzle({ client, relations }).`,
  );
  return file;
}

function addDefineRelations(
  sourceFile: SourceFile,
  render: RenderContext,
  file: string,
  joinFile: string,
): void {
  const { sides, names, join, style } = render;
  const call = findDefineRelations(sourceFile);
  if (call && ensureInRelationsSchema(call, names.table)) {
    ensureImport(sourceFile, moduleSpecifier(file, joinFile, style), names.table);
  }
  const source = {
    table: sides.source.table.variable,
    key: sides.source.primaryKey.key,
    joinKey: names.sourceKey,
  };
  const target = {
    table: sides.target.table.variable,
    key: sides.target.primaryKey.key,
    joinKey: names.targetKey,
  };
  const plural = (key: JoinKey) => camelCase(pluralizeLast(key.relationship));
  addThroughRelation(sourceFile, {
    join: names.table,
    from: source,
    to: target,
    property: plural(join.target),
  });
  addThroughRelation(sourceFile, {
    join: names.table,
    from: target,
    to: source,
    property: plural(join.source),
  });
  if (join.extraAttributes.length > 0 || join.timestamps) {
    // The through relation skips the join row; its own attributes need the plain pair.
    addJoinRowRelations(sourceFile, {
      join: names.table,
      sides: [
        { ...source, relationship: camelCase(join.source.relationship) },
        { ...target, relationship: camelCase(join.target.relationship) },
      ],
    });
  }
}

async function schemaFiles(project: Project, config: DrizzleConfig): Promise<string[]> {
  const patterns = config.schema.length > 0 ? config.schema : ['.'];
  const seeds = await expandSourcePatterns(project.root, patterns);
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
  throw invalidInput(
    `Drizzle dialect "${fromConfig ?? fromCore ?? 'unknown'}" is not supported yet${config.file ? ` (${config.file})` : ''}.`,
    'joinery generates Drizzle joins for postgresql and sqlite; set dialect in drizzle.config.ts.',
  );
}

interface JoinNames {
  table: string;
  relations: string;
  sourceKey: string;
  targetKey: string;
}

function joinNames(join: JoinModel, existing: DrizzleTable | undefined): JoinNames {
  const table = existing?.variable ?? join.collection;
  const keyName = (key: JoinKey) =>
    existing?.columns.find((column) => column.sqlName === key.attribute.name)?.key ??
    camelCase(key.attribute.name);
  return {
    table,
    relations: `${table.replace(/Table$/, '')}Relations`,
    sourceKey: keyName(join.source),
    targetKey: keyName(join.target),
  };
}

/**
 * The join table lives beside its domain's resources, named in the style of its siblings; when
 * both sides share one schema file, it is appended there.
 */
function placeJoinFile(
  join: JoinModel,
  sides: { source: ResolvedSide; target: ResolvedSide },
  schema: SchemaModel,
): string {
  const { source, target } = sides;
  if (source.table.file === target.table.file) return source.table.file;
  const domainFolder = domainFolderOf(join.domain, schema) ?? path.dirname(source.table.file);
  const sibling =
    schema.tables.find((table) => path.dirname(table.file) === domainFolder)?.file ??
    source.table.file;
  return path.join(
    domainFolder,
    fileNameLike(sibling, tableResourceName(sibling, schema), join.resource),
  );
}

function domainFolderOf(domain: string, schema: SchemaModel): string | undefined {
  const last = domain.split('.').at(-1)!;
  const names = new Set([kebabCase(last), snakeCase(last), last.toLowerCase()]);
  for (const table of schema.tables) {
    const segments = path.dirname(table.file).split(path.sep);
    // `src/accounts/schema/user.ts` counts too: keep the sub-folder its resources sit in.
    if (segments.some((segment) => names.has(segment.toLowerCase())))
      return path.dirname(table.file);
  }
  return undefined;
}

function tableResourceName(file: string, schema: SchemaModel): string {
  const table = schema.tables.find((candidate) => candidate.file === file);
  return table ? table.variable : path.basename(file);
}

/** `user.ts` → `user-event.ts`, `users.ts` → `user-events.ts`, `User.ts` → `UserEvent.ts`. */
export function fileNameLike(
  siblingFile: string,
  siblingVariable: string,
  resource: string,
): string {
  const base = path.basename(siblingFile);
  const match = /^([^.]+)((?:\.[a-z]+)*?)(\.[cm]?[jt]sx?)$/.exec(base);
  if (!match) return `${kebabCase(resource)}.ts`;
  const [, stem, infix, extension] = match as unknown as [string, string, string, string];
  const plural =
    stem.toLowerCase().endsWith('s') &&
    siblingVariable.toLowerCase().startsWith(stem.toLowerCase());
  const name = plural ? pluralizeLast(resource) : resource;
  const styled = /^[A-Z]/.test(stem)
    ? pascalCase(name)
    : stem.includes('_')
      ? snakeCase(name)
      : /[a-z][A-Z]/.test(stem)
        ? camelCase(name)
        : kebabCase(name);
  return `${styled}${infix}${extension}`;
}

/** Relations kept apart from tables (a `relations.ts`): new relations go there too. */
function separateRelationsFile(schema: SchemaModel, sourceTable: DrizzleTable): string | undefined {
  const tableFiles = new Set(schema.tables.map((table) => table.file));
  const apart = schema.relations.filter((call) => !tableFiles.has(call.file));
  if (apart.length === 0) return undefined;
  return (apart.find((call) => call.tableVariable === sourceTable.variable) ?? apart[0]!).file;
}

interface RenderContext {
  style: ImportStyle;
  dialect: SqlDialect;
  namedColumns: boolean;
  names: JoinNames;
  join: JoinModel;
  sides: { source: ResolvedSide; target: ResolvedSide };
}

function builderCall(column: ColumnBuilder, sqlName: string, named: boolean): string {
  const args = [named ? `'${sqlName}'` : undefined, column.options].filter(Boolean);
  return `${column.builder}(${args.join(', ')})`;
}

function keyColumn(render: RenderContext, side: ResolvedSide) {
  const column = referenceColumn(side.primaryKey);
  const expression =
    builderCall(column, side.key.attribute.name, render.namedColumns) +
    `.notNull().references(() => ${side.table.variable}.${side.primaryKey.key}, { onDelete: 'cascade' })`;
  return { key: camelCase(side.key.attribute.name), builder: column.builder, expression };
}

function attributeColumnData(render: RenderContext, attribute: AttributeSpec) {
  const column = attributeColumn(attribute, render.dialect);
  let expression = builderCall(column, attribute.name, render.namedColumns);
  if (column.jsonType) expression += `.$type<${column.jsonType}>()`;
  else if (attribute.array) expression += '.array()';
  if (attribute.required) expression += '.notNull()';
  return { key: camelCase(attribute.name), builder: column.builder, expression };
}

function timestampColumns(render: RenderContext) {
  const pg = render.dialect === 'postgresql';
  const column: ColumnBuilder = pg
    ? { builder: 'timestamp', options: '{ withTimezone: true }' }
    : { builder: 'integer', options: "{ mode: 'timestamp' }" };
  const defaults = pg ? '.notNull().defaultNow()' : '.notNull().$defaultFn(() => new Date())';
  return [
    {
      key: 'insertedAt',
      builder: column.builder,
      expression: builderCall(column, 'inserted_at', render.namedColumns) + defaults,
    },
    {
      key: 'updatedAt',
      builder: column.builder,
      expression:
        builderCall(column, 'updated_at', render.namedColumns) +
        defaults +
        '.$onUpdate(() => new Date())',
    },
  ];
}

function sideData(render: RenderContext, side: ResolvedSide, key: string) {
  return {
    resource: side.key.destination.resource,
    relationship: camelCase(side.key.relationship),
    table: side.table.variable,
    key,
    references: side.primaryKey.key,
  };
}

function joinTableData(
  render: RenderContext,
  joinFile: string,
  sourceTable: DrizzleTable,
  withRelations: boolean,
) {
  const { join, sides, names, dialect } = render;
  const columns = [
    keyColumn(render, sides.source),
    keyColumn(render, sides.target),
    ...join.extraAttributes.map((attribute) => attributeColumnData(render, attribute)),
    ...(join.timestamps ? timestampColumns(render) : []),
  ];
  const core = sourceTable.coreModule ?? CORE_MODULE[dialect];
  const customCreator = !/^(pg|sqlite|mysql|singlestore)Table$/.test(sourceTable.creator);
  const wanted: [string, string][] = [
    ...columns.map((column): [string, string] => [core, column.builder]),
    [core, 'primaryKey'],
    [core, 'index'],
    customCreator
      ? [sourceTable.creatorModule, sourceTable.creatorImport]
      : [core, sourceTable.creator || TABLE_FUNCTION[dialect]],
    [sides.source.table.file, sides.source.table.variable],
    [sides.target.table.file, sides.target.table.variable],
  ];
  if (withRelations) wanted.push(['drizzle-orm', 'relations']);
  return {
    imports: importList(joinFile, render.style, wanted),
    table: {
      variable: names.table,
      creator: sourceTable.creator,
      name: join.table,
    },
    columns,
    indexName: `${join.table}_${join.target.attribute.name}_idx`,
    source: sideData(render, sides.source, names.sourceKey),
    target: sideData(render, sides.target, names.targetKey),
    relations: withRelations ? { variable: names.relations } : undefined,
  };
}

function joinRelationsData(render: RenderContext, relationsFile: string, joinFile: string) {
  const { sides, names } = render;
  return {
    imports: importList(relationsFile, render.style, [
      ['drizzle-orm', 'relations'],
      [joinFile, names.table],
      [sides.source.table.file, sides.source.table.variable],
      [sides.target.table.file, sides.target.table.variable],
    ]),
    table: { variable: names.table },
    source: sideData(render, sides.source, names.sourceKey),
    target: sideData(render, sides.target, names.targetKey),
    relations: { variable: names.relations },
  };
}

function addManyToSide(
  side: ResolvedSide,
  names: JoinNames,
  schema: SchemaModel,
  relationsFile: string | undefined,
  joinFile: string,
  style: ImportStyle,
  sourceFileFor: (file: string) => SourceFile,
): void {
  const relation = { table: side.table.variable, property: names.table, target: names.table };
  const call = schema.relations.find(
    (candidate) => candidate.tableVariable === side.table.variable,
  );
  if (call) {
    const sourceFile = sourceFileFor(call.file);
    if (addManyRelation(sourceFile, relation) === 'added') {
      ensureImport(sourceFile, moduleSpecifier(call.file, joinFile, style), names.table);
    }
    return;
  }
  const file = relationsFile ?? side.table.file;
  const text = renderTemplate('drizzle/many-relations.ts.ejs', {
    imports: importList(file, style, [
      ['drizzle-orm', 'relations'],
      [joinFile, names.table],
      [side.table.file, side.table.variable],
    ]),
    variable: `${side.table.variable.replace(/Table$/, '')}Relations`,
    table: side.table.variable,
    property: names.table,
    target: names.table,
  });
  const sourceFile = sourceFileFor(file);
  if (addManyRelation(sourceFile, relation) === 'missing') mergeModule(sourceFile, text);
}

/** Barrels that re-export a resource beside the join file should re-export the join file too. */
function barrelsBeside(
  files: string[],
  project: Project,
  joinFile: string,
  sides: { source: ResolvedSide; target: ResolvedSide },
): { file: string; besideSpecifier: string }[] {
  const neighbours = [sides.source.table.file, sides.target.table.file].filter(
    (file) => file !== joinFile,
  );
  if (neighbours.length < 2) return [];
  const barrels: { file: string; besideSpecifier: string }[] = [];
  const reexportsOf = schemaReexports(project);
  for (const file of files) {
    const besideSpecifier = reexportsOf(file)?.find((specifier) =>
      neighbours.includes(resolveRelativeModule(file, specifier) ?? ''),
    );
    if (besideSpecifier) barrels.push({ file, besideSpecifier });
  }
  return barrels;
}
