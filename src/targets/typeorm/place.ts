/**
 * Where a new file goes: the join entity and a plain entity in their domain's entity folder,
 * named like their siblings (`User.ts` → `UserEvent.ts`, `user.entity.ts` → `user-event.entity.ts`),
 * named like their siblings' classes (`UserEntity` → `UserEventEntity`), and the generated uuidv7
 * module.
 */
import path from 'node:path';
import type { JoinModel } from '../../join/join-model.js';
import { classSuffixOf, withClassSuffix } from '../../project/conventions.js';
import { caseLikeStem, fileNameParts } from '../../project/file-naming.js';
import type { Project } from '../../project/project.js';
import type { ResourceModel } from '../../resource/resource-model.js';
import { kebabCase, pluralizeLast } from '../../rules/naming.js';
import { inDomain } from '../../rules/resolve-resource.js';
import { entityClassNamesIn, mayHoldEntity } from './entity-model.js';
import type { JoinSides, ResolvedBelongsTo } from './resolve.js';
import type { PlanContext } from './scan.js';

/** `User.ts` → `UserEvent.ts`, `user.entity.ts` → `user-event.entity.ts`, `users.ts` → `user-events.ts`. */
export function entityFileName(
  siblingFile: string,
  siblingClass: string,
  resource: string,
): string {
  const parts = fileNameParts(path.basename(siblingFile));
  if (!parts) return `${kebabCase(resource)}.ts`;
  const { stem, infix, extension } = parts;
  const lower = stem.toLowerCase();
  const plural =
    lower !== siblingClass.toLowerCase() && lower === pluralizeLast(siblingClass).toLowerCase();
  return `${caseLikeStem(stem, plural ? pluralizeLast(resource) : resource)}${infix}${extension}`;
}

/** A new entity's class: `PostLike`, or `PostLikeEntity` where the project's classes end so. */
export function newEntityClassName(context: PlanContext, resource: string): string {
  const suffix = classSuffixOf(context.scan.entities.map((entity) => entity.className));
  return withClassSuffix(resource, suffix);
}

/** The join entity lives in its domain's entity folder, named in the style of its siblings. */
export function placeJoinFile(context: PlanContext, join: JoinModel, sides: JoinSides): string {
  const { entities } = context.scan;
  const source = sides.source.entity;
  const inJoinDomain = [source, sides.target.entity, ...entities].find((entity) =>
    inDomain(context.relative(entity.file), join.domain),
  );
  const folder = path.dirname((inJoinDomain ?? source).file);
  const sibling = [source, sides.target.entity, ...entities].find(
    (entity) => path.dirname(entity.file) === folder,
  )!;
  return path.join(folder, entityFileName(sibling.file, sibling.className, join.resource));
}

/**
 * The new entity goes to its domain's entity folder (`src/works/entities`), else beside the
 * entity it belongs to, else wherever the project keeps entities; named like its neighbours.
 */
export function placeEntityFile(
  context: PlanContext,
  resource: ResourceModel,
  belongsTo: ResolvedBelongsTo[],
): string {
  const { project, scan } = context;
  const entityFiles = [...scan.texts]
    .filter(([, text]) => mayHoldEntity(text))
    .map(([file, text]) => ({ file, className: entityClassNamesIn(text)[0]?.className }))
    .filter((entry): entry is { file: string; className: string } => entry.className !== undefined);
  const anchor =
    entityFiles.find((entry) =>
      inDomain(path.relative(project.root, path.dirname(entry.file)), resource.domain),
    )?.file ??
    belongsTo[0]?.entity.file ??
    entityFiles[0]?.file;
  const anchorFolder = anchor ? path.dirname(anchor) : path.join(project.root, 'src', 'entities');
  const inOwnDomain = entityFiles.some((entry) =>
    inDomain(path.relative(project.root, path.dirname(entry.file)), resource.domain),
  );
  const folder = inOwnDomain
    ? anchorFolder
    : (newDomainFolder(
        anchorFolder,
        entityFiles.map((entry) => entry.file),
        resource.domain,
      ) ?? anchorFolder);
  const sibling = entityFiles.find(
    (entry) => path.dirname(entry.file) === path.dirname(anchor ?? folder),
  );
  return path.join(
    folder,
    sibling
      ? entityFileName(sibling.file, sibling.className, resource.resource)
      : `${resource.resource}.ts`,
  );
}

/**
 * Where a domain no folder holds yet goes, when the project keeps one folder per feature or
 * domain (`src/article/article.entity.ts`, `src/accounts/entities/user.entity.ts`): a sibling
 * folder named for it (`src/workspace/`, `src/billing/entities/`). Undefined for a flat entity
 * folder (`src/entities/`), where every entity stays.
 */
export function newDomainFolder(
  anchorFolder: string,
  entityFiles: string[],
  domain: string,
): string | undefined {
  const split = (folder: string) =>
    path.basename(folder) === 'entities'
      ? { domainFolder: path.dirname(folder), sub: 'entities' }
      : { domainFolder: folder, sub: '' };
  const { domainFolder, sub } = split(anchorFolder);
  const parent = path.dirname(domainFolder);
  const domainFolders = new Set(
    entityFiles
      .map((file) => split(path.dirname(file)).domainFolder)
      .filter((folder) => path.dirname(folder) === parent),
  );
  // A folder named like the entity file it holds is a feature folder, even when it is the only one.
  const featureFolder = entityFiles.some((file) => {
    const folder = path.basename(split(path.dirname(file)).domainFolder).toLowerCase();
    const stem = path.basename(file).split('.')[0]!.toLowerCase();
    return folder === stem || folder === pluralizeLast(stem);
  });
  if (domainFolders.size < 2 && !featureFolder) return undefined;
  return path.join(parent, kebabCase(domain.split('.').at(-1)!), sub);
}

/** The generated uuidv7 module's folder: `src/`, or beside the entity outside `src/`. */
export function uuidV7Folder(project: Project, entityFile: string): string {
  const src = path.join(project.root, 'src');
  return entityFile.startsWith(src + path.sep) ? src : path.dirname(entityFile);
}
