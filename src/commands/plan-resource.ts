/**
 * One resource, planned: the recorded manifest entry merged with the command line, the target's
 * plan (a two-key join or a plain resource), the manifest entry, formatting. Shared by `gen resource`, `sync` and `check`;
 * nothing here writes.
 */
import path from 'node:path';
import { ChangeSet, type FileChange } from '../change-set/change-set.js';
import { formatChanges } from '../change-set/format-changes.js';
import { invalidInput } from '../errors.js';
import { saveCompileCache } from '../compile-cache.js';
import { toJoinModel, type JoinModel } from '../join/join-model.js';
import { entryKey, type Manifest, type ManifestEntry } from '../manifest/manifest.js';
import {
  assertTableUnclaimed,
  isManifestFile,
  manifestChanges,
  nextEntry,
  recordEntry,
} from '../manifest/manifest-file.js';
import { mergeSpecs } from '../manifest/merge-spec.js';
import { migrationChecksums } from '../manifest/migration-checksum.js';
import { specFromEntry } from '../manifest/spec-from-entry.js';
import type { Project } from '../project/project.js';
import { isJoinSpec, toResourceModel, type ResourceModel } from '../resource/resource-model.js';
import { assertMayClaimTable, type TableClaim } from '../rules/existing-table.js';
import { assertNamesGeneratable, type NamesToCheck } from '../rules/identifiers.js';
import { ResourceNotFoundError, type WantedResource } from '../rules/resolve-resource.js';
import { sqlTableName } from '../rules/naming-sql.js';
import { DEFAULT_SQL_NAMING } from '../project/conventions.js';
import type { ResourceSpec } from '../flags/types.js';
import type {
  JoinPlan,
  MigrationStep,
  OrmTarget,
  PlanOptions,
  ResourcePlan,
} from '../targets/target.js';
import { readManifestOnce } from './read-manifest-file.js';

export interface ResourceRequest {
  spec: ResourceSpec;
  migration: boolean;
  /** --migration-name, when given. */
  migrationName: string | undefined;
  /** --orm, when given: recorded, so replays need no --orm. */
  orm?: string | undefined;
  /** check and sync: recorded migration files gone from disk, planned again where the target can. */
  restoreMigrations?: string[];
}

export interface PlannedResource {
  label: string;
  /** The join's or the plain resource's table. */
  table: string;
  plan: JoinPlan | ResourcePlan;
  changeSet: ChangeSet;
  changes: FileChange[];
  migration: MigrationStep | undefined;
  manifest: Manifest;
  /** The entry as recorded after this run (undefined when skipped). */
  entry: ManifestEntry | undefined;
  /** --ignore-if-exists and the join exists: nothing planned. */
  skipped: boolean;
}

export async function planResource(
  project: Project,
  target: OrmTarget,
  request: ResourceRequest,
): Promise<PlannedResource> {
  try {
    return await planOneResource(project, target, request);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    // The resource may live in a file the scan skipped: say which, and why.
    throw error.withSkipped(
      project.skippedSources().map(({ file, reason }) => ({
        file: path.relative(project.root, file).split(path.sep).join('/'),
        reason,
      })),
    );
  }
}

