/**
 * The seam between the ORM-neutral pipeline and one ORM. A target declares what it can do
 * (`capabilities`), plans a join or a plain resource into a ChangeSet (pure: no disk writes), and
 * hands back a plan that knows its own usage text and migration step, so the pipeline never
 * needs to know which ORM planned it. Targets are found through `registry.ts`; a new ORM is a
 * new folder under targets/ with a `detect.ts` and an `index.ts` implementing `OrmTarget`
 * (see docs/adding-a-target.md).
 */
import type { GeneratedNames } from '../rules/identifiers.js';
import type { ChangeSet } from '../change-set/change-set.js';
import type { JoinModel } from '../join/join-model.js';
import type { Project } from '../project/project.js';
import type { ResourceModel } from '../resource/resource-model.js';
import type { ResourceRef } from '../flags/types.js';
import type { SqlNaming } from '../project/conventions.js';
import type { WantedResource } from '../rules/resolve-resource.js';
import type { ExistingTable } from '../rules/existing-table.js';
import type { PlannedHelpers } from '../rules/helpers-file.js';

export type { HelperNames, PlannedHelpers } from '../rules/helpers-file.js';

/** What a target can do; the pipeline asks these instead of the target's name. */
export interface TargetCapabilities {
  /** `--helpers` is generated (a target may still warn for a project variant it cannot serve). */
  helpers: boolean;
  /**
   * `source`: the migration is code the plan puts into the change set (TypeORM's class);
   * `tool`: the ORM's own tool writes it once the change set is written (drizzle-kit).
   */
  migration: 'source' | 'tool';
  /** Generated and edited files are formatted with the project's Prettier and config. */
  formatter: 'prettier';
}

/** A difference from the record a plan leaves alone: where, what was recorded, what is there. */
export interface PlanConflict {
  /** Relative to the project root, POSIX separators. */
  file: string;
  line: number;
  expected: string;
  found: string;
  /** What to do instead of `joinery sync`. */
  hint: string;
}

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
  /**
   * Differences from the record that the plan leaves alone because putting them back would
   * override a deliberate change (a key's type or column name changed by hand), one line each:
   * `check` reports them; `sync` refuses while there are any.
   */
  conflicts?: PlanConflict[];
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
  /** As on a join: differences from the record left alone. */
  conflicts?: PlanConflict[];
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
  /**
   * Recorded migration files (relative to the root) that are gone from disk: a target whose
   * migration is source it plans (TypeORM's class) plans the one it would write at its recorded
   * path and timestamp, so `joinery sync` can put it back when it comes out byte for byte as
   * recorded (its checksum says so).
   */
  restoreMigrations?: string[];
  /**
   * Called with the table the run found before anything is planned into it; throws when the run
   * must not take it over (`assertMayClaimTable`). Absent only where no manifest is involved.
   */
  claimExisting?: (existing: ExistingTable) => void;
}

export interface MigrationStep {
  /** What runs, for dry-run output: `drizzle-kit generate --name create_user_events_join_table`. */
  description: string;
  /** False when a migration of that name exists and the change set is empty. */
  needed: boolean;
  /** Runs it (in the project it was planned against: the staged copy); returns the files it created. */
  run(): Promise<string[]>;
  /** The folder the tool writes (its migrations and journal), taken whole into the transaction. */
  outputs?: string;
}

/** What every plan can do for the pipeline, whichever target made it. */
export interface PlanActions {
  /** How to use the result in this ORM: load, create a join row, append, remove. */
  usage(): string;
  /** The ORM's migration step for this plan; `schemaChanged` when the change set edits more than joinery.json. */
  migrationStep(schemaChanged: boolean): MigrationStep;
}

export type JoinPlan = PlannedJoin & PlanActions;
export type ResourcePlan = PlannedPlainResource & PlanActions;

/** What the ORM's own migration check found: nothing, a problem (text), or a note why it did not run. */
export type PendingMigrations = string | { note: string } | undefined;

/** What new code sits beside, nearest first, for reading the project's SQL naming. */
export interface NamingNeighbours {
  /** The resource itself, under each table name it may have (`user_events`, `user_event`). */
  self: WantedResource[];
  /** The join's two destinations, or a resource's belongs_to destinations. */
  destinations: ResourceRef[];
}

export interface OrmTarget {
  /** As `--orm` spells it: `drizzle`. */
  name: string;
  /** As messages say it: `Drizzle`. */
  label: string;
  capabilities: TargetCapabilities;
  /** What its generated code declares and imports, so names that would collide are refused. */
  generatedNames: GeneratedNames;
  /**
   * How the project names tables and columns in SQL (`nearestSqlNaming` over the tables its scan
   * finds: the resource's own table, then `near.destinations`, then the rest). Called once per
   * resource before the models are built, so every later step, the shared rules and the record
   * use the same names; the next plan on `project` reuses this scan.
   */
  sqlNaming(project: Project, near: NamingNeighbours): Promise<SqlNaming>;
  planJoin(
    project: Project,
    join: JoinModel,
    changes: ChangeSet,
    options: PlanOptions,
  ): Promise<JoinPlan>;
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
  /**
   * `joinery check`: what the ORM's own tool would generate for the current schema, or undefined
   * when its migrations are current (`tables`: the recorded ones, for a target that can only
   * judge those). Must leave no file behind. `{ note }`: the check could not run here, and why.
   * `unmigratedTables` belong to entries made with --no-migration: what the tool would write
   * for them alone does not count.
   */
  pendingMigrations?(
    project: Project,
    tables: string[],
    unmigratedTables?: ReadonlySet<string>,
  ): Promise<PendingMigrations>;
  /** `joinery migrate`: apply pending migrations with the ORM's own tool. */
  migrate(project: Project): Promise<string>;
}

/** Gives a target's own plan the actions the pipeline calls, keeping its type for the target. */
export function withActions<Plan extends PlannedJoin | PlannedPlainResource>(
  plan: Plan,
  actions: PlanActions,
): Plan & PlanActions {
  return Object.assign(plan, actions);
}
