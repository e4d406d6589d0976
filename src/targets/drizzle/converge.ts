/**
 * An existing join table or resource table gains what the run adds and the file lacks: missing
 * attribute, belongs_to and timestamp columns, and the keys, indexes and foreign keys that were
 * removed; the migration is named for just that change (`add_role_to_user_events`, `update_…`).
 */
import path from 'node:path';
import { moduleSpecifier } from '../../project/import-style.js';
import {
  addColumnsMigrationName,
  updateJoinMigrationName,
  updateTableMigrationName,
} from '../../rules/migration-names.js';
import { addedBy } from '../../transforms/transform-result.js';
import {
  attributeColumnCode,
  foreignKeyColumn,
  foreignKeyReference,
  hasSqlColumn,
  statesName,
  timestampColumnCode,
  type ColumnCode,
} from './column-code.js';
import { CORE_MODULE } from './drizzle-schema.js';
import type { JoinContext, ResourceContext, SchemaChange } from './plan-types.js';
import type { ResolvedBelongsTo, ResolvedSide } from './resolve.js';
import type { DrizzleTable } from './schema-model.js';
import { addColumnReferences } from './transforms/add-column-references.js';
import { addTableColumns } from './transforms/add-table-columns.js';
import { addTableIndex } from './transforms/add-table-index.js';
import { ensureKeyColumns } from './transforms/ensure-key-columns.js';
import { ensureImport } from '../../transforms/ensure-import.js';
import { referenceColumn } from './column-types.js';
import { joinKeyColumn } from './create.js';
import { ensureJoinConstraints } from './transforms/ensure-join-constraints.js';
import { entryFile } from '../../manifest/manifest.js';

function unreadableColumns(table: DrizzleTable, wanted: ColumnCode[]): string {
  return `${path.basename(table.file)}:${table.line}: cannot read the columns of ${table.variable}; add ${wanted.map((column) => column.sqlName).join(', ')} yourself.`;
}

const CREATED = /^(?:created|inserted)(?:_at|At)$/;

/**
 * A table that has a created timestamp under another name (`inserted_at`, written before the
 * project's `created_at` was read) keeps it: adding the other would give it two.
 */
function hasTimestamp(existing: DrizzleTable, column: ColumnCode): boolean {
  if (!CREATED.test(column.sqlName)) return false;
  return existing.columns.some((candidate) => CREATED.test(candidate.sqlName ?? candidate.key));
}

