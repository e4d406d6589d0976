/**
 * A new join table or plain resource table, rendered from its template (`join-table.ts.ejs`,
 * `resource-table.ts.ejs`): written as a new file, appended to a shared schema file, or, under
 * `--conflicts replace`, put in place of the table it regenerates.
 */
import path from 'node:path';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import type { SurrogateKey } from '../../resource/resource-model.js';
import { updateJoinMigrationName, updateTableMigrationName } from '../../rules/migration-names.js';
import { camelCase } from '../../rules/naming.js';
import { uuidV7Source } from '../../rules/uuidv7-source.js';
import {
  attributeColumnCode,
  builderCall,
  foreignKeyColumn,
  timestampColumnCode,
  type ColumnCode,
} from './column-code.js';
import { referenceColumn } from './column-types.js';
import { MYSQL_UUID_KEY, mysqlIntegerKey } from './dialects/mysql.js';
import { CORE_MODULE, TABLE_FUNCTION } from './drizzle-schema.js';
import { uuidv7Folder } from './place.js';
import type { JoinContext, ResourceContext, SchemaChange } from './plan-types.js';
import { belongsToRelations, joinSideData } from './relations.js';
import { existingKey, type ResolvedSide } from './resolve.js';
import { oneRelationsData } from './table-relations.js';
import { tableColumnsObject } from './transforms/add-table-columns.js';
import { mergeModule } from './transforms/merge-module.js';
import { replaceTable } from './transforms/replace-table.js';
import { projectProblem } from '../../errors.js';
import { relativeToRoot } from './schema-model.js';

/**
 * Writes `text` as the new table's file, or appends it to the schema file it shares. The merge
 * keeps names the file already declares, so a new table whose variable is taken by something
 * that is not a table (`usersRelations` for a resource UsersRelation) would silently not be
 * written: that is refused, naming the declaration.
 */
function writeNewTable(
  context: JoinContext | ResourceContext,
  file: string,
  text: string,
  variable: string,
): void {
  if (!context.changes.exists(file)) {
    context.sourceFileFor(file, text);
    return;
  }
  const sourceFile = context.sourceFileFor(file);
  const taken = sourceFile.getVariableDeclaration(variable);
  if (taken) {
    const where = `${relativeToRoot(context.project.root, file)}:${taken.getStartLineNumber()}`;
    throw projectProblem(
      `${where} already declares ${variable}, which is not a table (${taken.getInitializer()?.getText().split('(')[0] ?? 'no initializer'}(…)); the new table would need that name.`,
      'Name the resource differently (its table variable is the plural of its name), or rename that declaration.',
    );
  }
  mergeModule(sourceFile, text);
}

/** The join table from its template: new, or replacing the existing one (`update_…`). */
export function createJoinTable(context: JoinContext): SchemaChange {
  const { existing, joinFile, names, join, scan, relations } = context;
  const withRelations = !scan.relationsV1 && relations.relationsFile === undefined;
  const text = renderTemplate('drizzle/join-table.ts.ejs', joinTableData(context, withRelations));
  if (!existing) {
    writeNewTable(context, joinFile, text, names.table);
    return { altered: true };
  }
  const ownRelations = scan.schema.relations.find(
    (call) => call.tableVariable === names.table && call.file === joinFile,
  );
  replaceTable(
    context.sourceFileFor(joinFile),
    {
      table: names.table,
      relations: { rendered: names.relations, existing: ownRelations?.variable },
    },
    text,
  );
  return { altered: true, migrationName: updateJoinMigrationName(join.table) };
}

/** A join key column as the template writes it (converge puts a removed one back the same way). */
export function joinKeyColumn(context: JoinContext, side: ResolvedSide) {
  const { dialect, foreignKeys } = context.columnStyle;
  const column = referenceColumn(side.primaryKey, dialect);
  const expression =
    builderCall(column, side.key.attribute.name, context.columnStyle) +
    '.notNull()' +
    (foreignKeys
      ? `.references(() => ${side.table.variable}.${side.primaryKey.key}, { onDelete: 'cascade' })`
      : '');
  return { key: camelCase(side.key.attribute.name), builder: column.builder, expression };
}

function joinTableData(context: JoinContext, withRelations: boolean) {
  const { join, sides, names, joinFile, columnStyle, scan } = context;
  const sourceTable = sides.source.table;
  const columns = [
    joinKeyColumn(context, sides.source),
    joinKeyColumn(context, sides.target),
    ...join.extraAttributes.map((attribute) => attributeColumnCode(columnStyle, attribute)),
    ...(join.timestamps ? timestampColumnCode(columnStyle) : []),
  ];
  const core = sourceTable.coreModule ?? CORE_MODULE[scan.dialect];
  const customCreator = !/^(pg|sqlite|mysql|singlestore)Table$/.test(sourceTable.creator);
  const wanted: [string, string][] = [
    ...columns.map((column): [string, string] => [core, column.builder]),
    [core, 'primaryKey'],
    [core, 'index'],
    customCreator
      ? [sourceTable.creatorModule, sourceTable.creatorImport]
      : [core, sourceTable.creator || TABLE_FUNCTION[scan.dialect]],
    [sides.source.table.file, sides.source.table.variable],
    [sides.target.table.file, sides.target.table.variable],
  ];
  if (withRelations) wanted.push(['drizzle-orm', 'relations']);
  return {
    imports: importList(joinFile, scan.style, wanted),
    table: { variable: names.table, creator: sourceTable.creator, name: join.table },
    columns,
    indexName: `${join.table}_${join.target.attribute.name}_idx`,
    // Without foreign keys nothing else indexes the first key for the relations' lookups.
    sourceIndexName: columnStyle.foreignKeys
      ? undefined
      : `${join.table}_${join.source.attribute.name}_idx`,
    source: joinSideData(sides.source, names.sourceKey, join),
    target: joinSideData(sides.target, names.targetKey, join),
    relations: withRelations ? { variable: names.relations } : undefined,
  };
}

