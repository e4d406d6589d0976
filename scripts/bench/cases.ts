/**
 * What is measured, section by section: start-up and one gen on a fixture, the scale projects,
 * and `joinery check` over 200 joins. Each section measures its groups and returns report rows
 * naming the thresholds (thresholds.ts) they answer to.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REFERENCE_ARGS } from '../../test/support/reference-command.js';
import { benchEnv, type BenchCase, type Meter } from './measure.js';
import {
  checkProject,
  cli,
  configure,
  repo,
  SCALE_SEEDS,
  scaleProject,
  type ScaleName,
  type Workspace,
} from './projects.js';
import type { Row } from './report.js';
import type { ThresholdName } from './thresholds.js';

export interface BenchContext {
  meter: Meter;
  workspace: Workspace;
  runs: number;
  sizes: number[];
  /** Leave the generated projects in the temp folder (for profiling). */
  keep: boolean;
}

/** The reference command as a dry run: what every timed gen runs. */
const GEN = [cli, ...REFERENCE_ARGS];
const DRY = [...GEN, '--dry-run', '--no-migration'];
const STARTUP_FIXTURE = 'drizzle-pg-domains';
const CHECK_JOINS = 200;

export function startupSection({ meter, workspace, runs }: BenchContext): Row[] {
  const fixture = workspace.fixtureCopy(STARTUP_FIXTURE);
  const measured = meter.measureGroup(
    'start-up and fixture',
    [
      { name: 'joinery --help', args: [cli, '--help'], cwd: fixture },
      { name: 'joinery --version', args: [cli, '--version'], cwd: fixture },
      {
        name: `gen resource --dry-run --no-migration (fixture ${STARTUP_FIXTURE})`,
        args: DRY,
        cwd: fixture,
        memory: true,
      },
    ],
    runs,
  );
  const thresholds: ThresholdName[][] = [[], ['help'], ['version'], ['genDryRun']];
  const rows: Row[] = measured.map((entry, index) => ({
    measured: entry,
    thresholds: thresholds[index]!,
  }));

  // The first run after an install compiles ts-morph and Prettier and fills the compile cache
  // (node_modules/.cache/joinery); informational, no target.
  const compileCache = path.join(repo, 'node_modules', '.cache', 'joinery');
  const [, cold] = meter.measureGroup(
    'empty compile cache',
    [
      {
        name: 'gen resource --dry-run --no-migration, empty compile cache (first run after an install)',
        args: DRY,
        cwd: fixture,
        setup: () => workspace.remove(compileCache),
      },
    ],
    Math.min(runs, 7),
  );
  rows.push({ measured: cold!, thresholds: [] });
  meter.time(DRY, fixture); // fill the cache again for the cases after this one

  // Writing changes the copy, so each run gets a fresh one; informational, no target.
  let dir: string | undefined;
  const [, written] = meter.measureGroup(
    'write + drizzle-kit',
    [
      {
        name: 'gen resource (write + drizzle-kit generate, fixture)',
        args: GEN,
        cwd: () => dir!,
        setup() {
          if (dir) workspace.remove(dir);
          dir = workspace.fixtureCopy(STARTUP_FIXTURE);
        },
      },
    ],
    Math.min(runs, 5),
  );
  rows.push({ measured: written!, thresholds: [] });
  return rows;
}

export function scaleSection({ meter, workspace, runs, sizes, keep }: BenchContext): Row[] {
  const rows: Row[] = [];
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  for (const name of Object.keys(SCALE_SEEDS) as ScaleName[]) {
    const seed = SCALE_SEEDS[name];
    const args = seed.args ? [cli, ...seed.args, '--dry-run', '--no-migration'] : DRY;
    const roots = new Map(sizes.map((size) => [size, scaleProject(workspace, name, size)]));
    for (const scope of ['scoped', 'worst'] as const) {
      for (const root of roots.values()) configure(name, root, scope);
      const cases: BenchCase[] = sizes.map((size) => ({
        name: `${seed.label} ${scope} (${seed.setting[scope]}), ${size.toLocaleString('en')} files`,
        args,
        cwd: roots.get(size)!,
        memory: size === largest,
      }));
      const [, ...measured] = meter.measureGroup(`${seed.label} ${scope}`, cases, runs);
      const smallestMedian = measured[sizes.indexOf(smallest)]!.median;
      measured.forEach((entry, index) => {
        const size = sizes[index]!;
        const thresholds: ThresholdName[] = [];
        if (size === largest && size !== smallest) {
          thresholds.push(scope === 'scoped' ? 'scopedAtLargest' : 'worstAtLargest');
        }
        if (entry.memory !== undefined) thresholds.push('scaleMemory');
        rows.push({ measured: entry, scale: entry.median / smallestMedian, thresholds });
      });
    }
    if (!keep) for (const root of roots.values()) workspace.remove(root);
  }
  return rows;
}

export function checkSection({ meter, workspace, runs, keep }: BenchContext): Row[] {
  const name = `joinery check, ${CHECK_JOINS} join resources in joinery.json`;
  const thresholds: ThresholdName[] = ['checkVersusGen'];
  const help = spawnSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) {
    process.stderr.write('check: skipped, this build has no `joinery check` command\n');
    return [{ name, skipped: 'this build has no `joinery check` command', thresholds }];
  }
  const root = checkProject(workspace, CHECK_JOINS);
  try {
    const sanity = spawnSync(process.execPath, [cli, 'check'], {
      cwd: root,
      encoding: 'utf8',
      env: benchEnv(),
    });
    if (sanity.status !== 0) {
      const reason = `setup: \`joinery check\` exits ${sanity.status} on the generated project`;
      process.stderr.write(`check: skipped, ${reason}:\n${sanity.stdout}\n${sanity.stderr}\n`);
      return [{ name, skipped: reason, thresholds }];
    }
    // The reference join is the first of the 200.
    const [, gen, check] = meter.measureGroup(
      'check',
      [
        {
          name: `gen resource --dry-run --no-migration, one of the ${CHECK_JOINS} joins`,
          args: DRY,
          cwd: root,
        },
        { name, args: [cli, 'check'], cwd: root, memory: true },
      ],
      Math.min(runs, 3),
    );
    return [
      { measured: gen!, thresholds: [] },
      { measured: check!, versus: check!.median / gen!.median, thresholds },
    ];
  } finally {
    if (!keep) workspace.remove(root);
  }
}
