/**
 * An entity that exists gains what it lacks: the join entity its attribute and timestamp
 * columns and the second key's index; a plain entity its columns, `@ManyToOne` relations and
 * foreign-key indexes. Everything else in the class stays as the user wrote it; --conflicts
 * replace renders it anew instead. Also names the migration for what was added.
 */
import type { ClassDeclaration } from 'ts-morph';
import type { AttributeSpec } from '../../flags/types.js';
import { moduleSpecifier } from '../../project/import-style.js';
import { addColumnsMigrationName } from '../../rules/migration-names.js';
import { camelCase } from '../../rules/naming.js';
import { joinEntityColumns, type BelongsToParts } from './column-code.js';
import { renderJoinEntity, renderResourceEntity, type ResourceShape } from './create.js';
import type { TypeormEntity } from './entity-model.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import type { EditContext } from './scan.js';
import { addEntityColumns, hasColumn, type EntityColumn } from './transforms/add-entity-columns.js';
import { addKeyIndex, hasKeyIndex } from './transforms/add-key-index.js';
import { addManyToOne, hasManyToOne } from './transforms/add-many-to-one.js';

/** Adds the join entity's missing columns and index; returns the columns its table gains. */
export function convergeJoinEntity(
  context: EditContext,
  plan: TypeormJoinPlan,
  existing: TypeormEntity,
): EntityColumn[] {
  const { join } = plan;
  const sourceFile = context.scan.sourceFiles.get(existing.file)!;
  const before = sourceFile.getClass(existing.className);
  const wanted = joinEntityColumns(join, context.dialect).filter(
    (column) => !before || !hasColumn(before, column),
  );
  let added: EntityColumn[];
  if (context.options.replace) {
    sourceFile.replaceWithText(renderJoinEntity(context, plan));
    added = wanted;
  } else {
    const result = addEntityColumns(sourceFile, existing.className, wanted, {
      orm: context.ormModule,
    });
    added = result.status === 'missing' ? [] : wanted;
    addKeyIndex(sourceFile, existing.className, camelCase(join.target.attribute.name), {
      orm: context.ormModule,
    });
  }
  const names = added.map((column) => column.columnName);
  plan.warnings.push(...requiredColumnWarnings(names, join.extraAttributes, join.table));
  if (added.length > 0) {
    plan.migrationName =
      context.options.migrationName ?? addColumnsMigrationName(names, join.table);
  }
  return added;
}

/** What an existing entity lacked, and gained in this run (checked before anything is added). */
export interface ResourceGrowth {
  columns: EntityColumn[];
  relations: BelongsToParts[];
  indices: BelongsToParts[];
}

/** Adds the plain entity's missing columns, relations and indexes; returns what it lacked. */
export function convergeResourceEntity(
  context: EditContext,
  plan: TypeormResourcePlan,
  shape: ResourceShape,
  existing: TypeormEntity,
): ResourceGrowth {
  const { className, file, table, resource } = plan;
  const sourceFile = context.scan.sourceFiles.get(existing.file)!;
  const declaration = sourceFile.getClass(existing.className)!;
  const growth = missingParts(
    declaration,
    shape.attributeColumns,
    shape.timestampColumns.filter(
      (column) => !declaration.getProperties().some((p) => p.getDecorator(column.decorator)),
    ),
    shape.belongsTo,
  );
  if (context.options.replace) {
    sourceFile.replaceWithText(renderResourceEntity(context, plan, shape));
  } else {
    addEntityColumns(sourceFile, className, growth.columns, { orm: context.ormModule });
    for (const parts of shape.belongsTo) {
      addKeyIndex(sourceFile, className, parts.column.property, { orm: context.ormModule });
      const { entity } = parts.resolved;
      addManyToOne(sourceFile, {
        ...parts.relation,
        imports: {
          orm: context.ormModule,
          related: {
            name: entity.className,
            from: moduleSpecifier(file, entity.file, context.style.imports),
          },
        },
      });
    }
  }
  const addedNames = growth.columns.map((column) => column.columnName);
  plan.warnings.push(...requiredColumnWarnings(addedNames, resource.attributes, table));
  for (const parts of growth.relations) {
    if (parts.resolved.relation.required && addedNames.includes(parts.column.columnName)) {
      plan.warnings.push(
        `${parts.column.columnName} is NOT NULL: the migration fails if ${table} already has rows. Make the relationship optional first, or fill the column in the migration.`,
      );
    }
  }
  if (grew(growth)) {
    plan.migrationName =
      context.options.migrationName ??
      addColumnsMigrationName(
        addedNames.length > 0
          ? addedNames
          : [...growth.relations, ...growth.indices].map((parts) => parts.column.columnName),
        table,
      );
  }
  return growth;
}

export function grew(growth: ResourceGrowth): boolean {
  return growth.columns.length + growth.relations.length + growth.indices.length > 0;
}

/** Parts of the resource an existing entity class lacks. */
function missingParts(
  declaration: ClassDeclaration,
  attributeColumns: EntityColumn[],
  timestampColumns: EntityColumn[],
  belongsTo: BelongsToParts[],
): ResourceGrowth {
  const columns = [
    ...attributeColumns,
    ...belongsTo.map((parts) => parts.column),
    ...timestampColumns,
  ].filter((column) => !hasColumn(declaration, column));
  const added = (parts: BelongsToParts) => columns.includes(parts.column);
  return {
    columns,
    relations: belongsTo.filter(
      (parts) => added(parts) || !hasManyToOne(declaration, parts.relation),
    ),
    indices: belongsTo.filter(
      (parts) => added(parts) || !hasKeyIndex(declaration, parts.column.property),
    ),
  };
}

/** Columns added to a table that has rows already: a NOT NULL column without default fails. */
export function requiredColumnWarnings(
  added: string[],
  attributes: AttributeSpec[],
  table: string,
): string[] {
  return added
    .filter((name) => attributes.some((attribute) => attribute.name === name && attribute.required))
    .map(
      (name) =>
        `${name} is NOT NULL without a default: the migration fails if ${table} already has rows. Give it a default in the migration, or make it optional.`,
    );
}
