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
import { decoratorArgs, joinEntityColumns, type BelongsToParts } from './column-code.js';
import { renderJoinEntity, renderResourceEntity, type ResourceShape } from './create.js';
import type { TypeormEntity } from './entity-model.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import type { EditContext } from './scan.js';
import { addEntityColumns, hasColumn, type EntityColumn } from './transforms/add-entity-columns.js';
import { addKeyIndex, hasKeyIndex } from './transforms/add-key-index.js';
import { addManyToOne, hasManyToOne } from './transforms/add-many-to-one.js';
import { ensureJoinKeys } from './transforms/ensure-join-keys.js';
import { entryFile } from '../../manifest/manifest.js';

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
    convergeJoinKeys(context, plan, existing);
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

/**
 * The join's keys and `@ManyToOne` pair as recorded: a removed key column, relation or cascade
 * rule comes back; a key's type or column name changed by hand, or a table name that differs
 * from joinery.json's, is a conflict for check to report and sync to refuse.
 */
function convergeJoinKeys(context: EditContext, plan: TypeormJoinPlan, existing: TypeormEntity) {
  const { join, sides } = plan;
  const sourceFile = context.scan.sourceFiles.get(existing.file)!;
  const { esm, imports: style } = context.style;
  const both = [sides.source, sides.target];
  for (const side of both) {
    const className = side.entity.className;
    const parameter = camelCase(side.key.relationship);
    addManyToOne(sourceFile, {
      className: existing.className,
      property: camelCase(side.key.relationship),
      columnProperty: camelCase(side.key.attribute.name),
      columnName: side.key.attribute.name,
      args: `() => ${className}, (${parameter}) => ${parameter}.${join.collection}, { onDelete: 'CASCADE' }`,
      tsType: esm ? `Relation<${className}>` : className,
      imports: {
        orm: 'typeorm',
        related: { name: className, from: moduleSpecifier(existing.file, side.entity.file, style) },
      },
    });
  }
  const { conflicts } = ensureJoinKeys(
    sourceFile,
    existing.className,
    both.map((side) => ({
      columnName: side.key.attribute.name,
      property: camelCase(side.key.attribute.name),
      decorator: 'PrimaryColumn',
      args: decoratorArgs(side.column.type, [
        // As the template writes it: no name where TypeORM's default naming gives it.
        [
          'name',
          camelCase(side.key.attribute.name) === side.key.attribute.name
            ? undefined
            : side.key.attribute.name,
        ],
        ['length', side.column.length === undefined ? undefined : Number(side.column.length)],
      ]),
      tsType: side.column.tsType,
      type: side.column.type,
    })),
    both.map((side) => camelCase(side.key.relationship)),
    'typeorm',
  );
  const file = context.relative(existing.file);
  const hint = `put the recorded one back, or regenerate the join on purpose with \`joinery gen resource ${join.domain} ${join.resource} --conflicts replace\` and review its migration`;
  for (const conflict of conflicts) {
    const property = `${existing.className}.${conflict.property}`;
    (plan.conflicts ??= []).push({
      file,
      line: conflict.line,
      expected: `${property} ${conflict.what} '${conflict.expected}'`,
      found: `'${conflict.found}'`,
      hint,
    });
  }
  if (existing.tableName !== join.table) {
    (plan.conflicts ??= []).push({
      file,
      line: existing.line,
      expected: `${existing.className} on table '${join.table}' (as ${entryFile(`${join.domain}.${join.resource}`)} records it)`,
      found: `'${existing.tableName}'`,
      hint: `put "table": "${existing.tableName}" back in ${entryFile(`${join.domain}.${join.resource}`)}, or rename the table in the entity too and write its migration`,
    });
  }
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
