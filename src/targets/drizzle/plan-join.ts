/**
 * Plans a Drizzle join resource into the change set, one named step per role: resolve both
 * sides, place the join table, create it (or converge an existing one), its relations, the
 * barrel re-exports, the migration's name and --helpers. Nothing here touches disk.
 */
import type { ChangeSet } from '../../change-set/change-set.js';
import type { JoinModel } from '../../join/join-model.js';
import type { Project } from '../../project/project.js';
import type { PlanOptions } from '../target.js';
import { convergeJoinTable } from './converge.js';
import { createJoinTable } from './create.js';
import { sourceFileAccess } from './drizzle-schema.js';
import { planDrizzleHelpers } from './helpers.js';
import { projectTimestamps, statesColumnNames } from './column-code.js';
import { loadingGuard } from './import-cycles.js';
import { nameMigration } from './migration.js';
import { placeJoinFile, separateRelationsFile } from './place.js';
import type { DrizzleJoinPlan, JoinContext } from './plan-types.js';
import { registerJoinFile } from './register.js';
import { addJoinRelations } from './relations.js';
import {
  assertAdoptableJoin,
  existingTable,
  existingTableFacts,
  joinNames,
  resolveJoinSides,
  type JoinSides,
} from './resolve.js';
import { scanDrizzleProject, type DrizzleScan } from './scan.js';
import { relativeToRoot, type DrizzleTable } from './schema-model.js';

export async function planDrizzleJoin(
  project: Project,
  join: JoinModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<DrizzleJoinPlan> {
  const scan = await scanDrizzleProject(project);
  const existing = existingTable(scan.schema.tables, join);
  if (existing) options.claimExisting?.(existingTableFacts(project, scan, existing));
  const sides = resolveJoinSides(project, scan, join);
  const joinFile = existing?.file ?? placeJoinFile(join, sides, scan);
  const plan = joinPlan(join, scan, sides, existing, joinFile);
  if (existing && options.ignoreIfExists) return plan;
  if (existing && !options.replace) {
    assertAdoptableJoin(
      scan,
      existing,
      join,
      `${relativeToRoot(project.root, existing.file)}:${existing.line}`,
    );
  }

  const context = joinContext(project, changes, options, scan, plan, existing);
  const change =
    existing && !options.replace ? convergeJoinTable(context, existing) : createJoinTable(context);
  nameMigration(plan, change, options);
  addJoinRelations(context);
  registerJoinFile(context);
  planDrizzleHelpers(context);
  return plan;
}

function joinPlan(
  join: JoinModel,
  scan: DrizzleScan,
  sides: JoinSides,
  existing: DrizzleTable | undefined,
  joinFile: string,
): DrizzleJoinPlan {
  return {
    kind: 'join',
    join,
    migrationName: join.migrationName,
    migrationFiles: [],
    dialect: scan.dialect,
    foreignKeys: scan.foreignKeys,
    config: scan.config,
    existed: existing !== undefined,
    joinFile,
    sides,
    warnings: [],
    // Set once the join is planned (an --ignore-if-exists plan stops before).
    relationsV1: false,
  };
}

/** The names, column style and relations file the steps share; sources attached to `changes`. */
function joinContext(
  project: Project,
  changes: ChangeSet,
  options: PlanOptions,
  scan: DrizzleScan,
  plan: DrizzleJoinPlan,
  existing: DrizzleTable | undefined,
): JoinContext {
  const { join, sides, joinFile } = plan;
  plan.relationsV1 = scan.relationsV1;
  const sourceFileFor = sourceFileAccess(scan.schema, changes);
  return {
    project,
    changes,
    options,
    scan,
    join,
    sides,
    existing,
    joinFile,
    names: joinNames(join, existing),
    columnStyle: {
      foreignKeys: scan.foreignKeys,
      dialect: scan.dialect,
      // Written like the destinations' columns: named, or bare where drizzle derives the name.
      namedColumns: statesColumnNames([sides.source.table, sides.target.table]),
      casing: scan.config.casing,
      timestamps: projectTimestamps(scan.schema.tables, scan.dialect, join.timestampNames),
    },
    relations: {
      schema: scan.schema,
      relationsFile: scan.relationsV1
        ? undefined
        : separateRelationsFile(scan.schema, sides.source.table),
      style: scan.style,
      sourceFileFor,
      breaksLoading: loadingGuard(
        (file) => changes.read(file),
        (file) => relativeToRoot(project.root, file),
      ),
      warn: (message) => plan.warnings.push(message),
    },
    sourceFileFor,
    plan,
  };
}
