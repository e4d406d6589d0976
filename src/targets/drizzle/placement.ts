/**
 * Where new Drizzle code goes, learned from where the project keeps its tables: the domain's
 * folder, a file named like its siblings, the single schema file, the separate relations file,
 * and the barrels that must re-export a new file.
 */
import { caseLikeStem, fileNameParts } from '../../project/file-naming.js';
import path from 'node:path';
import type { Project } from '../../project/project.js';
import { resolveRelativeModule } from '../../project/source-files.js';
import { kebabCase, pluralizeLast } from '../../rules/naming.js';
import { domainFolderNames } from '../../rules/resolve-resource.js';
import { schemaReexports, type DrizzleTable, type SchemaModel } from './schema-model.js';

/** The folder holding a domain's tables (`src/accounts`, or `src/accounts/schema`), if any. */
export function domainFolderOf(domain: string, schema: SchemaModel): string | undefined {
  const names = domainFolderNames(domain);
  for (const table of schema.tables) {
    const segments = path.dirname(table.file).split(path.sep);
    // `src/accounts/schema/user.ts` counts too: keep the sub-folder its resources sit in.
    if (segments.some((segment) => names.has(segment.toLowerCase())))
      return path.dirname(table.file);
  }
  return undefined;
}

export function tableResourceName(file: string, schema: SchemaModel): string {
  const table = schema.tables.find((candidate) => candidate.file === file);
  return table ? table.variable : path.basename(file);
}

/** `user.ts` → `user-event.ts`, `users.ts` → `user-events.ts`, `User.ts` → `UserEvent.ts`. */
export function fileNameLike(
  siblingFile: string,
  siblingVariable: string,
  resource: string,
): string {
  const parts = fileNameParts(path.basename(siblingFile));
  if (!parts) return `${kebabCase(resource)}.ts`;
  const { stem, infix, extension } = parts;
  const plural =
    stem.toLowerCase().endsWith('s') &&
    siblingVariable.toLowerCase().startsWith(stem.toLowerCase());
  return `${caseLikeStem(stem, plural ? pluralizeLast(resource) : resource)}${infix}${extension}`;
}

/** Relations kept apart from tables (a `relations.ts`): new relations go there too. */
export function separateRelationsFile(
  schema: SchemaModel,
  nearTable: DrizzleTable | undefined,
): string | undefined {
  const tableFiles = new Set(schema.tables.map((table) => table.file));
  const apart = schema.relations.filter((call) => !tableFiles.has(call.file));
  if (apart.length === 0) return undefined;
  return (apart.find((call) => call.tableVariable === nearTable?.variable) ?? apart[0]!).file;
}

/**
 * A new plain resource's file. The domain's folder when the project has one (named like its
 * tables); a new domain folder beside the others when the project keeps one folder per domain;
 * the single schema file when every table lives in one; else the folder most tables live in.
 */
export function placeResourceFile(
  domain: string,
  resource: string,
  schema: SchemaModel,
): string | undefined {
  const { tables } = schema;
  if (tables.length === 0) return undefined;
  const named = (folder: string) => {
    const sibling = tables.find((table) => path.dirname(table.file) === folder) ?? tables[0]!;
    return path.join(
      folder,
      fileNameLike(sibling.file, tableResourceName(sibling.file, schema), resource),
    );
  };
  const domainFolder = domainFolderOf(domain, schema);
  if (domainFolder) return named(domainFolder);

  const files = [...new Set(tables.map((table) => table.file))];
  if (files.length === 1) return files[0];
  const folders = [...new Set(files.map((file) => path.dirname(file)))];
  const parents = new Set(folders.map((folder) => path.dirname(folder)));
  if (folders.length > 1 && parents.size === 1) {
    // `src/accounts/user.ts`, `src/works/event.ts`: a new domain gets its own folder there.
    const folder = path.join([...parents][0]!, kebabCase(domain.split('.').at(-1)!));
    const sibling = tables[0]!;
    return path.join(
      folder,
      fileNameLike(sibling.file, tableResourceName(sibling.file, schema), resource),
    );
  }
  const count = (folder: string) => files.filter((file) => path.dirname(file) === folder).length;
  const busiest = folders.reduce((best, folder) => (count(folder) > count(best) ? folder : best));
  return named(busiest);
}

export interface BarrelEdit {
  file: string;
  /** The re-export the new one goes after. */
  besideSpecifier: string;
}

/**
 * Barrels among `files` that re-export one of `neighbours` (the first that matches, in the
 * barrel's order, unless `last`): each should re-export a new file beside them too.
 */
export function barrelsReexporting(
  files: string[],
  project: Project,
  neighbours: string[],
  options: { last?: boolean } = {},
): BarrelEdit[] {
  const barrels: BarrelEdit[] = [];
  const reexportsOf = schemaReexports(project);
  for (const file of files) {
    const matching = (reexportsOf(file) ?? []).filter((specifier) =>
      neighbours.includes(resolveRelativeModule(file, specifier) ?? ''),
    );
    const besideSpecifier = options.last ? matching.at(-1) : matching[0];
    if (besideSpecifier) barrels.push({ file, besideSpecifier });
  }
  return barrels;
}
