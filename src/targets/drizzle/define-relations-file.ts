/**
 * drizzle-orm 1.x declares every relation in one `defineRelations(schema, (r) => ({ ... }))` call.
 * Joins and plain resources both add to it: these find (or create) its file and make sure an
 * explicit schema object (`defineRelations({ users, posts }, ...)`) lists the tables they relate.
 */
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import { moduleSpecifier, type ImportStyle } from '../../project/import-style.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import type { SourceFileFor } from './drizzle-schema.js';
import type { SchemaModel } from './schema-model.js';
import {
  ensureInRelationsSchema,
  findDefineRelations,
} from './transforms/add-through-relations.js';

/** A table variable and the file declaring it. */
export interface RelatedTable {
  variable: string;
  file: string;
}

/**
 * The file holding `defineRelations`. 1.x projects often keep `relations.ts` out of the
 * drizzle-kit schema (it is passed to drizzle() only), so the scan may not have seen it: use the
 * one beside the first table if it exists, else create it there, listing `tables`, and say so.
 */
export function defineRelationsFile(
  schema: SchemaModel,
  tables: RelatedTable[],
  style: ImportStyle,
  sourceFileFor: SourceFileFor,
  warnings: string[],
): string {
  const known = schema.defineRelationsFiles[0];
  if (known) return known;
  const file = path.join(path.dirname(tables[0]!.file), 'relations.ts');
  const text = renderTemplate('drizzle/define-relations.ts.ejs', {
    imports: importList(file, style, [
      ['drizzle-orm', 'defineRelations'],
      ...tables.map((table): [string, string] => [table.file, table.variable]),
    ]),
    tables: tables.map((table) => table.variable),
  });
  const existing = sourceFileFor(file, text);
  if (/\bdefineRelations\s*\(/.test(existing.getFullText()) && existing.getFullText() !== text) {
    return file;
  }
  warnings.push(
    `Created ${path.basename(file)} with defineRelations(); pass it to drizzle({ client, relations }).`,
  );
  return file;
}

/** An explicit `defineRelations({ users, ... })` schema object lists `tables`, imported. */
export function includeInRelationsSchema(
  sourceFile: SourceFile,
  tables: RelatedTable[],
  style: ImportStyle,
): void {
  const call = findDefineRelations(sourceFile);
  if (!call) return;
  for (const table of tables) {
    ensureInRelationsSchema(
      call,
      table.variable,
      moduleSpecifier(sourceFile.getFilePath(), table.file, style),
    );
  }
}
