/**
 * Resolving what a plan refers to: the join's two sides and a resource's belongs_to destinations
 * (through the shared rule in src/rules/resolve-resource.ts), their primary keys and the key-type
 * check, the entity a run generates when it exists already, and the rules for its existing key.
 */
import { invalidInput, projectProblem } from '../../errors.js';
import type { ResourceRef } from '../../flags/types.js';
import type { JoinKey, JoinModel } from '../../join/join-model.js';
import {
  missingResourceError,
  type BelongsTo,
  type ResourceModel,
  type SurrogateKey,
} from '../../resource/resource-model.js';
import type { ExistingTable } from '../../rules/existing-table.js';
import { camelCase, snakeCase } from '../../rules/naming.js';
import {
  findExistingResource,
  resolveResource,
  type WantedResource,
} from '../../rules/resolve-resource.js';
import {
  assertKeyTypeMatches,
  referenceColumnType,
  type ColumnType,
  type PrimaryKeyColumn,
} from './column-types.js';
import type { TypeormEntity } from './entity-model.js';
import type { PlanContext } from './scan.js';

/** One key of the join with the entity it refers to. */
export interface ResolvedSide {
  key: JoinKey;
  entity: TypeormEntity;
  primaryKey: PrimaryKeyColumn;
  column: ColumnType;
}

export interface JoinSides {
  source: ResolvedSide;
  target: ResolvedSide;
}

/** One belongs_to with the entity it points at. */
export interface ResolvedBelongsTo {
  relation: BelongsTo;
  entity: TypeormEntity;
  primaryKey: PrimaryKeyColumn;
  /** The foreign-key column: the type of the referenced key. */
  column: ColumnType;
}

/** The entity a run generates, when the project already declares it. */
/**
 * The found entity in SQL names, for the shared rule on taking it over (`claimExisting`). The
 * entity model reads only its keys, so its other columns are unknown here.
 */
export function existingEntityFacts(context: PlanContext, entity: TypeormEntity): ExistingTable {
  return {
    table: entity.tableName,
    where: `${context.relative(entity.file)}:${entity.line}`,
    columns: undefined,
    primaryKey: entity.primaryKeys.map((key) => key.columnName),
  };
}

export function existingEntity(
  entities: TypeormEntity[],
  wanted: WantedResource,
): TypeormEntity | undefined {
  return findExistingResource(entities, wanted, (entity) => ({
    name: entity.className,
    table: entity.tableName,
  }));
}

/**
 * An entity that carries the join's name or table must be that join: its primary key the join's
 * two key columns. Any other entity (`UserArticle` with its own `id`, a `user_articles` table of
 * another shape) is the user's, and growing it would add an `@Index` to it and a migration for a
 * table no entity maps; it is refused unless --conflicts replace asks to regenerate it.
 */
export function assertExistingIsJoin(
  context: PlanContext,
  join: JoinModel,
  existing: TypeormEntity | undefined,
): void {
  if (!existing || context.options.replace) return;
  const keys = [join.source.attribute.name, join.target.attribute.name];
  const declared = existing.primaryKeys.map((key) => key.columnName);
  // A key found by its property but renamed in SQL is the join's key: converge reports the rename.
  const properties = existing.primaryKeys.map((key) => key.property);
  const isJoin =
    declared.length === 2 &&
    keys.every(
      (key) =>
        declared.includes(key) ||
        declared.includes(camelCase(key)) ||
        properties.includes(camelCase(key)),
    );
  if (isJoin) return;
  const shown =
    declared.length === 0 ? 'no primary column' : `the primary key ${declared.join(', ')}`;
  throw invalidInput(
    `${context.describe(existing)} exists and is not the join ${join.resource} of ${keys.join(' and ')}: it has ${shown}. joinery does not turn an entity into a join.`,
    `Give the join another name (joinery gen resource ${join.domain} ${join.resource}Link --primary-key ${keys.join(',')} --table ${join.table.replace(/s$/, '')}_links), or rename the existing entity, then run joinery again.`,
  );
}

/**
 * The entities of the join's two keys, each key typed like the primary key it refers to; the
 * join entity itself is never a side. Both may be one entity (a self join, users following users).
 */
