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
import { toJoinModel } from '../join/join-model.js';
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
import { isJoinSpec, toResourceModel } from '../resource/resource-model.js';
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
  };
  if (spec.helpers && !target.capabilities.helpers) {
    throw invalidInput(
      `--helpers: the ${target.label} target generates no relationship helpers.`,
      'Drop --helpers; the usage text shows the queries to write instead.',
    );
  }
  let table: string;
  let plan: JoinPlan | ResourcePlan;
  if (isJoinSpec(spec)) {
    const join = toJoinModel(spec);
    join.migrationName = request.migrationName ?? createName ?? join.migrationName;
    assertTableUnclaimed(manifest, label, join.table);
    table = join.table;
    plan = await target.planJoin(project, join, changeSet, options);
  } else {
    const resource = toResourceModel(spec);
    resource.migrationName = request.migrationName ?? createName ?? resource.migrationName;
    assertTableUnclaimed(manifest, label, resource.table);
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
        plan.migrationFiles.length > 0
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
  if (last && plan.migrationFiles.length > 0) {
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
