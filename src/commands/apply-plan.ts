/**
 * Write mode for one planned resource: warn about uncommitted edits in the files to be touched,
 * ask when a terminal is there to answer, write the change set, run the ORM's migration step, and
 * record the migration's files in joinery.json. A failure after the write restores every file.
 */
import { rm } from 'node:fs/promises';
import { ChangeSet, type FileChange } from '../change-set/change-set.js';
import { formatChanges } from '../change-set/format-changes.js';
import { uncommittedFiles } from '../change-set/git-status.js';
import { restore, writeChanges } from '../change-set/write-changes.js';
import { manifestPath, recordEntry } from '../manifest/manifest-file.js';
import type { Output } from '../output.js';
import type { PlannedResource } from './plan-resource.js';

export type Confirm = (question: string) => Promise<boolean>;

export interface Applied {
  written: boolean;
  migrationFiles: string[];
}

export function summary(changes: FileChange[], changeSet: ChangeSet, would: boolean): string {
  const verb = (kind: FileChange['kind']) =>
    would ? `would ${kind}` : kind === 'create' ? 'created' : 'updated';
  return changes
    .map((change) => `  ${verb(change.kind)} ${changeSet.relative(change.file)}`)
    .join('\n');
}

export async function applyPlan(
  planned: PlannedResource,
  output: Output,
  confirm: Confirm | undefined,
): Promise<Applied> {
  const { changes, changeSet, migration } = planned;
  const root = changeSet.root;
  const dirty = await uncommittedFiles(
    root,
    changes.filter((change) => change.kind === 'update').map((change) => change.file),
  );
  if (dirty.length > 0) {
    output.warn(
      `uncommitted changes in ${dirty.join(', ')}; joinery's edits will mix with yours (commit or stash first to review them apart).`,
    );
  }
  if (confirm) {
    output.info(`${planned.label}:\n${summary(changes, changeSet, true)}`);
    if (migration?.needed) output.info(`  would run ${migration.description}`);
    if (!(await confirm('Write these changes? [Y/n] '))) {
      output.info('Nothing written.');
      return { written: false, migrationFiles: [] };
    }
  }

  await writeChanges(changes, root);
  let migrationFiles: string[] = [];
  if (migration?.needed) {
    output.progress(`Running ${migration.description} ...`);
    try {
      migrationFiles = await migration.run();
      await recordMigration(planned, migrationFiles);
    } catch (error) {
      // The schema edits, the migration and the manifest land together or not at all.
      if (migration.undo) await migration.undo();
      else await Promise.allSettled(migrationFiles.map((file) => rm(file, { force: true })));
      await restore(changes);
      throw error;
    }
  }
  return { written: true, migrationFiles };
}

/** drizzle-kit names its files only when it runs: add them to the entry written a moment ago. */
async function recordMigration(planned: PlannedResource, files: string[]): Promise<void> {
  if (files.length === 0 || !planned.entry) return;
  const root = planned.changeSet.root;
  const update = new ChangeSet(root);
  const entry = {
    ...planned.entry,
    migrations: [
      ...planned.entry.migrations,
      { name: planned.plan.migrationName, files: files.map((file) => update.relative(file)) },
    ],
  };
  if (!recordEntry(update, planned.manifest, entry)) return;
  await formatChanges(update, { owned: [manifestPath(root)] });
  await writeChanges(update.listChanges(), root);
}