/** Missing attribute and timestamp columns, then the key, index and foreign keys if removed. */
export function convergeJoinTable(context: JoinContext, existing: DrizzleTable): SchemaChange {
  const { join, names, sides, columnStyle, plan } = context;
  const sourceFile = context.sourceFileFor(existing.file);
  const wanted = [
    ...join.extraAttributes.map((attribute) => attributeColumnCode(columnStyle, attribute)),
    ...(join.timestamps ? timestampColumnCode(columnStyle) : []),
  ].filter(
    (column) => !hasSqlColumn(existing.columns, column.sqlName) && !hasTimestamp(existing, column),
  );
  const core = existing.coreModule ?? CORE_MODULE[context.scan.dialect];
  const columns = addTableColumns(
    sourceFile,
    existing.variable,
    wanted.map((column) => ({ ...column, imports: [[core, column.builder]] })),
  );
  if (columns.status === 'missing') {
    plan.warnings.push(unreadableColumns(existing, wanted));
    return { altered: false };
  }
  const keys = ensureKeyColumns(
    sourceFile,
    existing.variable,
    [sides.source, sides.target].map((side, index) => {
      const column = joinKeyColumn(context, side);
      return {
        ...column,
        sqlName: statesName(columnStyle, side.key.attribute.name)
          ? side.key.attribute.name
          : undefined,
        index,
      };
    }),
  );
  if (addedBy(keys.result).some((what) => what.startsWith('column '))) {
    for (const side of [sides.source, sides.target]) {
      ensureImport(
        sourceFile,
        core,
        referenceColumn(side.primaryKey, context.scan.dialect).builder,
      );
      ensureImport(
        sourceFile,
        moduleSpecifier(existing.file, side.table.file, context.scan.style),
        side.table.variable,
      );
    }
  }
  const where = path.relative(context.project.root, existing.file).split(path.sep).join('/');
  for (const conflict of keys.conflicts) {
    const column = `${existing.variable}.${conflict.key}`;
    (plan.conflicts ??= []).push({
      file: where,
      line: conflict.line,
      ...(conflict.what === 'type'
        ? { expected: `${column} built with ${conflict.expected}()`, found: `${conflict.found}()` }
        : { expected: `${column} named '${conflict.expected}'`, found: `'${conflict.found}'` }),
      hint: `put the recorded ${conflict.what} back, or regenerate the join on purpose with \`joinery gen resource ${join.domain} ${join.resource} --conflicts replace\` and review its migration`,
    });
  }
  if (existing.name !== join.table) {
    (plan.conflicts ??= []).push({
      file: where,
      line: existing.line,
      expected: `${existing.variable} on table '${join.table}' (as ${entryFile(`${join.domain}.${join.resource}`)} records it)`,
      found: `'${existing.name}'`,
      hint: `put "table": "${existing.name}" back in ${entryFile(`${join.domain}.${join.resource}`)}, or rename the table in the code too and let drizzle-kit generate migrate it (it asks about the rename)`,
    });
  }
  const keyReference = (side: ResolvedSide) =>
    `.references(() => ${side.table.variable}.${side.primaryKey.key}, { onDelete: 'cascade' })`;
  const restored = ensureJoinConstraints(sourceFile, {
    table: existing.variable,
    sourceKey: names.sourceKey,
    targetKey: names.targetKey,
    indexName: `${join.table}_${join.target.attribute.name}_idx`,
    references: columnStyle.foreignKeys
      ? {
          [names.sourceKey]: keyReference(sides.source),
          [names.targetKey]: keyReference(sides.target),
        }
      : {},
    coreModule: core,
  });
  // Without foreign keys the first key has its own index too (see create.ts).
  const sourceIndexed = columnStyle.foreignKeys
    ? undefined
    : addTableIndex(sourceFile, {
        table: existing.variable,
        key: names.sourceKey,
        name: `${join.table}_${join.source.attribute.name}_idx`,
        coreModule: core,
      });
  if (restored.status === 'missing') {
    plan.warnings.push(
      `${existing.variable}: its extra config is not an array; check its primary key and index yourself.`,
    );
  }
  const added = wanted.filter((column) => addedBy(columns).includes(column.key));
  if (added.length > 0) {
    const migrationName = addColumnsMigrationName(
      added.map((column) => column.sqlName),
      join.table,
    );
    return { altered: true, migrationName };
  }
  return restored.status === 'added' ||
    keys.result.status === 'added' ||
    sourceIndexed?.status === 'added'
    ? { altered: true, migrationName: updateJoinMigrationName(join.table) }
    : { altered: false };
}

/**
 * Missing attribute, belongs_to and timestamp columns, and a belongs_to's index and foreign key
 * when absent; nothing SQL missing is no change.
 */
export function convergeResourceTable(
  context: ResourceContext,
  existing: DrizzleTable,
): SchemaChange {
  const { resource, columnStyle, belongsTo, plan } = context;
  const sourceFile = context.sourceFileFor(existing.file);
  const core = existing.coreModule ?? context.core;
  const tableImport = (link: ResolvedBelongsTo): [string, string] => [
    moduleSpecifier(existing.file, link.table.file, context.scan.style),
    link.table.variable,
  ];
  const built = (column: ColumnCode, ...more: [string, string][]) => ({
    ...column,
    imports: [[core, column.builder] as [string, string], ...more],
  });
  const wanted = [
    ...resource.attributes.map((attribute) => built(attributeColumnCode(columnStyle, attribute))),
    ...belongsTo.map((link) => built(foreignKeyColumn(columnStyle, link), tableImport(link))),
    ...(resource.timestamps ? timestampColumnCode(columnStyle).map((column) => built(column)) : []),
  ].filter(
    (column) => !hasSqlColumn(existing.columns, column.sqlName) && !hasTimestamp(existing, column),
  );
  const columns = addTableColumns(sourceFile, existing.variable, wanted);
  if (columns.status === 'missing') {
    plan.warnings.push(unreadableColumns(existing, wanted));
    return { altered: false };
  }
  const added = wanted.filter((column) => addedBy(columns).includes(column.key));
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
      belongsTo
        .filter(() => columnStyle.foreignKeys)
        .map((link) => [
          link.field,
          {
            text: foreignKeyReference(link.table, link.primaryKey, link.relationship),
            imports: [tableImport(link)],
          },
        ]),
    ),
  );
  constraints += addedBy(references).length;
  if (added.length > 0) {
    const migrationName = addColumnsMigrationName(
      added.map((column) => column.sqlName),
      existing.name,
    );
    return { altered: true, migrationName };
  }
  return constraints > 0
    ? { altered: true, migrationName: updateTableMigrationName(existing.name) }
    : { altered: false };
}
