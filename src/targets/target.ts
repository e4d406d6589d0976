/**
 * The seam between the ORM-neutral pipeline and one ORM. A target plans a join into a ChangeSet
 * (pure: no disk writes), then, after the pipeline has written the change set, runs the ORM's own
 * migration step. A new ORM is a new folder under targets/ implementing this.
 */
import type { ChangeSet } from '../change-set/change-set.js';
import type { JoinModel } from '../join/join-model.js';
import type { Project } from '../project/project.js';
import type { ResourceModel } from '../resource/resource-model.js';

export interface PlannedJoin {
  kind: 'join';
  /** Shown in summaries: the join table's file and whether it existed before the run. */
  joinFile: string;
  existed: boolean;
  warnings: string[];
  /** The migration this run produces: `create_user_events_join_table`, `add_role_to_user_events`. */
  migrationName: string;
  /** Migration files the plan itself put into the change set (TypeORM's are plain source). */
  migrationFiles: string[];
  /** --helpers: the relationship helpers module, when the join has one (for the usage text). */
  helpers?: PlannedHelpers;
}

/** A plain resource, planned: its table/entity created, or what was missing added to it. */
export interface PlannedPlainResource {
  kind: 'resource';
  /** The table's / entity's file, and whether the resource existed before the run. */
  file: string;
  existed: boolean;
  /** The SQL table as it is (an existing entity may name it otherwise: `user` for User). */
  table: string;
  warnings: string[];
  /** `create_events_table`, or `add_title_to_events` when an existing resource grows. */
  migrationName: string;
  /** Migration files the plan itself put into the change set (TypeORM's are plain source). */
  migrationFiles: string[];
  /** Files of the destinations that got the inverse has-many, for the summary and usage. */
  inverseFiles: string[];
}

/** One direction of the helpers: `loadUserEvents(db, userId)` and its siblings. */
export interface HelperNames {
  load: string;
  append: string;
  remove: string;
  set: string;
  /** The parameters: `userId`, `eventIds`; and what load returns, `events`. */
  id: string;
  ids: string;
  items: string;
}

export interface PlannedHelpers {
  /** Relative to the project root, POSIX separators. */
  file: string;
  /** Source → target first, then the inverse. */
  directions: [HelperNames, HelperNames];
  /** Property of each loaded item holding the join row: `userEvent`. */
  rowProperty: string;
  /** The attributes argument append and set need when some are required: `{ role }`. */
  attributes: string | undefined;
}

export interface PlanOptions {
  /** --ignore-if-exists: plan nothing when the join exists. */
  ignoreIfExists: boolean;
  /**
   * False under --no-migration: a target whose migration is plain source it plans into the
   * change set leaves it out.
   */
  migration: boolean;
  /** --conflicts replace / --force: regenerate the join resource from its template. */
  replace?: boolean;
  /** --migration-name: the name of whatever migration this run produces. */
  migrationName?: string | undefined;
}

export interface MigrationStep {
  /** What runs, for dry-run output: `drizzle-kit generate --name create_user_events_join_table`. */
  description: string;
  /** False when a migration of that name exists and the change set is empty. */
  needed: boolean;
  /** Runs it; returns the files it created. */
  run(): Promise<string[]>;
  /** After `run`, puts the migrations folder back as it was (a later step failed). */
  undo?(): Promise<void>;
}

export interface JoinTarget<
  Plan extends PlannedJoin = PlannedJoin,
  ResourcePlan extends PlannedPlainResource = PlannedPlainResource,
> {
  orm: string;
  planJoin(
    project: Project,
    join: JoinModel,
    changes: ChangeSet,
    options: PlanOptions,
  ): Promise<Plan>;
  /**
   * A plain resource: creates its table/entity when it does not exist (the model then has a
   * primary key), otherwise adds the attributes, timestamps and belongs_to columns it lacks; adds
   * the inverse has-many to each belongs_to destination. `options.replace` regenerates a resource
   * joinery created.
   */
  planResource(
    project: Project,
    resource: ResourceModel,
    changes: ChangeSet,
    options: PlanOptions,
  ): Promise<ResourcePlan>;
  migrationStep(project: Project, plan: Plan | ResourcePlan, changed: boolean): MigrationStep;
  /** How to use the result in this ORM: load, create a join row, append, remove; for a plain resource, insert and load with its relations. */
  usage(plan: Plan | ResourcePlan): string;
  /**
   * `joinery check`: what the ORM's own tool would generate for the current schema, or undefined
   * when its migrations are current. Must leave no file behind.
   */
  pendingMigrations?(project: Project): Promise<string | undefined>;
  /** `joinery migrate`: apply pending migrations with the ORM's own tool. */
  migrate(project: Project): Promise<string>;
}
