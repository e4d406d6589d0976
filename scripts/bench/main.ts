/**
 * Benchmark: medians of whole-process runs, as ratios to `node -e 0` measured in the same run
 * (machines differ; ratios travel), checked against the targets in thresholds.ts (issue 5).
 * Exits 1 when a target fails.
 *
 * Usage: npm run bench [-- --runs 15] [-- --sizes 100,1000,10000] [-- --only startup|scale|check]
 *        [-- --keep] (leave the generated projects in the temp folder, for profiling)
 */
import { parseArgs } from 'node:util';
import { checkSection, scaleSection, startupSection, type BenchContext } from './cases.js';
import { Meter } from './measure.js';
import { Workspace } from './projects.js';
import { formatReport, type Row } from './report.js';

const SECTIONS = { startup: startupSection, scale: scaleSection, check: checkSection };
type Section = keyof typeof SECTIONS;

interface BenchOptions {
  runs: number;
  sizes: number[];
  sections: Section[];
  keep: boolean;
}

/** Parses and validates the flags; throws a message naming the flag. */
function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '15' },
      sizes: { type: 'string', default: '100,1000,10000' },
      only: { type: 'string', default: 'all' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs ${values.runs}: expected a whole number of at least 1`);
  }
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 10)) {
    throw new Error(`--sizes ${values.sizes}: expected file counts of at least 10, e.g. 100,1000`);
  }
  const only = values.only;
  if (only !== 'all' && !(only in SECTIONS)) {
    throw new Error(`--only ${only}: expected one of ${Object.keys(SECTIONS).join(', ')}`);
  }
  const sections = only === 'all' ? (Object.keys(SECTIONS) as Section[]) : [only as Section];
  return { runs, sizes, sections, keep: values.keep };
}

function main(): void {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const workspace = new Workspace();
  const context: BenchContext = { ...options, workspace, meter: new Meter(workspace.temp) };
  const rows: Row[] = [];
  try {
    for (const section of options.sections) rows.push(...SECTIONS[section](context));
  } finally {
    if (options.keep) process.stderr.write(`kept the generated projects in ${workspace.temp}\n`);
    else workspace.dispose();
  }
  const report = formatReport(rows, {
    runs: options.runs,
    smallestSize: Math.min(...options.sizes),
  });
  console.log(report.text);
  if (report.failed) process.exitCode = 1;
}

main();
