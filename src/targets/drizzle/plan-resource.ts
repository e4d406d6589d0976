/**
 * Plans a Drizzle plain resource into the change set: a new table (in the domain's folder or the
 * single schema file, named and imported like its siblings, re-exported by the barrel) with its
 * key, attributes, timestamps and belongs_to foreign keys, each indexed, and their `one()`
 * relations; or, for a table that exists, only what it lacks. Each belongs_to's destination gets
 * the inverse `many()`. Nothing here touches disk.
 */
import { uuidV7Source } from '../../rules/uuidv7-source.js';
import { addColumnsMigrationName, updateTableMigrationName } from '../../rules/migration-names.js';
import path from 'node:path';
import type { ChangeSet } from '../../change-set/change-set.js';
import { invalidInput } from '../../errors.js';
import { moduleSpecifier, type ImportStyle } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import {
  distinguished,
  missingResourceError,
  type BelongsTo,
  type ResourceModel,
  type SurrogateKey,
} from '../../resource/resource-model.js';
import { camelCase, snakeCase } from '../../rules/naming.js';
import { addedBy } from '../../transforms/transform-result.js';
import type { PlannedPlainResource, PlanOptions } from '../target.js';
import {
  attributeColumnCode,
  builderCall,
  hasSqlColumn,
  timestampColumnCode,
  type ColumnCode,
  type ColumnStyle,
} from './column-code.js';
import { referenceColumn, type SqlDialect } from './column-types.js';
import type { DrizzleConfig } from './drizzle-config.js';
import {
  CORE_MODULE,
  loadDrizzleSchema,
  schemaImportStyle,
  sourceFileAccess,
  TABLE_FUNCTION,
  usesDefineRelations,
  type SourceFileFor,
} from './drizzle-schema.js';
import { barrelsReexporting, placeResourceFile, separateRelationsFile } from './placement.js';
import { existingTable, primaryKeyOf, resolveTable } from './resolve-table.js';
import type { DrizzleColumn, DrizzleTable, SchemaModel } from './schema-model.js';
import {
  addManyToTable,
  addOneToTable,
  oneRelationsData,
  type BelongsToRelation,
  type RelationsContext,
} from './table-relations.js';
import { addColumnReferences } from './transforms/add-column-references.js';
import { addReexport } from './transforms/add-reexport.js';
import { addTableColumns, tableColumnsObject } from './transforms/add-table-columns.js';
import { addTableIndex } from './transforms/add-table-index.js';
import { mergeModule } from './transforms/merge-module.js';
import { replaceTable } from './transforms/replace-table.js';
import { addBelongsToRelations } from './transforms/add-through-relations.js';
import { nameRelation, relationEntries } from './transforms/name-relation-pair.js';
import {
  defineRelationsFile,
  includeInRelationsSchema,
  type RelatedTable,
} from './define-relations-file.js';

export interface DrizzleResourcePlan extends PlannedPlainResource {
  resource: ResourceModel;
  config: DrizzleConfig;
  dialect: SqlDialect;
  /** The table's variable, `events`. */
  variable: string;
  /** Its primary-key property, `id`, when known. */
  keyProperty: string | undefined;
  /** The run creates, replaces or adds columns or constraints (a migration is due). */
  altersSchema: boolean;
  /** Each belongs_to as the usage shows it. */
  belongsTo: {
    property: string;
    field: string;
    destination: string;
    /** The destination's key property, `id`. */
    reference: string;
    inverse: string;
    relationship: BelongsTo;
  }[];
  /** Properties an insert must set: required attributes and required belongs_to keys. */
  requiredFields: string[];
  /** Where the uuid v7 generator comes from, when this run uses one. */
  uuidv7Source: string | undefined;
  /** drizzle-orm 1.x (`defineRelations`): the usage shows its query syntax. */
  relationsV1: boolean;
}

interface ResolvedBelongsTo {
  relationship: BelongsTo;
  table: DrizzleTable;
  primaryKey: DrizzleColumn;
  /** The foreign-key property, `organizerId`. */
  field: string;
  indexName: string;
}

