/**
 * The relationship on each side. drizzle-orm 0.45: `many()` on both sides of a join and the join's
 * own relations(); a belongs_to's `one()` on the table and `many()` back on its destination, with
 * `relationName` pairs when two relations link the same tables. drizzle-orm 1.x: the same in the
 * project's `defineRelations()`. Built on `table-relations.ts` and `define-relations-file.ts`.
 */
import { renderTemplate } from '../../render/render-template.js';
import { importList } from '../../render/import-list.js';
import { distinguished } from '../../resource/resource-model.js';
import { camelCase, pascalCase, snakeCase } from '../../rules/naming.js';
import { defineRelationsFile, includeInRelationsSchema } from './define-relations-file.js';
import { separateRelationsFile } from './place.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import type { JoinContext, ResourceContext } from './plan-types.js';
import type { ResolvedBelongsTo, ResolvedSide } from './resolve.js';
import { addManyToTable, addOneToTable, type BelongsToRelation } from './table-relations.js';
import { addJoinRowRelations, addThroughRelation } from './transforms/add-through-relations.js';
import { addBelongsToRelations } from './transforms/add-through-relations.js';
import { mergeModule } from './transforms/merge-module.js';
import { nameRelation, relationEntries } from './transforms/name-relation-pair.js';
import { definedRelationText } from './transforms/add-through-relations.js';
import { invalidInput } from '../../errors.js';
import { relativeToRoot } from './schema-model.js';

/** One side of a join as the join templates render it. */
export function joinSideData(side: ResolvedSide, key: string, join: JoinModel) {
  return {
    resource: side.key.destination.resource,
    relationship: camelCase(side.key.relationship),
    table: side.table.variable,
    key,
    references: side.primaryKey.key,
    relationName: join.self ? selfRelationName(join, side.key) : undefined,
  };
}

/**
 * drizzle-orm 0.45 pairs each of a self join's two `one(users)` with its `many()` on users by
 * name: `follows_follower` for the follower's one() and users' direction of the rows where the
 * user is the follower (its followees).
 */
export function selfRelationName(join: JoinModel, key: JoinKey): string {
  return `${join.table}_${snakeCase(key.relationship)}`;
}

/** The join's relations: in defineRelations() (1.x), or its relations() and many() on each side. */
export function addJoinRelations(context: JoinContext): void {
  const { scan, sides, names, joinFile, relations, existing, options } = context;
  if (scan.relationsV1) {
    const file = defineRelationsFile(
      scan.schema,
      [sides.source.table, sides.target.table, { variable: names.table, file: joinFile }],
      scan.style,
      context.sourceFileFor,
      context.plan.warnings,
    );
    if (context.join.self) assertFreeDirections(context, file);
    addJoinDefineRelations(context, file);
    return;
  }
  if (context.join.self) assertFreeDirections(context, undefined);
  const replacing = existing !== undefined && options.replace;
  const { relationsFile } = relations;
  if (existing && !replacing) {
    // An existing join's relations() is converged like any table's: a removed one() (or the
    // whole call) comes back, in the file that holds it, else the relations file or the join's.
    addOneToTable({ variable: names.table, file: joinFile }, joinOnes(context), relations);
  } else if (
    relationsFile &&
    !scan.schema.relations.some(
      (call) => call.tableVariable === names.table && !(replacing && call.file === joinFile),
    )
  ) {
    mergeModule(
      context.sourceFileFor(relationsFile),
      renderTemplate('drizzle/join-relations.ts.ejs', joinRelationsData(context, relationsFile)),
    );
  }
  for (const side of [sides.source, sides.target]) {
    // A self join's two directions are two many() on its one table, each paired by name.
    const many = context.join.self
      ? { property: side.key.manyToMany, relationName: selfRelationName(context.join, side.key) }
      : { property: names.table };
    addManyToTable(side.table, { ...many, target: names.table, targetFile: joinFile }, relations);
  }
}

/**
 * A self join's two directions become properties of its one table: refused (exit 2) when the
 * table already has a column or a relation of that name that is not this join's direction.
 */
