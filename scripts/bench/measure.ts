/**
 * Whole-process timing. Every group is measured round-robin (baseline, case A, case B, baseline,
 * ...) with `node -e 0` first in every round, so load that comes and goes on a shared machine hits
 * every case of a group alike, and each ratio is taken to the baseline of its own group.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BenchCase {
  name: string;
  /** Arguments to `node`, the script first. */
  args: string[];
  /** A function when the folder changes between runs (a fresh copy for every write). */
  cwd: string | (() => string);
  /** Also measure peak resident memory (the largest of three runs). */
  memory?: boolean;
  /** Runs before the warm-up and before every timed run; not timed. */
  setup?: () => void;
}

export interface Measured {
  name: string;
  /** Median wall time, ms. */
  median: number;
  /** Median of `node -e 0` in the same group, ms. */
  baseline: number;
  runs: number;
  /** Peak resident memory, bytes. */
  memory?: number;
}

export const BASELINE_NAME = 'node -e 0';

/** No color and no prompts, as in CI. */
export function benchEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', CI: 'true', ...extra };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const cwdOf = (entry: BenchCase): string =>
  typeof entry.cwd === 'function' ? entry.cwd() : entry.cwd;

export class Meter {
  private readonly rssProbe: string;

  /** `temp`: a scratch folder for the memory probe and the baseline's working directory. */
  constructor(
    private readonly temp: string,
    private readonly progress: (text: string) => void = (text) => process.stderr.write(text),
  ) {
    // Peak memory of a run: the child writes its max RSS at exit (loaded with --require).
    this.rssProbe = path.join(temp, 'max-rss.cjs');
    writeFileSync(
      this.rssProbe,
      `process.on('exit', () => require('fs').writeFileSync(process.env.JOINERY_BENCH_RSS, String(process.resourceUsage().maxRSS * 1024)));\n`,
    );
  }

  /** Wall time of one run in ms; throws (with its output) when the command fails. */
  time(args: string[], cwd: string): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: benchEnv() });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      throw new Error(
        `\`node ${args.join(' ')}\` failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    return ms;
  }

  /** Peak resident memory of one run, in bytes. */
  peakMemory(args: string[], cwd: string): number {
    const file = path.join(this.temp, 'rss.txt');
    execFileSync(process.execPath, ['--require', this.rssProbe, ...args], {
      cwd,
      stdio: 'ignore',
      env: benchEnv({ JOINERY_BENCH_RSS: file }),
    });
    return Number(readFileSync(file, 'utf8'));
  }

  /**
   * Measures `cases` round-robin, `count` rounds, the `node -e 0` baseline first in every round.
   * The result's first entry is the baseline, then the cases in their order.
   */
  measureGroup(title: string, cases: BenchCase[], count: number): Measured[] {
    const baseline: BenchCase = { name: BASELINE_NAME, args: ['-e', '0'], cwd: this.temp };
    const all = [baseline, ...cases];
    this.progress(`${title}: ${all.length} cases × ${count} runs `);
    for (const entry of all) {
      entry.setup?.();
      this.time(entry.args, cwdOf(entry)); // warm the file cache (and the compile cache)
    }
    const samples: number[][] = all.map(() => []);
    for (let round = 0; round < count; round++) {
      all.forEach((entry, index) => {
        entry.setup?.();
        samples[index]!.push(this.time(entry.args, cwdOf(entry)));
      });
      this.progress('.');
    }
    this.progress('\n');
    const baselineMedian = median(samples[0]!);
    return all.map((entry, index) => {
      let memory: number | undefined;
      if (entry.memory) {
        entry.setup?.();
        memory = Math.max(...[0, 1, 2].map(() => this.peakMemory(entry.args, cwdOf(entry))));
      }
      return {
        name: entry.name,
        median: median(samples[index]!),
        baseline: baselineMedian,
        runs: count,
        memory,
      };
    });
  }
}
