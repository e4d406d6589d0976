/**
 * Plans a Drizzle join resource into the change set: the join table (new file or appended to a
 * single schema file), its relations, `many()` on both sides, and barrel re-exports. Nothing here
 * touches disk; every edit lands in ts-morph source files that are copied into the ChangeSet.
 */
import { addColumnsMigrationName, updateJoinMigrationName } from '../../rules/migration-names.js';
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import type { ChangeSet } from '../../change-set/change-set.js';
import type { PlannedJoin, PlanOptions } from '../target.js';
import { moduleSpecifier, type ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase } from '../../rules/naming.js';
import { assertKeyTypeMatches, referenceColumn, type SqlDialect } from './column-types.js';
import {
  attributeColumnCode,
  builderCall,
  hasSqlColumn,
  timestampColumnCode,
} from './column-code.js';
import type { DrizzleConfig } from './drizzle-config.js';
import {
  CORE_MODULE,
  loadDrizzleSchema,
  schemaImportStyle,
  sourceFileAccess,
  TABLE_FUNCTION,
  usesDefineRelations,
} from './drizzle-schema.js';
import { addManyToTable, relationsVariable } from './table-relations.js';
import {
  barrelsReexporting,
  domainFolderOf,
  fileNameLike,
  separateRelationsFile,
  tableResourceName,
} from './placement.js';
import { existingTable, primaryKeyOf, resolveTable } from './resolve-table.js';
import {
  relativeToRoot,
  type DrizzleColumn,
  type DrizzleTable,
  type SchemaModel,
} from './schema-model.js';
import { addReexport } from './transforms/add-reexport.js';
import { addJoinRowRelations, addThroughRelation } from './transforms/add-through-relations.js';
import { addedBy } from '../../transforms/transform-result.js';
import { importList } from '../../render/import-list.js';
import { mergeModule } from './transforms/merge-module.js';
import { addTableColumns } from './transforms/add-table-columns.js';
import { ensureJoinConstraints } from './transforms/ensure-join-constraints.js';
import { replaceTable } from './transforms/replace-table.js';
import { planDrizzleHelpers } from './plan-helpers.js';
import { defineRelationsFile, includeInRelationsSchema } from './define-relations-file.js';

export { fileNameLike } from './placement.js';

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

export async function planDrizzleJoin(
  project: Project,
  join: JoinModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<DrizzleJoinPlan> {
  const { config, files, schema, dialect, describe } = await loadDrizzleSchema(project);

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
  const style = schemaImportStyle(project, schema);

  const existing = existingTable(schema.tables, join);
  const joinFile = existing?.file ?? placeJoinFile(join, sides, schema);
  const plan: DrizzleJoinPlan = {
    kind: 'join',
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

  const sourceFileFor = sourceFileAccess(schema, changes);

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
      const relations = schema.relations.find(
        (call) => call.tableVariable === names.table && call.file === joinFile,
      );
      replaceTable(
        sourceFileFor(joinFile),
        {
          table: names.table,
          relations: { rendered: names.relations, existing: relations?.variable },
        },
        text,
      );
      plan.migrationName = options.migrationName ?? updateJoinMigrationName(join.table);
    } else if (changes.exists(joinFile)) mergeModule(sourceFileFor(joinFile), text);
    else sourceFileFor(joinFile, text);
  } else {
    const grown = convergeJoinTable(render, existing, sourceFileFor(existing.file), plan);
    if (grown) plan.migrationName = options.migrationName ?? grown;
  }
  if (relationsV1) {
    const file = defineRelationsFile(
      schema,
      [sides.source.table, sides.target.table, { variable: names.table, file: joinFile }],
      style,
      sourceFileFor,
      plan.warnings,
    );
    addDefineRelations(sourceFileFor(file), render, joinFile);
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
    const context = { schema, relationsFile, style, sourceFileFor };
    for (const side of [sides.source, sides.target]) {
      addManyToTable(
        side.table,
        { property: names.table, target: names.table, targetFile: joinFile },
        context,
      );
    }
  }
  const neighbours = [sides.source.table.file, sides.target.table.file].filter(
    (file) => file !== joinFile,
  );
  const barrels = neighbours.length < 2 ? [] : barrelsReexporting(files, project, neighbours);
  for (const barrel of barrels) {
    const sourceFile = sourceFileFor(barrel.file);
    addReexport(sourceFile, moduleSpecifier(barrel.file, joinFile, style), barrel.besideSpecifier);
  }

  planDrizzleHelpers(project, plan, changes, options);
  return plan;
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
  const wanted = [
    ...join.extraAttributes.map((attribute) => attributeColumnCode(render, attribute)),
    ...(join.timestamps ? timestampColumnCode(render) : []),
  ].filter((column) => !hasSqlColumn(existing.columns, column.sqlName));
  const core = existing.coreModule ?? CORE_MODULE[render.dialect];
  const columns = addTableColumns(
    sourceFile,
    existing.variable,
    wanted.map((column) => ({ ...column, imports: [[core, column.builder]] })),
  );
  if (columns.status === 'missing') {
    plan.warnings.push(
      `${path.basename(existing.file)}:${existing.line}: cannot read the columns of ${existing.variable}; add ${wanted.map((column) => column.sqlName).join(', ')} yourself.`,
    );
    return undefined;
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
    coreModule: core,
  });
  if (restored.status === 'missing') {
    plan.warnings.push(
      `${existing.variable}: its extra config is not an array; check its primary key and index yourself.`,
    );
  }
  const addedNames = wanted.filter((column) => addedBy(columns).includes(column.key));
  if (addedNames.length > 0) {
    return addColumnsMigrationName(
      addedNames.map((column) => column.sqlName),
      join.table,
    );
  }
  return restored.status === 'added' ? updateJoinMigrationName(join.table) : undefined;
}

function addDefineRelations(sourceFile: SourceFile, render: RenderContext, joinFile: string): void {
  const { sides, names, join, style } = render;
  includeInRelationsSchema(sourceFile, [{ variable: names.table, file: joinFile }], style);
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
  addThroughRelation(sourceFile, {
    join: names.table,
    from: source,
    to: target,
    property: join.source.manyToMany,
  });
  addThroughRelation(sourceFile, {
    join: names.table,
    from: target,
    to: source,
    property: join.target.manyToMany,
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
    relations: relationsVariable(table),
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

interface RenderContext {
  style: ImportStyle;
  dialect: SqlDialect;
  namedColumns: boolean;
  names: JoinNames;
  join: JoinModel;
  sides: { source: ResolvedSide; target: ResolvedSide };
}

function keyColumn(render: RenderContext, side: ResolvedSide) {
  const column = referenceColumn(side.primaryKey);
  const expression =
    builderCall(column, side.key.attribute.name, render.namedColumns) +
    `.notNull().references(() => ${side.table.variable}.${side.primaryKey.key}, { onDelete: 'cascade' })`;
  return { key: camelCase(side.key.attribute.name), builder: column.builder, expression };
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
    ...join.extraAttributes.map((attribute) => attributeColumnCode(render, attribute)),
    ...(join.timestamps ? timestampColumnCode(render) : []),
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
