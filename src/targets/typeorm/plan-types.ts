/**
 * What the two TypeORM planners hand back, read by the steps after them (helpers, usage) and by
 * the pipeline; here so that no step imports a planner.
 */
import type { JoinModel } from '../../join/join-model.js';
import type { ResourceModel, SurrogateKey } from '../../resource/resource-model.js';
import type { PlannedJoin, PlannedPlainResource } from '../target.js';
import type { TypeormDialect } from './column-types.js';
import type { JoinSides, ResolvedBelongsTo } from './resolve.js';
import type { JoinSchema } from './schema.js';

export interface TypeormJoinPlan extends PlannedJoin {
  join: JoinModel;
  dialect: TypeormDialect;
  joinClass: string;
  sides: JoinSides;
  /** The PostgreSQL schema the join table lives in (its entities'), and whether @Entity names it. */
  schema: JoinSchema;
  /** The migration planned in this run, if any. */
  migrationFile: string | undefined;
  /** The file holding `new DataSource(...)`, for `typeorm migration:run -d`. */
  dataSourceFile: string | undefined;
  /** What `joinery migrate` runs here, for the usage text; undefined when it has nothing to run. */
  migrateRuns: string | undefined;
  /** Files whose entity lists now name the join entity (relative to the root). */
  registered: string[];
}

export interface TypeormResourcePlan extends PlannedPlainResource {
  resource: ResourceModel;
  dialect: TypeormDialect;
  className: string;
  /** The SQL table: the existing entity's, else the resource's. */
  table: string;
  /** The key property (`id`) and how its values are made; kind undefined when unknown. */
  key: { property: string; kind: SurrogateKey['kind'] | undefined };
  belongsTo: ResolvedBelongsTo[];
  /** The migration planned in this run, if any. */
  migrationFile: string | undefined;
  /** The file holding `new DataSource(...)`, for `typeorm migration:run -d`. */
  dataSourceFile: string | undefined;
  /** What `joinery migrate` runs here, for the usage text; undefined when it has nothing to run. */
  migrateRuns: string | undefined;
  /** Files whose entity lists now name the entity (relative to the root). */
  registered: string[];
  /** Where `uuidv7()` comes from (a project file, relative, or the `uuidv7` package). */
  uuidV7Module: string | undefined;
}
