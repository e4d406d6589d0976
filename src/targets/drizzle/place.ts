/**
 * Where new Drizzle code goes, learned from where the project keeps its tables: the domain's
 * folder, a file named like its siblings, the single schema file, the separate relations file,
 * and the folder a generated uuid v7 module goes into.
 */
import path from 'node:path';
import { invalidInput } from '../../errors.js';
import type { JoinModel } from '../../join/join-model.js';
import { fileCaseOf } from '../../project/conventions.js';
import { caseLikeStem, fileNameParts } from '../../project/file-naming.js';
import type { Project } from '../../project/project.js';
import type { ResourceModel } from '../../resource/resource-model.js';
import { kebabCase, pluralizeLast } from '../../rules/naming.js';
import { domainFolderNames } from '../../rules/resolve-resource.js';
import type { JoinSides } from './resolve.js';
import type { DrizzleScan } from './scan.js';
import type { DrizzleTable, SchemaModel } from './schema-model.js';

/** The folder holding a domain's tables (`src/accounts`, or `src/accounts/schema`), if any. */
export function domainFolderOf(
  domain: string,
  { schema, relative }: Pick<DrizzleScan, 'schema' | 'relative'>,
): string | undefined {
  const names = domainFolderNames(domain);
  for (const table of schema.tables) {
    // Only the folders inside the project: `/home/me/work/app` is in no domain.
    const segments = path.posix.dirname(relative(table.file)).split('/');
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
  /** Every table file of the folder: their stems tell its file-name case. */
  folderFiles: string[] = [],
): string {
  const parts = fileNameParts(path.basename(siblingFile));
  if (!parts) return `${kebabCase(resource)}.ts`;
  const { stem, infix, extension } = parts;
  const plural =
    stem.toLowerCase().endsWith('s') &&
    siblingVariable.toLowerCase().startsWith(stem.toLowerCase());
  const folderCase = fileCaseOf(
    folderFiles.flatMap((file) => fileNameParts(path.basename(file))?.stem ?? []),
  );
  return `${caseLikeStem(stem, plural ? pluralizeLast(resource) : resource, folderCase)}${infix}${extension}`;
}

/** The table files in `folder`. */
function filesIn(folder: string, schema: SchemaModel): string[] {
  return [
    ...new Set(
      schema.tables.map((table) => table.file).filter((file) => path.dirname(file) === folder),
    ),
  ];
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
 * The join table lives beside its domain's resources, named in the style of its siblings; when
 * both sides share one schema file, it is appended there.
 */
export function placeJoinFile(join: JoinModel, sides: JoinSides, scan: DrizzleScan): string {
  const { schema } = scan;
  const { source, target } = sides;
  // A self join's sides share a file because they are one table: it gets a file of its own
  // unless that file holds the project's other tables too (a single schema file).
  const shared =
    source.table === target.table
      ? schema.tables.some(
          (table) => table.file === source.table.file && table.variable !== source.table.variable,
        )
      : source.table.file === target.table.file;
  if (shared) return source.table.file;
  const domainFolder = domainFolderOf(join.domain, scan) ?? path.dirname(source.table.file);
  const sibling =
    schema.tables.find((table) => path.dirname(table.file) === domainFolder)?.file ??
    source.table.file;
  return path.join(
    domainFolder,
    fileNameLike(
      sibling,
      tableResourceName(sibling, schema),
      join.resource,
      filesIn(domainFolder, schema),
    ),
  );
}

/** A new plain resource's file (see `placeResourceFile`); refused when the scan found no table. */
export function placeResource(scan: DrizzleScan, resource: ResourceModel): string {
  const file = placeResourceFile(resource.domain, resource.resource, scan);
  if (!file) {
    throw invalidInput(
      `No Drizzle table found in ${scan.config.schema.join(', ') || 'the project'}, so joinery cannot tell where ${resource.domain}.${resource.resource} belongs.`,
      "Point drizzle.config.ts's schema at the project's tables.",
    );
  }
  return file;
}

/**
 * A new plain resource's file. The domain's folder when the project has one (named like its
 * tables); a new domain folder beside the others when the project keeps one folder per domain;
 * the single schema file when every table lives in one; else the folder most tables live in.
 */
export function placeResourceFile(
  domain: string,
  resource: string,
  scan: Pick<DrizzleScan, 'schema' | 'relative'>,
): string | undefined {
  const { schema } = scan;
  const { tables } = schema;
  if (tables.length === 0) return undefined;
  const named = (folder: string) => {
    const sibling = tables.find((table) => path.dirname(table.file) === folder) ?? tables[0]!;
    return path.join(
      folder,
      fileNameLike(
        sibling.file,
        tableResourceName(sibling.file, schema),
        resource,
        filesIn(folder, schema),
      ),
    );
  };
  const domainFolder = domainFolderOf(domain, scan);
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

/** Where a generated uuid v7 module goes: the config's schema folder, else the tables' common one. */
export function uuidv7Folder(project: Project, scan: DrizzleScan): string {
  const { schema, config } = scan;
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
