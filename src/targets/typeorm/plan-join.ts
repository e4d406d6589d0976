/**
 * Plans a TypeORM join into the change set: the join entity, `@OneToMany` on both entities, the
 * entity's registration wherever entities are listed by class (DataSource, `forRoot`, NestJS
 * `forFeature`), the migration class, and --helpers. Each step lives in the file named for its
 * role (resolve, place, create, converge, relations, register, migration, helpers).
 */
import type { ChangeSet } from '../../change-set/change-set.js';
import type { JoinModel } from '../../join/join-model.js';
import type { Project } from '../../project/project.js';
import type { PlanOptions } from '../target.js';
import { convergeJoinEntity } from './converge.js';
import { createJoinEntity } from './create.js';
import type { TypeormEntity } from './entity-model.js';
import { planTypeormHelpers } from './helpers.js';
import { planJoinMigration } from './migration.js';
import { newEntityClassName, placeJoinFile } from './place.js';
import type { TypeormJoinPlan } from './plan-types.js';
import { registerJoinEntity } from './register.js';
import { addJoinInverses } from './relations.js';
import {
  assertExistingIsJoin,
  existingEntity,
  existingEntityFacts,
  resolveJoinSides,
  type JoinSides,
} from './resolve.js';
import { migrateRuns } from './migration.js';
import { joinSchema } from './schema.js';
import { dataSourceFileOf, scanForPlan, withSourceStyle, type PlanContext } from './scan.js';

export async function planTypeormJoin(
  project: Project,
  join: JoinModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<TypeormJoinPlan> {
  const sides = [join.source.destination.resource, join.target.destination.resource];
  const context = await scanForPlan(project, changes, options, {
    names: [join.resource, ...sides, join.table],
    required: sides,
  });
  const existing = existingEntity(context.scan.entities, join);
  if (existing) options.claimExisting?.(existingEntityFacts(context, existing));
  assertExistingIsJoin(context, join, existing);
  const plan = joinPlan(context, join, existing, resolveJoinSides(context, join, existing));
  if (existing && options.ignoreIfExists) return plan;

  const edit = withSourceStyle(context);
  const grown = existing ? convergeJoinEntity(edit, plan, existing) : createJoinEntity(edit, plan);
  addJoinInverses(edit, plan);
  registerJoinEntity(edit, plan);
  planJoinMigration(edit, plan, grown);
  planTypeormHelpers(edit, plan);
  return plan;
}

/** The plan before any edit: the join entity's class and file (placed when it is new). */
function joinPlan(
  context: PlanContext,
  join: JoinModel,
  existing: TypeormEntity | undefined,
  sides: JoinSides,
): TypeormJoinPlan {
  return {
    kind: 'join',
    join,
    dialect: context.dialect,
    joinClass: existing?.className ?? newEntityClassName(context, join.resource),
    sides,
    schema: joinSchema(context, join, sides),
    joinFile: existing?.file ?? placeJoinFile(context, join, sides),
    existed: existing !== undefined,
    migrationName: join.migrationName,
    migrationFiles: [],
    migrationFile: undefined,
    dataSourceFile: dataSourceFileOf(context),
    migrateRuns: migrateRuns(context.project, dataSourceFileOf(context)),
    registered: [],
    warnings: [],
  };
}
