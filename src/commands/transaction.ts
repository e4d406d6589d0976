/**
 * Write mode as one transaction: every part of a command (a resource and its joins, or every
 * entry `sync` replays) is planned, and its migration produced, before the project is touched;
 * then one commit writes code, joinery.json and migrations together, or nothing.
 *
 * When there is more than one part, or the ORM's tool writes the migration (drizzle-kit), the
 * parts are planned in a staged copy of the project (`stage.ts`): each part sees what the earlier
 * ones produced, and the tool runs there. A single part whose migration is planned source
 * (TypeORM) needs no copy: its change set is the transaction.
 */
import { ChangeSet, type FileChange } from '../change-set/change-set.js';
import { formatChanges } from '../change-set/format-changes.js';
import { uncommittedFiles } from '../change-set/git-status.js';
import { writeChanges } from '../change-set/write-changes.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { manifestChanges, recordEntry } from '../manifest/manifest-file.js';
import { migrationChecksums } from '../manifest/migration-checksum.js';
import type { Output } from '../output.js';
import { loadProject, type Project } from '../project/project.js';
import type { PlannedResource } from './plan-resource.js';
import { Stage } from './stage.js';

export type Confirm = (question: string) => Promise<boolean>;

export function summary(changes: FileChange[], changeSet: ChangeSet, would: boolean): string {
  const verb = (kind: FileChange['kind']) =>
    would ? `would ${kind}` : kind === 'create' ? 'created' : 'updated';
  return changes
    .map((change) => `  ${verb(change.kind)} ${changeSet.relative(change.file)}`)
    .join('\n');
}

/** One part taken into the transaction: what it planned and the migration files it produced. */
export interface StagedPart {
  planned: PlannedResource;
  /** Relative to the root, POSIX separators. */
  migrationFiles: string[];
}

export class Transaction {
  private readonly direct: FileChange[] = [];

  private constructor(
    readonly root: string,
    private readonly stage: Stage | undefined,
  ) {}

  /** `staged`: plan in a copy (several parts, or a migration the ORM's tool writes). */
  static async open(root: string, staged: boolean): Promise<Transaction> {
    return new Transaction(root, staged ? await Stage.create(root) : undefined);
  }

  /** The project the next part is planned against: the copy, holding the earlier parts. */
  project(): Project {
    return loadProject(this.stage?.root ?? this.root);
  }

  /** Takes a planned part in; runs its migration step in the copy when one is needed. */
  async add(planned: PlannedResource, output: Output): Promise<StagedPart> {
    const { changes, migration } = planned;
    if (!this.stage) {
      this.direct.push(...changes);
      return { planned, migrationFiles: [] };
    }
    await this.stage.apply(changes);
    if (!migration?.needed) return { planned, migrationFiles: [] };
    output.progress(`Running ${migration.description} ...`);
    const run = () => migration.run();
    const files = migration.outputs
      ? await this.stage.capture(migration.outputs, run)
      : await run();
    const migrationFiles = files.map((file) => planned.changeSet.relative(file));
    await this.recordMigration(planned, migrationFiles);
    return { planned, migrationFiles };
  }

  /** The whole transaction, as changes of the real project. */
  changes(): FileChange[] {
    return this.stage ? this.stage.changes() : [...this.direct];
  }

  /**
   * Warns about uncommitted edits in the files to be touched, asks when a terminal can answer,
   * then writes everything at once. False when the answer was no.
   */
  async commit(
    changes: FileChange[],
    output: Output,
    confirm: Confirm | undefined,
  ): Promise<boolean> {
    const dirty = await uncommittedFiles(
      this.root,
      changes.filter((change) => change.kind === 'update').map((change) => change.file),
    );
    if (dirty.length > 0) {
      output.warn(
        `uncommitted changes in ${dirty.join(', ')}; joinery's edits will mix with yours (commit or stash first to review them apart).`,
      );
    }
    if (confirm) {
      output.info(summary(changes, new ChangeSet(this.root), true));
      if (!(await confirm('Write these changes? [Y/n] '))) {
        output.info('Nothing written.');
        return false;
      }
    }
    await writeChanges(changes, this.root);
    return true;
  }

  /** Errors from the copy name the project's files. */
  translate(error: unknown): unknown {
    return this.stage ? this.stage.translate(error) : error;
  }

  async dispose(): Promise<void> {
    await this.stage?.dispose();
  }

  /** drizzle-kit names its files only when it runs: they join the entry planned a moment ago. */
  private async recordMigration(planned: PlannedResource, files: string[]): Promise<void> {
    if (files.length === 0 || !planned.entry) return;
    const root = planned.changeSet.root;
    const update = new ChangeSet(root);
    const migration = {
      name: planned.plan.migrationName,
      files,
      sha256: migrationChecksums(files, (file) => update.read(path.join(root, file))),
    };
    // A recorded migration gone whole from the project (sync regenerating it) is replaced where
    // it stood, not recorded twice.
    const gone = planned.entry.migrations.findIndex(
      (recorded) =>
        recorded.name === migration.name &&
        recorded.files.every((file) => !existsSync(path.join(this.root, file))),
    );
    const migrations = [...planned.entry.migrations];
    if (gone >= 0) migrations[gone] = migration;
    else migrations.push(migration);
    const entry = { ...planned.entry, migrations };
    if (!recordEntry(update, planned.manifest, entry)) return;
    await formatChanges(update, { owned: manifestChanges(update) });
    await this.stage!.apply(update.listChanges());
  }
}
