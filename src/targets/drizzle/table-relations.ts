/**
 * Relations added to a table's `relations()`, which is created when the table has none (in the
 * project's separate relations file when it keeps one, else beside the table): the has-many side
 * (join tables on both sides, a belongs_to's destination) and a belongs_to's `one()`.
 */
import type { ImportStyle } from '../../project/import-style.js';
import { moduleSpecifier } from '../../project/import-style.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import type { SourceFileFor } from './drizzle-schema.js';
import type { DrizzleTable, SchemaModel } from './schema-model.js';
import { addManyRelation } from './transforms/add-many-relation.js';
import {
  addOneRelation,
  oneRelationArguments,
  type OneRelation,
} from './transforms/add-one-relation.js';
import { mergeModule } from './transforms/merge-module.js';
import { moveRelations } from './transforms/move-relations.js';

export interface RelationsContext {
  schema: SchemaModel;
  /** The project's separate relations file, when it keeps one. */
  relationsFile: string | undefined;
  style: ImportStyle;
  sourceFileFor: SourceFileFor;
  /**
   * Would `host` importing `importer` add an import cycle that can break loading the schema
   * (`import-cycles.ts`)? Then the relation goes into `importer` instead. Absent: never.
   */
  breaksLoading?: ((host: string, importer: string) => string | undefined) | undefined;
  /** Tells the user what was placed unlike the rest of the project, and why. */
  warn?: ((message: string) => void) | undefined;
}

export interface HasMany {
  /** `userEvents`, `events`. */
  property: string;
  /** Variable of the table the many() lists, and its file. */
  target: string;
  targetFile: string;
  relationName?: string | undefined;
}

/** `users` → `usersRelations`, `usersTable` → `usersRelations`. */
export function relationsVariable(table: string): string {
  return `${table.replace(/Table$/, '')}Relations`;
}

export function addManyToTable(
  table: DrizzleTable,
  many: HasMany,
  context: RelationsContext,
): void {
  const { schema, relationsFile, style, sourceFileFor } = context;
  const relation = {
    table: table.variable,
    property: many.property,
    target: many.target,
    relationName: many.relationName,
  };
  const call = schema.relations.find((candidate) => candidate.tableVariable === table.variable);
  const whyNotIn = (host: string) =>
    host === many.targetFile ? undefined : context.breaksLoading?.(host, many.targetFile);
  const reason = call?.variable ? whyNotIn(call.file) : undefined;
  if (call?.variable && reason) {
    // Grown in place, its module would import the file that imports it: it moves there.
    const moved = moveRelations(
      sourceFileFor(call.file),
      call.variable,
      sourceFileFor(many.targetFile),
      (file) => moduleSpecifier(many.targetFile, file, style),
    );
    if (moved.status === 'added') {
      context.warn?.(`${call.variable} moved into the file that needs it: ${reason}.`);
      call.file = many.targetFile;
    }
  }
  if (call) {
    addManyRelation(sourceFileFor(call.file), {
      ...relation,
      targetModule: moduleSpecifier(call.file, many.targetFile, style),
    });
    return;
  }
  const host = relationsFile ?? table.file;
  const file = whyNotIn(host) ? many.targetFile : host;
  const text = renderTemplate('drizzle/many-relations.ts.ejs', {
    imports: importList(file, style, [
      ['drizzle-orm', 'relations'],
      [many.targetFile, many.target],
      [table.file, table.variable],
    ]),
    variable: relationsVariable(table.variable),
    table: table.variable,
    property: many.property,
    target: many.target,
    relationName: many.relationName,
  });
  const sourceFile = sourceFileFor(file);
  const result = addManyRelation(sourceFile, {
    ...relation,
    targetModule: moduleSpecifier(file, many.targetFile, style),
  });
  if (result.status === 'missing') mergeModule(sourceFile, text);
}

/** A belongs_to's `one()`, with the referenced table's file for the import. */
export interface BelongsToRelation extends OneRelation {
  targetFile: string;
}

/** `organizer: one(users, { fields: [...], references: [...] })` on the table's relations(). */
export function addOneToTable(
  table: { variable: string; file: string },
  ones: BelongsToRelation[],
  context: RelationsContext,
): void {
  const { schema, relationsFile, style, sourceFileFor } = context;
  if (ones.length === 0) return;
  const call = schema.relations.find((candidate) => candidate.tableVariable === table.variable);
  const file = call?.file ?? relationsFile ?? table.file;
  const sourceFile = sourceFileFor(file);
  const missing: BelongsToRelation[] = [];
  for (const one of ones) {
    const targetModule = moduleSpecifier(file, one.targetFile, style);
    if (addOneRelation(sourceFile, { ...one, targetModule }).status === 'missing')
      missing.push(one);
  }
  if (missing.length === 0) return;
  mergeModule(
    sourceFile,
    renderTemplate('drizzle/resource-relations.ts.ejs', {
      imports: importList(file, style, [
        ['drizzle-orm', 'relations'],
        [table.file, table.variable],
        ...missing.map((one): [string, string] => [one.targetFile, one.target]),
      ]),
      relations: oneRelationsData(table.variable, missing),
    }),
  );
}

/** What `_resource-relations.ejs` renders: `eventsRelations = relations(events, ({ one }) => ...)`. */
export function oneRelationsData(table: string, ones: OneRelation[]) {
  return {
    variable: relationsVariable(table),
    table,
    ones: ones.map((one) => ({ property: one.property, arguments: oneRelationArguments(one) })),
  };
}
