/**
 * `joinery check`: replays every entry of joinery.json as a dry run and compares the migrations
 * with the schema, writing nothing. Exit 0 with one line when everything is current; exit 1 with
 * the diffs and the problems found otherwise. `--json` gives the same as one JSON report.
 */
import { renderDiff } from '../change-set/render-diff.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { MANIFEST_FILE } from '../manifest/manifest.js';
import { specFromEntry } from '../manifest/spec-from-entry.js';
import {
  missingMigrationFiles,
  plannedFiles,
  settleMissingMigrations,
  verifyMigrations,
} from '../manifest/verify-migrations.js';
import type { Output } from '../output.js';
import { loadProject } from '../project/project.js';
import { assertNoInterruptedCommit } from '../change-set/commit-journal.js';
import { selectTarget } from '../targets/registry.js';
import { changeDifferences, differenceLine, type Difference } from './differences.js';
import { planResource } from './plan-resource.js';
import { readManifestFile } from './read-manifest-file.js';
import { recordedOrm, unmigratedTables } from '../manifest/manifest-file.js';

export interface CheckOptions {
  cwd: string;
  /** --orm: the target, when the project uses more than one ORM. */
  orm?: string | undefined;
  json: boolean;
}

export interface EntryReport {
  key: string;
  current: boolean;
  /** Every difference found, one each: file (and line), expected, found, who repairs it. */
  differences: Difference[];
  changes: { file: string; kind: 'create' | 'update'; diff: string }[];
  /** The migration command that would run, when one would. */
  migration: string | null;
  /** The differences `joinery sync` will not repair, as the lines the text report prints. */
  problems: string[];
}

export interface CheckReport {
  current: boolean;
  summary: string;
  entries: EntryReport[];
  /** Project-wide findings (the ORM's tool would generate a migration). */
  problems: string[];
}

export interface CheckResult {
  exitCode: ExitCodeValue;
  report: CheckReport;
}

export async function check(options: CheckOptions, output: Output): Promise<CheckResult> {
  const root = loadProject(options.cwd).root;
  assertNoInterruptedCommit(root);
  const manifest = readManifestFile(root);
  const entries: EntryReport[] = [];
  const restoringKeys = new Set<string>();
  const project = loadProject(root);
  const target = await selectTarget(project, options.orm ?? recordedOrm(manifest));
  // The ORM's own check reads the schema and migrations on disk, which replaying never changes:
  // started first, it runs in its own process beside the replays rather than after them.
  const pendingCheck =
    target.pendingMigrations && manifest.entries.size > 0
      ? target.pendingMigrations(
          project,
          [...manifest.entries.values()].map((entry) => entry.table),
          unmigratedTables(manifest),
        )
      : undefined;
  // Awaited after the replays; a replay that fails first is the error to report.
  pendingCheck?.catch(() => undefined);
  for (const [key, entry] of [...manifest.entries].sort(([a], [b]) => a.localeCompare(b))) {
    output.progress(`Checking ${key} ...`);
    const planned = await planResource(project, target, {
      spec: specFromEntry(entry),
      migration: !entry.skipMigration,
      migrationName: undefined,
      restoreMigrations: missingMigrationFiles(root, entry),
    });
    const changes = planned.changes.map((change) => ({
      file: planned.changeSet.relative(change.file),
      kind: change.kind,
      diff: renderDiff(change, planned.changeSet.relative(change.file)),
    }));
    const migration = planned.migration?.needed ? planned.migration.description : null;
    // A replay of a recorded entry that plans a new migration restores what the entry's own
    // migrations already created (a NOT NULL, an onDelete put back): the ORM's tool then finds
    // the schema as its last snapshot has it and writes nothing, unless the edit was migrated.
    const restoring =
      migration !== null &&
      target.capabilities.migration === 'tool' &&
      entry.migrations.length > 0 &&
      !entry.migrations.some((recorded) => recorded.name === planned.plan.migrationName);
    const differences = settleMissingMigrations(
      [
        ...planned.changes.flatMap((change) =>
          changeDifferences(change, planned.changeSet.relative(change.file)),
        ),
        ...(planned.plan.conflicts ?? []).map((conflict) => ({
          ...conflict,
          repair: 'manual' as const,
        })),
        ...verifyMigrations(root, entry),
      ],
      entry,
      plannedFiles(planned),
    );
    const refused = differences.filter((difference) => difference.repair === 'manual');
    if (restoring) restoringKeys.add(key);
    entries.push({
      key,
      current: differences.length === 0 && migration === null,
      differences,
      changes,
      migration,
      problems: refused.map(differenceLine),
    });
  }

  const problems: string[] = [];
  if (pendingCheck) {
    output.progress('Checking that the migrations match the schema ...');
    try {
      const pending = await pendingCheck;
      if (typeof pending === 'string') problems.push(pending);
      else if (pending) output.warn(pending.note);
    } catch (error) {
      // A schema that no longer loads (a key column removed by hand) is the drift found above,
      // not a broken project: report it with the differences that explain it.
      if (!entries.some((entry) => entry.differences.length > 0) || !(error instanceof Error)) {
        throw error;
      }
      problems.push(
        `${error.message.split('\n')[0]} The differences above explain it; joinery sync repairs them first.`,
      );
    }
  }

  const stale = entries.filter((entry) => !entry.current);
  const total = entries.length;
  const plural = (count: number) => `${count} resource${count === 1 ? '' : 's'}`;
  const current = stale.length === 0 && problems.length === 0;
  const summaryLine = current
    ? `joinery check: ${plural(total)} in ${MANIFEST_FILE} current.`
    : stale.length > 0
      ? `joinery check: ${stale.length} of ${plural(total)} not current (${stale.map((entry) => entry.key).join(', ')}). Run \`joinery sync\` to update.`
      : // Every entry replays clean, so sync has nothing to write and refuses (exit 3).
        `joinery check: the migrations are behind the schema by changes no entry made. Generate that migration with the ORM's tool, or undo the edit; joinery sync will not.`;
  const manual = entries.some((entry) => entry.problems.length > 0);
  const summaryText = manual
    ? summaryLine.replace(
        'Run `joinery sync` to update.',
        'First do what each line that sync will not override says, then run `joinery sync`.',
      )
    : summaryLine;
  const report: CheckReport = { current, summary: summaryText, entries, problems };

  if (options.json) output.info(JSON.stringify(report, null, 2));
  else {
    for (const entry of stale) {
      output.info(`${entry.key} is not current:`);
      for (const difference of entry.differences) output.info(`  ${differenceLine(difference)}`);
      for (const change of entry.changes) output.info(change.diff);
      if (entry.migration) {
        output.info(
          restoringKeys.has(entry.key)
            ? `  would run ${entry.migration}, which writes a migration only if the edit was migrated already (otherwise the repaired schema is what the recorded migrations create)`
            : `  would run ${entry.migration}`,
        );
      }
    }
    for (const problem of problems) output.info(problem);
    output.info(summaryText);
  }
  return { exitCode: current ? ExitCode.success : ExitCode.drift, report };
}
