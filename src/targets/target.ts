/**
 * The seam between the ORM-neutral pipeline and one ORM. A target plans a join into a ChangeSet
 * (pure: no disk writes), then, after the pipeline has written the change set, runs the ORM's own
 * migration step. A new ORM is a new folder under targets/ implementing this.
 */
import type { ChangeSet } from '../change-set/change-set.js';
import type { JoinModel } from '../join/join-model.js';
import type { Project } from '../project/project.js';

export interface PlannedJoin {
  /** Shown in summaries: the join table's file and whether it existed before the run. */
  joinFile: string;
  existed: boolean;
  warnings: string[];
}

export interface MigrationStep {
  /** What runs, for dry-run output: `drizzle-kit generate --name create_user_events_join_table`. */
  description: string;
  /** False when a migration of that name exists and the change set is empty. */
  needed: boolean;
  /** Runs it; returns the files it created. */
  run(): Promise<string[]>;
}

export interface JoinTarget<Plan extends PlannedJoin = PlannedJoin> {
  orm: string;
  planJoin(
    project: Project,
    join: JoinModel,
    changes: ChangeSet,
    /**
     * `migration` is false under --no-migration: a target whose migration is plain source it
     * plans into the change set leaves it out.
     */
    options: { ignoreIfExists: boolean; migration: boolean },
  ): Promise<Plan>;
  migrationStep(project: Project, plan: Plan, changed: boolean): MigrationStep;
  /** How to use the result in this ORM: load, create a join row, append, remove. */
  usage(plan: Plan): string;
  /** `joinery migrate`: apply pending migrations with the ORM's own tool. */
  migrate(project: Project): Promise<string>;
}