function assertFreeDirections(context: JoinContext, v1File: string | undefined): void {
  const { sides, names, scan, join } = context;
  const table = sides.source.table;
  const relationsCall = scan.schema.relations.find((call) => call.tableVariable === table.variable);
  for (const side of [sides.source, sides.target]) {
    const name = side.key.manyToMany;
    const ours = (text: string) => text.includes(`${names.table}.${keyOf(context, side)}`);
    const column = table.columns.find((candidate) => candidate.key === name);
    let clash = column ? `the column ${table.variable}.${name}` : undefined;
    if (!clash && scan.relationsV1 && v1File) {
      const text = definedRelationText(context.sourceFileFor(v1File), table.variable, name);
      if (text !== undefined && !ours(text)) clash = `the relation ${table.variable}.${name}`;
    } else if (!clash && relationsCall) {
      const entry = relationEntries(context.sourceFileFor(relationsCall.file), table.variable).find(
        (candidate) => candidate.property === name,
      );
      const mine =
        entry?.helper === 'many' &&
        entry.target === names.table &&
        entry.relationName === selfRelationName(join, side.key);
      if (entry && !mine) clash = `the relation ${relationsCall.variable}.${name}`;
    }
    if (clash) {
      const file = scan.relationsV1 ? v1File : relationsCall?.file;
      throw invalidInput(
        `${join.resource} joins ${table.variable} to itself; its direction "${name}" (what a ${side.key.relationship} reaches) would collide with ${clash} (${relativeToRoot(context.project.root, file ?? table.file)}).`,
        `Name both directions: --directions <what a ${join.source.relationship} reaches>,<what a ${join.target.relationship} reaches>, each free on ${table.variable}.`,
      );
    }
  }
}

function keyOf(context: JoinContext, side: ResolvedSide): string {
  return side === context.sides.source ? context.names.sourceKey : context.names.targetKey;
}

/** The join's own `one()` to each side, as the join-relations template renders them. */
function joinOnes(context: JoinContext): BelongsToRelation[] {
  const { sides, names } = context;
  return [[sides.source, names.sourceKey] as const, [sides.target, names.targetKey] as const].map(
    ([side, key]) => ({
      table: names.table,
      property: camelCase(side.key.relationship),
      target: side.table.variable,
      targetFile: side.table.file,
      field: key,
      reference: side.primaryKey.key,
      relationName: context.join.self ? selfRelationName(context.join, side.key) : undefined,
    }),
  );
}

function joinRelationsData(context: JoinContext, relationsFile: string) {
  const { sides, names, joinFile, scan } = context;
  return {
    imports: importList(relationsFile, scan.style, [
      ['drizzle-orm', 'relations'],
      [joinFile, names.table],
      [sides.source.table.file, sides.source.table.variable],
      [sides.target.table.file, sides.target.table.variable],
    ]),
    table: { variable: names.table },
    source: joinSideData(sides.source, names.sourceKey, context.join),
    target: joinSideData(sides.target, names.targetKey, context.join),
    relations: { variable: names.relations },
  };
}

/** 1.x: the `through` relation on each side, and the plain pair when join rows carry attributes. */
function addJoinDefineRelations(context: JoinContext, file: string): void {
  const { sides, names, join, joinFile, scan } = context;
  const sourceFile = context.sourceFileFor(file);
  includeInRelationsSchema(sourceFile, [{ variable: names.table, file: joinFile }], scan.style);
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
    // A self join's two plain pairs both link the join to its one table: named and aliased apart.
    const rowSide = (key: JoinKey) => ({
      relationship: camelCase(key.relationship),
      ...(join.self
        ? {
            property: `${names.table}As${pascalCase(key.relationship)}`,
            alias: selfRelationName(join, key),
          }
        : {}),
    });
    addJoinRowRelations(sourceFile, {
      join: names.table,
      sides: [
        { ...source, ...rowSide(join.source) },
        { ...target, ...rowSide(join.target) },
      ],
    });
  }
}