export function resolveJoinSides(
  context: PlanContext,
  join: JoinModel,
  existing: TypeormEntity | undefined,
): JoinSides {
  const { scan, describe, relative, dialect } = context;
  const candidates = scan.entities.filter((entity) => entity !== existing);
  const resolve = (key: JoinKey): ResolvedSide => {
    const entity = resolveEntity(candidates, key.destination, context, scan.otherEntityNames);
    const primaryKey = primaryKeyOf(entity, describe(entity));
    assertKeyTypeMatches(
      key.attribute,
      primaryKey,
      `${entity.className}'s primary key ${entity.className}.${primaryKey.property} (${relative(entity.file)}:${primaryKey.line})`,
    );
    return { key, entity, primaryKey, column: referenceColumnType(primaryKey, dialect) };
  };
  return { source: resolve(join.source), target: resolve(join.target) };
}

/** Each belongs_to's destination entity and its primary key (the resource itself is none). */
export function resolveBelongsTo(
  context: PlanContext,
  resource: ResourceModel,
  existing: TypeormEntity | undefined,
): ResolvedBelongsTo[] {
  const { scan, describe, dialect } = context;
  const candidates = scan.entities.filter((entity) => entity !== existing);
  return resource.belongsTo.map((relation): ResolvedBelongsTo => {
    const entity = resolveEntity(candidates, relation.destination, context, scan.otherEntityNames);
    const primaryKey = primaryKeyOf(entity, describe(entity));
    return { relation, entity, primaryKey, column: referenceColumnType(primaryKey, dialect) };
  });
}

/**
 * The resource's key: the command line's for a new entity (which needs one); for an entity that
 * exists, the key it declares, which a key flag must agree with.
 */
export function resourceKey(
  context: PlanContext,
  resource: ResourceModel,
  existing: TypeormEntity | undefined,
): SurrogateKey {
  if (!existing && !resource.primaryKey) throw missingResourceError(resource);
  return existing ? existingKey(existing, resource, context.describe) : resource.primaryKey!;
}

/**
 * The key of an entity that exists: the one the command line names must agree with it; without a
 * key flag, what the entity declares (needed only to regenerate it with --conflicts replace).
 */
function existingKey(
  existing: TypeormEntity,
  resource: ResourceModel,
  describe: (entity: TypeormEntity) => string,
): SurrogateKey {
  const [declared, ...others] = existing.primaryKeys;
  const given = resource.primaryKey;
  if (!declared || others.length > 0) {
    if (!given) {
      throw projectProblem(
        `${describe(existing)} has ${declared ? 'a composite primary key' : 'no primary column'}; joinery adds to entities with one generated key.`,
        'Give the entity one @PrimaryGeneratedColumn or @PrimaryColumn, then run joinery again.',
      );
    }
    return given;
  }
  const kind: SurrogateKey['kind'] | undefined =
    declared.generated === 'uuid'
      ? 'uuid'
      : declared.generated !== undefined
        ? 'integer'
        : declared.type === 'uuid'
          ? 'uuid_v7'
          : undefined;
  if (given) {
    const family = (k: SurrogateKey['kind'] | undefined) => (k === 'integer' ? 'integer' : k);
    const sameName = declared.columnName === given.name || declared.property === given.name;
    const sameKind =
      kind === undefined ||
      family(kind) === family(given.kind) ||
      (kind !== 'integer' && given.kind !== 'integer');
    if (!sameName || !sameKind) {
      throw invalidInput(
        `${describe(existing)} exists with the primary key ${declared.property} (${declared.generated ? `generated ${declared.generated}, ` : ''}${declared.type}); the command line asks for ${given.kind} key ${given.name}.`,
        'Leave the key flag out to add to the entity as it is, or change the entity yourself.',
      );
    }
    return given;
  }
  return { name: declared.columnName, kind: kind ?? 'uuid_v7' };
}

/** Finds the entity behind a resource name (`User` → `class User`) through the shared rule. */
export function resolveEntity(
  entities: TypeormEntity[],
  ref: ResourceRef,
  { describe, relative }: Pick<PlanContext, 'describe' | 'relative'>,
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
      file: (entity) => relative(entity.file),
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

export function primaryKeyOf(entity: TypeormEntity, describe: string): PrimaryKeyColumn {
  if (entity.primaryKeys.length !== 1) {
    throw projectProblem(
      `${describe} has ${entity.primaryKeys.length === 0 ? 'no primary column' : `a composite primary key (${entity.primaryKeys.map((key) => key.property).join(', ')})`}; a join refers to exactly one.`,
      'Give the entity one @PrimaryGeneratedColumn or @PrimaryColumn, then run joinery again.',
    );
  }
  return entity.primaryKeys[0]!;
}