/** The resource's table from its template: new, or replacing the existing one (`update_…`). */
export function createResourceTable(context: ResourceContext): SchemaChange {
  const { existing, resource, file, variable } = context;
  const key = existing ? existingKey(existing, resource) : resource.primaryKey!;
  const text = renderTemplate('drizzle/resource-table.ts.ejs', resourceTableData(context, key));
  if (!existing) {
    writeNewTable(context, file, text, variable);
    return { altered: true };
  }
  replaceTable(context.sourceFileFor(file), { table: variable }, text);
  return { altered: true, migrationName: updateTableMigrationName(existing.name) };
}

function resourceTableData(context: ResourceContext, key: SurrogateKey) {
  const { resource, columnStyle, core, creator, belongsTo, plan, file, scan } = context;
  const ones = context.inlineRelations ? belongsToRelations(context) : [];
  const keyCode = keyColumn(context, key);
  const columns = [
    keyCode.column,
    ...resource.attributes.map((attribute) => attributeColumnCode(columnStyle, attribute)),
    ...belongsTo.map((link) => foreignKeyColumn(columnStyle, link)),
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
    imports: importList(file, scan.style, wanted),
    table: { variable: plan.variable, creator: creator.call, name: resource.table },
    columns,
    indexes: belongsTo.map((link) => ({ name: link.indexName, key: link.field })),
    relations: ones.length > 0 ? oneRelationsData(plan.variable, ones) : undefined,
  };
}

/** The key column: the dialect's generated uuid, a uuid v7 made in code, or an integer identity. */
function keyColumn(
  context: ResourceContext,
  key: SurrogateKey,
): { column: ColumnCode; imports: [string, string][] } {
  const { dialect } = context.columnStyle;
  const naming = context.columnStyle;
  const pg = dialect === 'postgresql';
  const mysql = dialect === 'mysql';
  const named = (builder: string, options?: string) =>
    builderCall({ builder, options }, key.name, naming);
  const code = (builder: string, expression: string): ColumnCode => ({
    key: camelCase(key.name),
    builder,
    expression,
    sqlName: key.name,
  });
  if (key.kind === 'uuid' && mysql) {
    // MySQL and MariaDB make no uuid a column default can call portably: made in code.
    const uuid = builderCall(MYSQL_UUID_KEY, key.name, naming);
    return {
      column: code('varchar', `${uuid}.primaryKey().$defaultFn(() => crypto.randomUUID())`),
      imports: [],
    };
  }
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
    const source = uuidV7Source(
      context.project,
      context.changes,
      uuidv7Folder(context.project, context.scan),
    );
    context.plan.uuidv7Source = path.isAbsolute(source.module)
      ? `${source.shown} (generated in code; the database needs no uuidv7())`
      : source.shown;
    const builder = pg ? 'uuid' : mysql ? MYSQL_UUID_KEY.builder : 'text';
    const call = mysql ? builderCall(MYSQL_UUID_KEY, key.name, naming) : named(builder);
    return {
      column: code(builder, `${call}.primaryKey().$defaultFn(() => uuidv7())`),
      imports: [[source.module, source.name]],
    };
  }
  if (mysql) {
    const integer = mysqlIntegerKey(integerKeyTexts(context));
    const call = builderCall(integer, key.name, naming);
    return {
      column: code(integer.builder, `${call}.primaryKey().autoincrement()`),
      imports: [],
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
  context: ResourceContext,
): 'serial' | 'generatedAlwaysAsIdentity' | 'generatedByDefaultAsIdentity' {
  const keys = integerKeys(context);
  if (keys.some((key) => key.text.includes('generatedByDefaultAsIdentity')))
    return 'generatedByDefaultAsIdentity';
  if (keys.length > 0 && keys.every((key) => /serial/.test(key.builder))) return 'serial';
  return 'generatedAlwaysAsIdentity';
}

/** The integer primary keys of the project's tables, with their source text. */
function integerKeys(context: ResourceContext): { builder: string; text: string }[] {
  const { schema } = context.scan;
  return schema.tables.flatMap((table) => {
    const key = table.columns.find((column) => column.primaryKey);
    if (!key || !/int|serial/.test(key.builder)) return [];
    const sourceFile = schema.sourceFiles.get(table.file);
    const text = sourceFile
      ? (tableColumnsObject(sourceFile, table.variable)?.getProperty(key.key)?.getText() ?? '')
      : '';
    return [{ builder: key.builder, text }];
  });
}

function integerKeyTexts(context: ResourceContext): string[] {
  return integerKeys(context).map((key) => key.text);
}
