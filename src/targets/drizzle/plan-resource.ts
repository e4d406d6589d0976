/**
 * Plans a Drizzle plain resource into the change set, one named step per role: resolve the
 * existing table and each belongs_to's destination, place a new table, create it (or converge an
 * existing one), its `one()` relations and each destination's inverse, the barrel re-export and
 * the migration's name. Nothing here touches disk.
 */
import type { ChangeSet } from '../../change-set/change-set.js';
import type { Project } from '../../project/project.js';
import { missingResourceError, type ResourceModel } from '../../resource/resource-model.js';
import { camelCase } from '../../rules/naming.js';
import type { PlanOptions } from '../target.js';
import { convergeResourceTable } from './converge.js';
import { createResourceTable } from './create.js';
import { CORE_MODULE, sourceFileAccess, TABLE_FUNCTION } from './drizzle-schema.js';
import { projectTimestamps, statesColumnNames } from './column-code.js';
import { loadingGuard } from './import-cycles.js';
import { nameMigration } from './migration.js';
import { placeResource, separateRelationsFile } from './place.js';
import type { DrizzleResourcePlan, ResourceContext } from './plan-types.js';
import { registerResourceFile } from './register.js';
import { addBelongsToOnes, addInverseRelations, nameRelationPairs } from './relations.js';
import {
  assertKeepsKey,
  existingTable,
  existingTableFacts,
  resolveBelongsTo,
  type ResolvedBelongsTo,
} from './resolve.js';
import { scanDrizzleProject, type DrizzleScan } from './scan.js';
import { relativeToRoot, type DrizzleTable } from './schema-model.js';

export async function planDrizzleResource(
  project: Project,
  resource: ResourceModel,
  changes: ChangeSet,
  options: PlanOptions,
): Promise<DrizzleResourcePlan> {
  const scan = await scanDrizzleProject(project);
  const existing = existingTable(scan.schema.tables, resource);
  if (existing) options.claimExisting?.(existingTableFacts(project, scan, existing));
  if (!existing && !resource.primaryKey) throw missingResourceError(resource);
  const file = existing?.file ?? placeResource(scan, resource);
  const belongsTo = resolveBelongsTo(scan, resource, existing);
  const plan = resourcePlan(resource, scan, existing, file, belongsTo);
  if (existing && options.ignoreIfExists) return plan;
  if (existing && !options.replace) assertKeepsKey(existing, resource.primaryKey);

  const context = resourceContext(project, changes, options, scan, plan, existing, belongsTo);
  nameRelationPairs(context);
  const change =
    existing && !options.replace
      ? convergeResourceTable(context, existing)
      : createResourceTable(context);
  plan.altersSchema = change.altered;
  nameMigration(plan, change, options);
  addBelongsToOnes(context);
  registerResourceFile(context);
  addInverseRelations(context);
  return plan;
}

function resourcePlan(
  resource: ResourceModel,
  scan: DrizzleScan,
  existing: DrizzleTable | undefined,
  file: string,
  belongsTo: ResolvedBelongsTo[],
): DrizzleResourcePlan {
  return {
    kind: 'resource',
    file,
    existed: existing !== undefined,
    table: existing?.name ?? resource.table,
    warnings: [],
    migrationName: resource.migrationName,
    migrationFiles: [],
    inverseFiles: [],
    resource,
    config: scan.config,
    dialect: scan.dialect,
    foreignKeys: scan.foreignKeys,
    variable: existing?.variable ?? resource.collection,
    keyProperty: existing
      ? existing.columns.find((column) => column.primaryKey)?.key
      : camelCase(resource.primaryKey!.name),
    altersSchema: false,
    belongsTo: belongsTo.map((link) => ({
      property: camelCase(link.relationship.name),
      field: link.field,
      destination: link.table.variable,
      reference: link.primaryKey.key,
      inverse: link.relationship.inverse,
      relationship: link.relationship,
    })),
    requiredFields: [
      ...resource.attributes
        .filter((attribute) => attribute.required)
        .map((attribute) => camelCase(attribute.name)),
      ...belongsTo.filter((link) => link.relationship.required).map((link) => link.field),
    ],
    uuidv7Source: undefined,
    relationsV1: scan.relationsV1,
  };
}

/**
 * The column style, core module and table creator the table uses (a new one takes them from
 * its neighbours), and its relations file; sources attached to `changes`.
 */
function resourceContext(
  project: Project,
  changes: ChangeSet,
  options: PlanOptions,
  scan: DrizzleScan,
  plan: DrizzleResourcePlan,
  existing: DrizzleTable | undefined,
  belongsTo: ResolvedBelongsTo[],
): ResourceContext {
  const { schema, dialect, config } = scan;
  const { file } = plan;
  const neighbour =
    existing ?? schema.tables.find((table) => table.file === file) ?? schema.tables[0]!;
  const customCreator = !/^(pg|sqlite|mysql|singlestore)Table$/.test(neighbour.creator);
  const core = neighbour.coreModule ?? CORE_MODULE[dialect];
  const creator = neighbour.creator || TABLE_FUNCTION[dialect];
  const relationsFile = separateRelationsFile(schema, existing);
  const sourceFileFor = sourceFileAccess(schema, changes);
  return {
    project,
    changes,
    options,
    scan,
    resource: plan.resource,
    existing,
    file,
    variable: plan.variable,
    belongsTo,
    columnStyle: {
      foreignKeys: scan.foreignKeys,
      dialect,
      // Written like the neighbour's columns: named, or bare where drizzle derives the name.
      namedColumns: statesColumnNames([neighbour]),
      casing: config.casing,
      timestamps: projectTimestamps(scan.schema.tables, scan.dialect, plan.resource.timestampNames),
    },
    core,
    creator: customCreator
      ? { call: neighbour.creator, module: neighbour.creatorModule, name: neighbour.creatorImport }
      : { call: creator, module: core, name: creator },
    relations: {
      schema,
      relationsFile,
      style: scan.style,
      sourceFileFor,
      breaksLoading: loadingGuard(
        (file) => changes.read(file),
        (file) => relativeToRoot(project.root, file),
      ),
      warn: (message) => plan.warnings.push(message),
    },
    sourceFileFor,
    inlineRelations: !scan.relationsV1 && relationsFile === undefined && belongsTo.length > 0,
    plan,
  };
}
