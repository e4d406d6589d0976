/** Finds the entity behind a resource name (`User` → `class User`) through the shared rule. */
import { projectProblem } from '../../errors.js';
import type { ResourceRef } from '../../flags/types.js';
import { snakeCase } from '../../rules/naming.js';
import {
  findExistingResource,
  resolveResource,
  type WantedResource,
} from '../../rules/resolve-resource.js';
import type { PrimaryKeyColumn } from './column-types.js';
import type { TypeormEntity } from './entity-model.js';

export function resolveEntity(
  entities: TypeormEntity[],
  ref: ResourceRef,
  describe: (entity: TypeormEntity) => string,
  seenElsewhere: string[],
  /** What to do when it is not found; the default speaks of join keys. */
  notFoundHint?: string,
): TypeormEntity {
  return resolveResource(
    entities,
    ref,
    {
      names: (entity) => [entity.className, entity.tableName],
      exact: (entity) => entity.className === ref.resource,
      file: (entity) => entity.file,
      describe,
      resourceName: (entity) => entity.className,
      lookedFor: () =>
        `no TypeORM @Entity class is named ${ref.resource} (or maps to a table "${snakeCase(ref.resource)}s")`,
      kinds: 'Entities',
      seenElsewhere,
    },
    notFoundHint,
  );
}

/** The entity a run generates, when the project already declares it. */
export function existingEntity(
  entities: TypeormEntity[],
  wanted: WantedResource,
): TypeormEntity | undefined {
  return findExistingResource(entities, wanted, (entity) => ({
    name: entity.className,
    table: entity.tableName,
  }));
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
