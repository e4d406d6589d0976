/**
 * The two Drizzle plans and the context each planner hands its steps: what was scanned and
 * resolved, where the resource goes, and how to reach a source file, in one typed object.
 */
import type { ChangeSet } from '../../change-set/change-set.js';
import type { JoinModel } from '../../join/join-model.js';
import type { Project } from '../../project/project.js';
import type { BelongsTo, ResourceModel } from '../../resource/resource-model.js';
import type { PlannedJoin, PlannedPlainResource, PlanOptions } from '../target.js';
import type { ColumnStyle } from './column-code.js';
import type { SqlDialect } from './column-types.js';
import type { DrizzleConfig } from './drizzle-config.js';
import type { SourceFileFor } from './drizzle-schema.js';
import type { JoinNames, JoinSides, ResolvedBelongsTo } from './resolve.js';
import type { DrizzleScan } from './scan.js';
import type { DrizzleTable } from './schema-model.js';
import type { RelationsContext } from './table-relations.js';

export interface DrizzleJoinPlan extends PlannedJoin {
  join: JoinModel;
  /** The name drizzle-kit generate gets: create_…, or add_…_to_… when an existing join grows. */
  migrationName: string;
  /** Drizzle's migrations are written by drizzle-kit after the change set, never planned. */
  migrationFiles: string[];
  dialect: SqlDialect;
  /** The keys are foreign keys; false where the project declares none (PlanetScale style). */
  foreignKeys: boolean;
  config: DrizzleConfig;
  /** The join table was already in the schema before this run. */
  existed: boolean;
  joinFile: string;
  sides: JoinSides;
  warnings: string[];
  /** drizzle-orm 1.x `defineRelations` rather than per-table `relations()`. */
  relationsV1: boolean;
}

export interface DrizzleResourcePlan extends PlannedPlainResource {
  resource: ResourceModel;
  config: DrizzleConfig;
  dialect: SqlDialect;
  /** belongs_to keys are foreign keys; false where the project declares none. */
  foreignKeys: boolean;
  /** The table's variable, `events`. */
  variable: string;
  /** Its primary-key property, `id`, when known. */
  keyProperty: string | undefined;
  /** The run creates, replaces or adds columns or constraints (a migration is due). */
  altersSchema: boolean;
  /** Each belongs_to as the usage shows it. */
  belongsTo: {
    property: string;
    field: string;
    destination: string;
    /** The destination's key property, `id`. */
    reference: string;
    inverse: string;
    relationship: BelongsTo;
  }[];
  /** Properties an insert must set: required attributes and required belongs_to keys. */
  requiredFields: string[];
  /** Where the uuid v7 generator comes from, when this run uses one. */
  uuidv7Source: string | undefined;
  /** drizzle-orm 1.x (`defineRelations`): the usage shows its query syntax. */
  relationsV1: boolean;
}

/** What every step shares, whichever resource it plans. */
interface StepContext {
  project: Project;
  changes: ChangeSet;
  options: PlanOptions;
  scan: DrizzleScan;
  columnStyle: ColumnStyle;
  /** Relations kept apart from the tables, and how to reach and import files. */
  relations: RelationsContext;
  sourceFileFor: SourceFileFor;
}

export interface JoinContext extends StepContext {
  join: JoinModel;
  sides: JoinSides;
  /** The join table as the schema declares it, when it exists. */
  existing: DrizzleTable | undefined;
  joinFile: string;
  names: JoinNames;
  plan: DrizzleJoinPlan;
}

export interface ResourceContext extends StepContext {
  resource: ResourceModel;
  existing: DrizzleTable | undefined;
  file: string;
  /** The table's variable, `events`. */
  variable: string;
  /** Paired with the table's existing relations once `nameRelationPairs` ran. */
  belongsTo: ResolvedBelongsTo[];
  /** The core module and table creator the new table uses, from its neighbours. */
  core: string;
  creator: { call: string; module: string; name: string };
  /** A new table renders its one() relations beside it (no separate relations file, 0.45). */
  inlineRelations: boolean;
  plan: DrizzleResourcePlan;
}

/** What a create or converge step did to the schema, for the migration drizzle-kit generates. */
export interface SchemaChange {
  /** The table was created, replaced or grew: a migration is due. */
  altered: boolean;
  /** The name that change calls for (`add_role_to_user_events`, `update_…`), when not `create_…`. */
  migrationName?: string | undefined;
}