interface Context {
  project: Project;
  config: DrizzleConfig;
  resource: ResourceModel;
  schema: SchemaModel;
  files: string[];
  style: ImportStyle;
  columnStyle: ColumnStyle;
  /** The core module and table creator the new table uses, from its neighbours. */
  core: string;
  creator: { call: string; module: string; name: string };
  sourceFileFor: SourceFileFor;
  changes: ChangeSet;
}

export async function planDrizzleResource(
  project: Project,
  resource: ResourceModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<DrizzleResourcePlan> {
  const { config, files, schema, dialect, describe } = await loadDrizzleSchema(project);
  const existing = existingTable(schema.tables, resource);
  const label = `${resource.domain}.${resource.resource}`;
  if (!existing && !resource.primaryKey) throw missingResourceError(resource);
  // drizzle-orm 1.x: the relations go into defineRelations(), not per-table relations().
  const relationsV1 = usesDefineRelations(project, schema);
  const variable = existing?.variable ?? resource.collection;
  const file = existing?.file ?? placeResourceFile(resource.domain, resource.resource, schema);
  if (!file) {
    throw invalidInput(
      `No Drizzle table found in ${config.schema.join(', ') || 'the project'}, so joinery cannot tell where ${label} belongs.`,
      "Point drizzle.config.ts's schema at the project's tables.",
    );
  }

  let belongsTo = resource.belongsTo.map((relationship): ResolvedBelongsTo => {
    const table = resolveTable(
      schema.tables,
      relationship.destination,
      describe,
      `Generate it first (joinery gen resource <Domain> ${relationship.destination.resource} --uuid-primary-key id), or name an existing one: -r belongs_to:${relationship.name}:<Domain.Resource>.`,
    );
    return {
      relationship,
      table,
      primaryKey: primaryKeyOf(table, describe(table)),
      field:
        existing?.columns.find((column) => column.sqlName === relationship.attribute)?.key ??
        camelCase(relationship.attribute),
      // An existing table keeps its own SQL name, which may differ from the resource's default.
      indexName: `${existing?.name ?? resource.table}_${relationship.attribute}_idx`,
    };
  });

  const plan: DrizzleResourcePlan = {
    kind: 'resource',
    file,
    existed: existing !== undefined,
    table: existing?.name ?? resource.table,
    warnings: [],
    migrationName: resource.migrationName,
    migrationFiles: [],
    inverseFiles: [],
    resource,
    config,
    dialect,
    variable,
    keyProperty: existing
      ? existing.columns.find((column) => column.primaryKey)?.key
      : camelCase(resource.primaryKey!.name),
    altersSchema: false,
    belongsTo: belongsTo.map((link) => ({
      property: camelCase(link.relationship.name),
      field: link.field,
      destination: link.table.variable,
      reference: link.primaryKey.key,
      inverse: link.relationship.inverse,
      relationship: link.relationship,
    })),
    requiredFields: [
      ...resource.attributes
        .filter((attribute) => attribute.required)
        .map((attribute) => camelCase(attribute.name)),
      ...belongsTo.filter((link) => link.relationship.required).map((link) => link.field),
    ],
    uuidv7Source: undefined,
    relationsV1,
  };
  if (existing && options.ignoreIfExists) return plan;
  if (existing && resource.primaryKey && !options.replace) {
    // Refused rather than warned: joinery.json would otherwise record a key the table lacks.
    const mismatch = keyMismatch(existing, resource.primaryKey);
    if (mismatch) {
      throw invalidInput(
        mismatch,
        'Drop the key flag (the existing key stays), or pass --conflicts replace to regenerate the table.',
      );
    }
  }

  const neighbour =
    existing ?? schema.tables.find((table) => table.file === file) ?? schema.tables[0]!;
  const customCreator = !/^(pg|sqlite|mysql|singlestore)Table$/.test(neighbour.creator);
  const core = neighbour.coreModule ?? CORE_MODULE[dialect];
  const context: Context = {
    project,
    config,
    resource,
    schema,
    files,
    style: schemaImportStyle(project, schema),
    columnStyle: {
      dialect,
      // Under `casing`, columns declared without names stay that way.
      namedColumns: !(config.casing && neighbour.columns.every((column) => !column.sqlName)),
    },
    core,
    creator: customCreator
      ? { call: neighbour.creator, module: neighbour.creatorModule, name: neighbour.creatorImport }
      : {
          call: neighbour.creator || TABLE_FUNCTION[dialect],
          module: core,
          name: neighbour.creator || TABLE_FUNCTION[dialect],
        },
    sourceFileFor: sourceFileAccess(schema, changes),
    changes,
  };
  if (existing && !relationsV1) {
    belongsTo = belongsTo.map((link) => pairWithExisting(context, existing, link));
    plan.belongsTo.forEach((entry, index) => {
      entry.inverse = belongsTo[index]!.relationship.inverse;
    });
  }
  const relationsFile = separateRelationsFile(schema, existing);
  const relations: RelationsContext = {
    schema,
    relationsFile,
    style: context.style,
    sourceFileFor: context.sourceFileFor,
  };
  const ones = belongsTo.map((link): BelongsToRelation => ({
    table: variable,
    property: camelCase(link.relationship.name),
    target: link.table.variable,
    targetFile: link.table.file,
    field: link.field,
    reference: link.primaryKey.key,
    relationName: link.relationship.relationName,
  }));

  if (!existing || options.replace) {
    const key = existing ? existingKey(existing, resource) : resource.primaryKey!;
    const withRelations = !relationsV1 && relationsFile === undefined && ones.length > 0;
    const text = renderTemplate(
      'drizzle/resource-table.ts.ejs',
      resourceTableData(context, plan, file, key, belongsTo, withRelations ? ones : []),
    );
    if (existing) {
      replaceTable(context.sourceFileFor(file), { table: variable }, text);
      plan.migrationName = options.migrationName ?? updateTableMigrationName(existing.name);
    } else if (changes.exists(file)) mergeModule(context.sourceFileFor(file), text);
    else context.sourceFileFor(file, text);
    plan.altersSchema = true;
    // Replaced in place, the file keeps its relations(); a separate relations file gets them.
    if (!relationsV1 && (existing || !withRelations)) {
      addOneToTable({ variable, file }, ones, relations);
    }
    if (!existing) addToBarrels(context, file);
  } else {
    const grown = convergeTable(context, existing, belongsTo, plan);
    if (grown) {
      plan.migrationName = options.migrationName ?? grown;
      plan.altersSchema = true;
    }
    if (!relationsV1) addOneToTable({ variable, file }, ones, relations);
  }

  const inverseFiles = relationsV1
    ? addDefineRelations(context, { variable, file }, belongsTo, plan)
    : addInverseRelations(context, relations, { variable, file }, belongsTo);
  const changed = new Set(changes.listChanges().map((change) => change.file));
  plan.inverseFiles = [...new Set(inverseFiles)].filter((candidate) => changed.has(candidate));
  return plan;
}

/**
 * drizzle-orm 0.45: a belongs_to to a destination the table already points at (`editor` beside a
 * hand-written `author`, both to users). Drizzle needs `relationName` on every pair then, so the
 * new pair gets one (`posts_editor`) and an inverse of its own (`editorPosts`, unless named), and
 * the pair already there is named (`posts_author`) when it is one unnamed one() and one unnamed
 * many(); otherwise the link is left as the model made it.
 */
function pairWithExisting(
  context: Context,
  existing: DrizzleTable,
  link: ResolvedBelongsTo,
): ResolvedBelongsTo {
  const { schema, sourceFileFor, resource } = context;
  const entriesOf = (table: string) => {
    const call = schema.relations.find((candidate) => candidate.tableVariable === table);
    return call ? relationEntries(sourceFileFor(call.file), table) : [];
  };
  const property = camelCase(link.relationship.name);
  const others = entriesOf(existing.variable).filter(
    (entry) =>
      entry.helper === 'one' && entry.target === link.table.variable && entry.property !== property,
  );
  if (others.length === 0) return link;
  const unnamedOnes = others.filter((entry) => entry.relationName === undefined);
  const unnamedManys = entriesOf(link.table.variable).filter(
    (entry) =>
      entry.helper === 'many' &&
      entry.target === existing.variable &&
      entry.relationName === undefined,
  );
  if (unnamedOnes.length === 1 && unnamedManys.length === 1) {
    const name = `${resource.table}_${snakeCase(unnamedOnes[0]!.property)}`;
    nameRelation(unnamedOnes[0]!, name);
    nameRelation(unnamedManys[0]!, name);
  }
  return { ...link, relationship: distinguished(resource, link.relationship) };
}

/** drizzle-orm 0.45: `many()` back on each destination, in its relations(); the files touched. */
function addInverseRelations(
  context: Context,
  relations: RelationsContext,
  table: RelatedTable,
  belongsTo: ResolvedBelongsTo[],
): string[] {
  const { schema } = context;
  return belongsTo.map((link) => {
    const relationsFile = separateRelationsFile(schema, link.table);
    addManyToTable(
      link.table,
      {
        property: link.relationship.inverse,
        target: table.variable,
        targetFile: table.file,
        relationName: link.relationship.relationName,
      },
      { ...relations, relationsFile },
    );
    return (
      schema.relations.find((call) => call.tableVariable === link.table.variable)?.file ??
      relations.relationsFile ??
      link.table.file
    );
  });
}

/**
 * drizzle-orm 1.x: each belongs_to as a `one` on the table and a `many` back on its destination,
 * in the project's defineRelations() (created beside the table when there is none); the files
 * touched.
 */
function addDefineRelations(
  context: Context,
  table: RelatedTable,
  belongsTo: ResolvedBelongsTo[],
  plan: DrizzleResourcePlan,
): string[] {
  if (belongsTo.length === 0) return [];
  const { schema, style, sourceFileFor } = context;
  const tables = [table, ...belongsTo.map((link) => link.table)];
  const file = defineRelationsFile(schema, tables, style, sourceFileFor, plan.warnings);
  const sourceFile = sourceFileFor(file);
  includeInRelationsSchema(sourceFile, tables, style);
  addBelongsToRelations(
    sourceFile,
    belongsTo.map((link) => ({
      table: table.variable,
      field: link.field,
      property: camelCase(link.relationship.name),
      target: link.table.variable,
      reference: link.primaryKey.key,
      inverse: link.relationship.inverse,
      required: link.relationship.required,
      alias: link.relationship.relationName,
    })),
  );
  return [file];
}

/** An existing table keeps its key: what is wrong when the key flag asks for another. */
function keyMismatch(existing: DrizzleTable, wanted: SurrogateKey): string | undefined {
  const key = existing.columns.find((column) => column.primaryKey);
  if (!key) return undefined;
  const integer = /int|serial/.test(key.builder);
  const sameName = (key.sqlName ?? key.key) === wanted.name || key.key === camelCase(wanted.name);
  if (sameName && integer === (wanted.kind === 'integer')) return undefined;
  return `${existing.variable} exists with the key ${key.key} (${key.builder}); joinery does not change it to the ${wanted.kind} key ${wanted.name}.`;
}

/** With --conflicts replace, the table keeps the key it has unless a key flag says otherwise. */
function existingKey(existing: DrizzleTable, resource: ResourceModel): SurrogateKey {
  if (resource.primaryKey) return resource.primaryKey;
  const key = existing.columns.find((column) => column.primaryKey);
  const kind = !key ? 'uuid' : /int|serial/.test(key.builder) ? 'integer' : 'uuid';
  return { name: key?.sqlName ?? 'id', kind };
}

function onDeleteText(rule: BelongsTo['onDelete']): string {
  return rule === 'set-null' ? 'set null' : rule;
}

function foreignKeyColumn(context: Context, link: ResolvedBelongsTo): ColumnCode {
  const column = referenceColumn(link.primaryKey);
  const { relationship, table, primaryKey } = link;
  return {
    key: link.field,
    builder: column.builder,
    sqlName: relationship.attribute,
    expression:
      builderCall(column, relationship.attribute, context.columnStyle.namedColumns) +
      (relationship.required ? '.notNull()' : '') +
      foreignKeyReference(table, primaryKey, relationship),
  };
}

function foreignKeyReference(
  table: DrizzleTable,
  primaryKey: DrizzleColumn,
  relationship: BelongsTo,
): string {
  return `.references(() => ${table.variable}.${primaryKey.key}, { onDelete: '${onDeleteText(relationship.onDelete)}' })`;
}

/** The key column: the dialect's generated uuid, a uuid v7 made in code, or an integer identity. */
function keyColumn(
  context: Context,
  key: SurrogateKey,
  plan: DrizzleResourcePlan,
): { column: ColumnCode; imports: [string, string][] } {
  const { dialect, namedColumns } = context.columnStyle;
  const pg = dialect === 'postgresql';
  const named = (builder: string, options?: string) =>
    builderCall({ builder, options }, key.name, namedColumns);
  const code = (builder: string, expression: string): ColumnCode => ({
    key: camelCase(key.name),
    builder,
    expression,
    sqlName: key.name,
  });
  if (key.kind === 'uuid') {
    return pg
      ? { column: code('uuid', `${named('uuid')}.primaryKey().defaultRandom()`), imports: [] }
      : {
          column: code(
            'text',
            `${named('text')}.primaryKey().$defaultFn(() => crypto.randomUUID())`,
          ),
          imports: [],
        };
  }
  if (key.kind === 'uuid_v7') {
    const source = uuidV7Source(context.project, context.changes, uuidv7Folder(context));
    plan.uuidv7Source = path.isAbsolute(source.module)
      ? `${source.shown} (generated in code; the database needs no uuidv7())`
      : source.shown;
    const builder = pg ? 'uuid' : 'text';
    return {
      column: code(builder, `${named(builder)}.primaryKey().$defaultFn(() => uuidv7())`),
      imports: [[source.module, source.name]],
    };
  }
  if (!pg) {
    return {
      column: code('integer', `${named('integer')}.primaryKey({ autoIncrement: true })`),
      imports: [],
    };
  }
  const identity = integerKeyStyle(context);
  return identity === 'serial'
    ? { column: code('serial', `${named('serial')}.primaryKey()`), imports: [] }
    : { column: code('integer', `${named('integer')}.primaryKey().${identity}()`), imports: [] };
}

/**
 * How the project's Postgres tables generate integer keys: `serial` when that is all it uses,
 * else an identity column (`generatedAlwaysAsIdentity()` unless it uses `ByDefault`).
 */
function integerKeyStyle(
  context: Context,
): 'serial' | 'generatedAlwaysAsIdentity' | 'generatedByDefaultAsIdentity' {
  const keys = context.schema.tables.flatMap((table) => {
    const key = table.columns.find((column) => column.primaryKey);
    if (!key || !/int|serial/.test(key.builder)) return [];
    const sourceFile = context.schema.sourceFiles.get(table.file);
    const text = sourceFile
      ? (tableColumnsObject(sourceFile, table.variable)?.getProperty(key.key)?.getText() ?? '')
      : '';
    return [{ builder: key.builder, text }];
  });
  if (keys.some((key) => key.text.includes('generatedByDefaultAsIdentity')))
    return 'generatedByDefaultAsIdentity';
  if (keys.length > 0 && keys.every((key) => /serial/.test(key.builder))) return 'serial';
  return 'generatedAlwaysAsIdentity';
}

/** The folder of the config's schema entry (`src/db`), else the tables' common folder. */
function uuidv7Folder(context: Context): string {
  const { project, schema, config } = context;
  const entry = config.schema.length === 1 ? config.schema[0]! : undefined;
  if (entry && !/[*?{[]/.test(entry)) {
    const resolved = path.resolve(project.root, entry);
    return /\.[cm]?[jt]sx?$/.test(resolved) ? path.dirname(resolved) : resolved;
  }
  const folders = schema.tables.map((table) => path.dirname(table.file).split(path.sep));
  const common = folders.reduce((shared, parts) => {
    let i = 0;
    while (i < shared.length && shared[i] === parts[i]) i++;
    return shared.slice(0, i);
  });
  return common.join(path.sep) || project.root;
}

function resourceTableData(
  context: Context,
  plan: DrizzleResourcePlan,
  file: string,
  key: SurrogateKey,
  belongsTo: ResolvedBelongsTo[],
  ones: BelongsToRelation[],
) {
  const { resource, columnStyle, core, creator } = context;
  const keyCode = keyColumn(context, key, plan);
  const columns = [
    keyCode.column,
    ...resource.attributes.map((attribute) => attributeColumnCode(columnStyle, attribute)),
    ...belongsTo.map((link) => foreignKeyColumn(context, link)),
    ...(resource.timestamps ? timestampColumnCode(columnStyle) : []),
  ];
  const wanted: [string, string][] = [
    ...columns.map((column): [string, string] => [core, column.builder]),
    [creator.module, creator.name],
    ...keyCode.imports,
    ...belongsTo.map((link): [string, string] => [link.table.file, link.table.variable]),
  ];
  if (belongsTo.length > 0) wanted.push([core, 'index']);
  if (ones.length > 0) wanted.push(['drizzle-orm', 'relations']);
  return {
    imports: importList(file, context.style, wanted),
    table: { variable: plan.variable, creator: creator.call, name: resource.table },
    columns,
    indexes: belongsTo.map((link) => ({ name: link.indexName, key: link.field })),
    relations: ones.length > 0 ? oneRelationsData(plan.variable, ones) : undefined,
  };
}

/**
 * An existing table gains what the resource adds: missing attribute, belongs_to and timestamp
 * columns, and a belongs_to's foreign key and index when absent. Returns the migration name for
 * the change (`add_organizer_id_to_events`), or undefined when nothing SQL was missing.
 */
function convergeTable(
  context: Context,
  existing: DrizzleTable,
  belongsTo: ResolvedBelongsTo[],
  plan: DrizzleResourcePlan,
): string | undefined {
  const { resource, columnStyle } = context;
  const sourceFile = context.sourceFileFor(existing.file);
  const core = existing.coreModule ?? context.core;
  const tableImport = (link: ResolvedBelongsTo): [string, string] => [
    moduleSpecifier(existing.file, link.table.file, context.style),
    link.table.variable,
  ];
  const built = (column: ColumnCode, ...more: [string, string][]) => ({
    ...column,
    imports: [[core, column.builder] as [string, string], ...more],
  });
  const wanted = [
    ...resource.attributes.map((attribute) => built(attributeColumnCode(columnStyle, attribute))),
    ...belongsTo.map((link) => built(foreignKeyColumn(context, link), tableImport(link))),
    ...(resource.timestamps ? timestampColumnCode(columnStyle).map((column) => built(column)) : []),
  ].filter((column) => !hasSqlColumn(existing.columns, column.sqlName));
  const columns = addTableColumns(sourceFile, existing.variable, wanted);
  if (columns.status === 'missing') {
    plan.warnings.push(
      `${path.basename(existing.file)}:${existing.line}: cannot read the columns of ${existing.variable}; add ${wanted.map((column) => column.sqlName).join(', ')} yourself.`,
    );
    return undefined;
  }
  const addedColumns = wanted.filter((column) => addedBy(columns).includes(column.key));
  let constraints = 0;
  for (const link of belongsTo) {
    const indexed = addTableIndex(sourceFile, {
      table: existing.variable,
      key: link.field,
      name: link.indexName,
      coreModule: core,
    });
    if (indexed.status === 'added') constraints++;
    else if (indexed.status === 'missing') {
      plan.warnings.push(
        `${existing.variable}: its extra config is not an array; add an index on ${link.relationship.attribute} yourself.`,
      );
    }
  }
  const references = addColumnReferences(
    sourceFile,
    existing.variable,
    Object.fromEntries(
      belongsTo.map((link) => [
        link.field,
        {
          text: foreignKeyReference(link.table, link.primaryKey, link.relationship),
          imports: [tableImport(link)],
        },
      ]),
    ),
  );
  constraints += addedBy(references).length;
  if (addedColumns.length > 0) {
    return addColumnsMigrationName(
      addedColumns.map((column) => column.sqlName),
      existing.name,
    );
  }
  return constraints > 0 ? updateTableMigrationName(existing.name) : undefined;
}

/** A barrel re-exporting the new file's neighbours (or any table) re-exports it too. */
function addToBarrels(context: Context, file: string): void {
  const { files, project, schema, style } = context;
  const tableFiles = [...new Set(schema.tables.map((table) => table.file))];
  // Appended to a file that holds tables already: whatever re-exports it sees the new one.
  if (tableFiles.includes(file)) return;
  const beside = tableFiles.filter((candidate) => path.dirname(candidate) === path.dirname(file));
  const barrels = barrelsReexporting(files, project, beside.length > 0 ? beside : tableFiles, {
    last: true,
  });
  for (const barrel of barrels) {
    addReexport(
      context.sourceFileFor(barrel.file),
      moduleSpecifier(barrel.file, file, style),
      barrel.besideSpecifier,
    );
  }
}