async function planOneResource(
  project: Project,
  target: OrmTarget,
  request: ResourceRequest,
): Promise<PlannedResource> {
  const changeSet = new ChangeSet(project.root, { read: project.readSource });
  const manifest = readManifestOnce(changeSet);
  const given = request.spec;
  const label = entryKey(given);
  const recorded = manifest.entries.get(label);
  const replace = given.conflicts === 'replace';
  const spec = recorded && !replace ? mergeSpecs(specFromEntry(recorded), given) : given;

  const createName = recorded?.migrations[0]?.name;
  const options: PlanOptions = {
    ignoreIfExists: given.ignoreIfExists,
    migration: request.migration,
    replace,
    migrationName: request.migrationName,
    restoreMigrations: request.restoreMigrations,
  };
  if (spec.helpers && !target.capabilities.helpers) {
    throw invalidInput(
      `--helpers: the ${target.label} target generates no relationship helpers.`,
      'Drop --helpers; the usage text shows the queries to write instead.',
    );
  }
  const claim = (joinKeys: TableClaim['joinKeys'], declared: string[], keepsKey = false) => {
    options.claimExisting = (existing) =>
      assertMayClaimTable(existing, {
        label,
        joinKeys,
        // --ignore-if-exists leaves an existing table alone, --force or not.
        replace: replace && !given.ignoreIfExists,
        recorded: recorded?.table === existing.table,
        tableFlag: given.table,
        declared,
        keepsKey,
      });
  };
  let table: string;
  let plan: JoinPlan | ResourcePlan;
  if (isJoinSpec(spec)) {
    const named = toJoinModel(spec);
    const join = toJoinModel(
      spec,
      await target.sqlNaming(project, {
        self: selfNames(named),
        destinations: [named.source.destination, named.target.destination],
      }),
    );
    join.migrationName = request.migrationName ?? createName ?? join.migrationName;
    // Recorded as the flag named it (`app.user_events`), so a replay puts it in that schema again.
    const joinTable = join.schema ? `${join.schema}.${join.table}` : join.table;
    assertTableUnclaimed(manifest, label, joinTable);
    assertNamesGeneratable(target.generatedNames, joinNames(label, join));
    const keys: [string, string] = [join.source.attribute.name, join.target.attribute.name];
    claim(keys, [
      ...keys,
      ...join.extraAttributes.map((a) => a.name),
      ...(join.timestamps ? timestampColumns(join) : []),
    ]);
    table = joinTable;
    plan = await target.planJoin(project, join, changeSet, options);
  } else {
    const named = toResourceModel(spec);
    const resource = toResourceModel(
      spec,
      await target.sqlNaming(project, {
        self: selfNames(named),
        destinations: named.belongsTo.map((link) => link.destination),
      }),
    );
    resource.migrationName = request.migrationName ?? createName ?? resource.migrationName;
    assertTableUnclaimed(manifest, label, resource.table);
    assertNamesGeneratable(target.generatedNames, resourceNames(label, resource));
    claim(
      undefined,
      [
        ...(resource.primaryKey ? [resource.primaryKey.name] : []),
        ...resource.attributes.map((attribute) => attribute.name),
        ...resource.belongsTo.map((link) => link.attribute),
        ...(resource.timestamps ? timestampColumns(resource) : []),
      ],
      !resource.primaryKey,
    );
    table = resource.table;
    const resourcePlan = await target.planResource(project, resource, changeSet, options);
    if (resourcePlan.table !== table) {
      table = resourcePlan.table;
      assertTableUnclaimed(manifest, label, table);
    }
    plan = resourcePlan;
  }
  const planned = { label, table, plan, changeSet, manifest };
  if (plan.existed && given.ignoreIfExists) {
    return { ...planned, changes: [], migration: undefined, entry: recorded, skipped: true };
  }

  const migrationFiles = new Set(plan.migrationFiles);
  // A recorded migration planned again where it was (restoreMigrations): already in the record,
  // whose checksum stays as recorded, so check can tell whether it came out the same.
  const restored =
    plan.migrationFiles.length > 0 &&
    plan.migrationFiles.every((file) =>
      recorded?.migrations.some((migration) => migration.files.includes(changeSet.relative(file))),
    );
  const written = changeSet
    .listChanges()
    .map((change) => change.file)
    .filter((file) => !isManifestFile(project.root, file) && !migrationFiles.has(file));
  let entry = nextEntry(
    recorded,
    {
      spec,
      table,
      files: written,
      migration:
        plan.migrationFiles.length > 0 && !restored
          ? { name: plan.migrationName, files: plan.migrationFiles }
          : undefined,
      skipMigration: !request.migration,
      orm: request.orm !== undefined ? target.name : undefined,
    },
    (file) => changeSet.relative(file),
  );
  recordEntry(changeSet, manifest, entry);

  await formatChanges(changeSet, { owned: manifestChanges(changeSet) });
  // Migration source planned here (TypeORM's class) is checksummed as it will be written.
  const last = entry.migrations.at(-1);
  if (last && plan.migrationFiles.length > 0 && !restored) {
    const sha256 = migrationChecksums(last.files, (file) =>
      changeSet.read(path.join(project.root, file)),
    );
    entry = { ...entry, migrations: [...entry.migrations.slice(0, -1), { ...last, sha256 }] };
    if (recordEntry(changeSet, manifest, entry)) {
      await formatChanges(changeSet, { owned: manifestChanges(changeSet) });
    }
  }
  saveCompileCache();
  const changes = changeSet.listChanges();
  const schemaChanged = changes.some((change) => !isManifestFile(project.root, change.file));
  const migration = request.migration ? plan.migrationStep(schemaChanged) : undefined;
  return { ...planned, changes, migration, entry, skipped: false };
}