/**
 * drizzle-orm 0.45: a belongs_to to a destination the table already points at (`editor` beside a
 * hand-written `author`, both to users). Drizzle needs `relationName` on every pair then, so the
 * new pair gets one (`posts_editor`) and an inverse of its own (`editorPosts`, unless named), and
 * the pair already there is named (`posts_author`) when it is one unnamed one() and one unnamed
 * many(); otherwise the link is left as the model made it. Only for an existing 0.45 table.
 */
export function nameRelationPairs(context: ResourceContext): void {
  const { existing, scan, plan } = context;
  if (!existing || scan.relationsV1) return;
  context.belongsTo = context.belongsTo.map((link) => pairWithExisting(context, link));
  plan.belongsTo.forEach((entry, index) => {
    entry.inverse = context.belongsTo[index]!.relationship.inverse;
  });
}

function pairWithExisting(context: ResourceContext, link: ResolvedBelongsTo): ResolvedBelongsTo {
  const { scan, sourceFileFor, resource } = context;
  const existing = context.existing!;
  const entriesOf = (table: string) => {
    const call = scan.schema.relations.find((candidate) => candidate.tableVariable === table);
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

/** Each belongs_to as the table's `one()`. */
export function belongsToRelations(context: ResourceContext): BelongsToRelation[] {
  return context.belongsTo.map((link) => ({
    table: context.variable,
    property: camelCase(link.relationship.name),
    target: link.table.variable,
    targetFile: link.table.file,
    field: link.field,
    reference: link.primaryKey.key,
    relationName: link.relationship.relationName,
  }));
}

/**
 * drizzle-orm 0.45: the belongs_to `one()`s on the table's relations(), unless a new table
 * rendered them beside it. A replaced table keeps its relations() and they are patched.
 */
export function addBelongsToOnes(context: ResourceContext): void {
  const { scan, existing, variable, file } = context;
  if (scan.relationsV1 || (!existing && context.inlineRelations)) return;
  addOneToTable({ variable, file }, belongsToRelations(context), context.relations);
}

/**
 * The inverse on each belongs_to's destination: `many()` in its relations() (0.45), or the
 * `one`/`many` pair in defineRelations() (1.x). Records the files that changed for the summary.
 */
export function addInverseRelations(context: ResourceContext): void {
  const inverseFiles = context.scan.relationsV1
    ? addBelongsToDefineRelations(context)
    : addInverseManys(context);
  const changed = new Set(context.changes.listChanges().map((change) => change.file));
  context.plan.inverseFiles = [...new Set(inverseFiles)].filter((candidate) =>
    changed.has(candidate),
  );
}

/** drizzle-orm 0.45: `many()` back on each destination, in its relations(); the files touched. */
function addInverseManys(context: ResourceContext): string[] {
  const { schema } = context.scan;
  const { relations, variable, file } = context;
  return context.belongsTo.map((link) => {
    addManyToTable(
      link.table,
      {
        property: link.relationship.inverse,
        target: variable,
        targetFile: file,
        relationName: link.relationship.relationName,
      },
      { ...relations, relationsFile: separateRelationsFile(schema, link.table) },
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
function addBelongsToDefineRelations(context: ResourceContext): string[] {
  const { belongsTo, scan, variable, file } = context;
  if (belongsTo.length === 0) return [];
  const table = { variable, file };
  const tables = [table, ...belongsTo.map((link) => link.table)];
  const relationsFile = defineRelationsFile(
    scan.schema,
    tables,
    scan.style,
    context.sourceFileFor,
    context.plan.warnings,
  );
  const sourceFile = context.sourceFileFor(relationsFile);
  includeInRelationsSchema(sourceFile, tables, scan.style);
  addBelongsToRelations(
    sourceFile,
    belongsTo.map((link) => ({
      table: variable,
      field: link.field,
      property: camelCase(link.relationship.name),
      target: link.table.variable,
      reference: link.primaryKey.key,
      inverse: link.relationship.inverse,
      required: link.relationship.required,
      alias: link.relationship.relationName,
    })),
  );
  return [relationsFile];
}
