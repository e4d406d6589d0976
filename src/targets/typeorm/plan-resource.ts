/**
 * Plans a TypeORM plain resource into the change set: a new entity (its generated key,
 * attributes, belongs_to columns with `@ManyToOne`, timestamps) placed and registered like the
 * project's other entities with its create-table migration, or, for an entity that exists, the
 * columns and relations it lacks with an `add_..._to_<table>` migration. Each belongs_to
 * destination gains the inverse `@OneToMany`. Each step lives in the file named for its role.
 */
import type { ChangeSet } from '../../change-set/change-set.js';
import type { Project } from '../../project/project.js';
import type { ResourceModel, SurrogateKey } from '../../resource/resource-model.js';
import { camelCase } from '../../rules/naming.js';
import type { PlanOptions } from '../target.js';
import { convergeResourceEntity } from './converge.js';
import { createResourceEntity, shapeResource } from './create.js';
import type { TypeormEntity } from './entity-model.js';
import { planResourceMigration } from './migration.js';
import { newEntityClassName, placeEntityFile } from './place.js';
import type { TypeormResourcePlan } from './plan-types.js';
import { registerResourceEntity } from './register.js';
import { addResourceInverses, withFreeInverses } from './relations.js';
import {
  existingEntity,
  existingEntityFacts,
  resolveBelongsTo,
  resourceKey,
  type ResolvedBelongsTo,
} from './resolve.js';
import { migrateRuns } from './migration.js';
import { dataSourceFileOf, scanForPlan, withSourceStyle, type PlanContext } from './scan.js';

export async function planTypeormResource(
  project: Project,
  resource: ResourceModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<TypeormResourcePlan> {
  const destinations = resource.belongsTo.map((relation) => relation.destination.resource);
  const context = await scanForPlan(project, changes, options, {
    names: [resource.resource, resource.table, ...destinations],
    required: destinations,
  });
  const existing = existingEntity(context.scan.entities, resource);
  if (existing) options.claimExisting?.(existingEntityFacts(context, existing));
  const key = resourceKey(context, resource, existing);
  const belongsTo = withFreeInverses(
    context,
    resource,
    existing,
    resolveBelongsTo(context, resource, existing),
  );
  const plan = resourcePlan(context, resource, existing, key, belongsTo);
  if (existing && options.ignoreIfExists) return plan;

  const edit = withSourceStyle(context);
  const shape = shapeResource(edit, plan, key);
  const growth = existing
    ? convergeResourceEntity(edit, plan, shape, existing)
    : createResourceEntity(edit, plan, shape);
  // The migration comes before the inverses and the registration (both may import into the file
  // that lists migrations), so the order of added imports stays what it always was.
  planResourceMigration(edit, plan, shape, growth);
  addResourceInverses(edit, plan);
  registerResourceEntity(edit, plan);
  return plan;
}

/** The plan before any edit: the entity's class, table and file (placed when it is new). */
function resourcePlan(
  context: PlanContext,
  resource: ResourceModel,
  existing: TypeormEntity | undefined,
  key: SurrogateKey,
  belongsTo: ResolvedBelongsTo[],
): TypeormResourcePlan {
  return {
    kind: 'resource',
    resource,
    dialect: context.dialect,
    className: existing?.className ?? newEntityClassName(context, resource.resource),
    // An entity that exists keeps its table, whatever its name (`@Entity()` on User is `user`).
    table: existing?.tableName ?? resource.table,
    key: { property: camelCase(key.name), kind: key.kind },
    belongsTo,
    file: existing?.file ?? placeEntityFile(context, resource, belongsTo),
    existed: existing !== undefined,
    warnings: [],
    migrationName: resource.migrationName,
    migrationFiles: [],
    migrationFile: undefined,
    inverseFiles: [],
    dataSourceFile: dataSourceFileOf(context),
    migrateRuns: migrateRuns(context.project, dataSourceFileOf(context)),
    registered: [],
    uuidV7Module: undefined,
  };
}
