/** Finds the entity behind a resource name (`User` → `class User`), or says precisely why not. */
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import { didYouMean } from '../../rules/closest.js';
import { camelCase, kebabCase, singularizeLast, snakeCase } from '../../rules/naming.js';
import type { ResourceRef } from '../../flags/types.js';
import type { PrimaryKeyColumn } from './column-types.js';
import type { TypeormEntity } from './entity-model.js';

/** `UserEntity`, `User`, `users`, `app_users` all normalize to `user`. */
export function normalizeEntityName(name: string): string {
  return camelCase(singularizeLast(name.replace(/_?entity$/i, ''))).toLowerCase();
}

export function inDomain(file: string, domain: string): boolean {
  const last = domain.split('.').at(-1)!;
  const names = new Set([kebabCase(last), snakeCase(last), last.toLowerCase()]);
  return file.split(path.sep).some((segment) => names.has(segment.toLowerCase()));
}

export function resolveEntity(
  entities: TypeormEntity[],
  ref: ResourceRef,
  describe: (entity: TypeormEntity) => string,
  seenElsewhere: string[],
): TypeormEntity {
  const wanted = ref.resource.toLowerCase();
  // An exact class name wins over looser matches (`UserEntity`, a table called `users`).
  let matches = entities.filter((entity) => entity.className === ref.resource);
  if (matches.length === 0) {
    matches = entities.filter(
      (entity) =>
        normalizeEntityName(entity.className) === wanted ||
        normalizeEntityName(entity.tableName) === wanted,
    );
  }
  if (ref.domain && matches.length > 1) {
    const inGivenDomain = matches.filter((entity) => inDomain(entity.file, ref.domain!));
    if (inGivenDomain.length > 0) matches = inGivenDomain;
  }
  const label = ref.domain ? `${ref.domain}.${ref.resource}` : ref.resource;
  if (matches.length === 0) {
    const seen = [
      ...entities.map((entity) => `  ${describe(entity)}`),
      ...seenElsewhere.map((name) => `  ${name}`),
    ];
    const names = [
      ...entities.map((entity) => entity.className),
      ...seenElsewhere.map((name) => name.split(' ').at(-1)!),
    ];
    throw projectProblem(
      `Resource ${label} not found: no TypeORM @Entity class is named ${ref.resource} (or maps to a table "${snakeCase(ref.resource)}s")${didYouMean(ref.resource, names)}.\nEntities seen:\n${seen.join('\n') || '  (none)'}`,
      `Create the entity first, or point to it with -r belongs_to:${snakeCase(ref.resource)}:<Domain.Resource>:primary_key.`,
    );
  }
  if (matches.length > 1) {
    throw projectProblem(
      `Resource ${label} is ambiguous; it matches:\n${matches.map((entity) => `  ${describe(entity)}`).join('\n')}`,
      `Name its domain: -r belongs_to:${snakeCase(ref.resource)}:<Domain>.${ref.resource}:primary_key.`,
    );
  }
  return matches[0]!;
}

export function primaryKeyOf(entity: TypeormEntity, describe: string): PrimaryKeyColumn {
  if (entity.primaryKeys.length !== 1) {
    throw projectProblem(
      `${describe} has ${entity.primaryKeys.length === 0 ? 'no primary column' : `a composite primary key (${entity.primaryKeys.map((key) => key.property).join(', ')})`}; a join refers to exactly one.`,
      'Give the entity one @PrimaryGeneratedColumn or @PrimaryColumn, then run joinery again.',
    );
  }
  return entity.primaryKeys[0]!;
}