/**
 * The resource under each table name the project's naming may give it, for finding its own
 * table (--table, or the recorded table, is the one name).
 */
function selfNames(model: JoinModel | ResourceModel): WantedResource[] {
  const wanted = { resource: model.resource, collection: model.collection, table: model.table };
  if (model.table !== sqlTableName(model.resource, DEFAULT_SQL_NAMING)) return [wanted];
  const singular = sqlTableName(model.resource, { ...DEFAULT_SQL_NAMING, tables: 'singular' });
  return [wanted, { ...wanted, table: singular }];
}

/** A regenerated table keeps these when the command asks for them (--timestamps). */
function timestampColumns(model: JoinModel | ResourceModel): string[] {
  return [model.timestampNames.created, model.timestampNames.updated];
}

/** The names a join turns into code, each with where it came from. */
function joinNames(label: string, join: JoinModel): NamesToCheck {
  const keys = [join.source, join.target];
  const attribute = (name: string) => ({ name, origin: `attribute ${name}` });
  return {
    resources: [
      { name: join.resource, origin: `the resource ${label}` },
      ...keys.map((key) => ({
        name: key.destination.resource,
        origin: `${key.attribute.name} (refers to ${key.destination.resource})`,
      })),
    ],
    properties: [
      ...keys.flatMap((key) => [
        attribute(key.attribute.name),
        { name: key.relationship, origin: `relationship ${key.relationship}` },
      ]),
      ...join.extraAttributes.map((extra) => attribute(extra.name)),
    ],
    elsewhere: keys.map((key) => ({
      name: key.manyToMany,
      origin: `many_to_many ${key.manyToMany}`,
    })),
  };
}

/** The names a plain resource turns into code, each with where it came from. */
function resourceNames(label: string, resource: ResourceModel): NamesToCheck {
  const attribute = (name: string) => ({ name, origin: `attribute ${name}` });
  return {
    resources: [
      { name: resource.resource, origin: `the resource ${label}` },
      ...resource.belongsTo.map((link) => ({
        name: link.destination.resource,
        origin: `belongs_to ${link.name} (refers to ${link.destination.resource})`,
      })),
    ],
    properties: [
      ...(resource.primaryKey ? [attribute(resource.primaryKey.name)] : []),
      ...resource.attributes.map((extra) => attribute(extra.name)),
      ...resource.belongsTo.flatMap((link) => [
        { name: link.name, origin: `belongs_to ${link.name}` },
        attribute(link.attribute),
      ]),
    ],
    elsewhere: resource.belongsTo.map((link) => ({
      name: link.inverse,
      origin: `the has_many ${link.inverse} on ${link.destination.resource}`,
    })),
  };
}
