/**
 * Where a command's messages go: the CLI passes the terminal, tests can pass a buffer. Also the
 * small terminal helpers every message shares: colors (only on a TTY, never with NO_COLOR) and
 * the per-stage timings `--verbose` prints.
 */
export interface Output {
  info(text: string): void;
  /** Progress for slow steps; hidden by --quiet. */
  progress(text: string): void;
  warn(text: string): void;
}

export interface ConsoleOutputOptions {
  quiet: boolean;
}

export function consoleOutput(options: ConsoleOutputOptions): Output {
  const err = colors(process.stderr);
  const out = colors(process.stdout);
  const output: Output = {
    info: (text) => process.stdout.write(`${colorDiff(text, out)}\n`),
    progress: (text) => {
      if (!options.quiet) process.stderr.write(`${err.dim(text)}\n`);
    },
    warn: (text) => process.stderr.write(`${err.yellow('warning:')} ${text}\n`),
  };
  activeProgress = output.progress;
  return output;
}

let activeProgress: ((text: string) => void) | undefined;

/**
 * A progress line from a step that is handed no Output (formatting many files): it goes to the
 * terminal output the CLI created, hidden by --quiet; nowhere in tests and library use.
 */
export function progress(text: string): void {
  activeProgress?.(text);
}

/** Writes nothing: for library callers and tests that only want the result. */
export const silentOutput: Output = { info() {}, progress() {}, warn() {} };

// ---------------------------------------------------------------------------------------------
// Colors

export interface Colors {
  enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

/**
 * Colors for one stream: on only when it is a terminal, `NO_COLOR` is unset or empty
 * (https://no-color.org), `FORCE_COLOR` is not `0` and `TERM` is not `dumb`.
 */
export function colors(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): Colors {
  const enabled =
    stream.isTTY === true &&
    !env.NO_COLOR &&
    env.FORCE_COLOR !== '0' &&
    env.FORCE_COLOR !== 'false' &&
    env.TERM !== 'dumb';
  const style =
    (open: number, close: number) =>
    (text: string): string =>
      enabled && text ? `\u001B[${open}m${text}\u001B[${close}m` : text;
  return {
    enabled,
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
    bold: style(1, 22),
    dim: style(2, 22),
  };
}

/** Colors the lines of a unified diff (other text passes through unchanged). */
export function colorDiff(text: string, c: Colors): string {
  if (!c.enabled || !/^(?:Index: |={5,}$)/m.test(text)) return text;
  let header = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^(?:Index: |={5,}$)/.test(line)) header = true;
      else if (line.startsWith('@@')) header = false;
      if (header) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Timings (--verbose)

/** `1 file`, `2 files`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export interface StageTiming {
  stage: string;
  /** Milliseconds since the process started, when the stage began. */
  start: number;
  ms: number;
  /** Resident memory when the stage ended, in bytes. */
  rss: number;
}

const timings: StageTiming[] = [];
const MiB = 1024 * 1024;

/**
 * Runs `run` as a named stage and records its wall time (awaiting it when it returns a
 * promise). Recording is cheap, so stages are always timed; `--verbose` decides what is shown.
 * A stage name given as a function is asked for when the stage ends (to say how it went).
 */
export function timed<T>(stage: string | (() => string), run: () => T): T {
  const start = performance.now();
  const record = () => {
    const ms = performance.now() - start;
    const name = typeof stage === 'string' ? stage : stage();
    timings.push({ stage: name, start, ms, rss: residentMemory(ms) });
  };
  const result = run();
  if (result instanceof Promise) {
    return result.finally(record) as T;
  }
  record();
  return result;
}

/**
 * Resident memory after a stage. Reading it is a system call (~50 µs, more on a busy machine):
 * `check` runs five short stages per entry, a thousand for 200 entries, so a stage shorter than
 * a millisecond reports the last reading instead (it cannot have grown by much).
 */
let lastRss: number | undefined;
function residentMemory(stageMs: number): number {
  if (lastRss === undefined || stageMs >= 1) lastRss = process.memoryUsage.rss();
  return lastRss;
}

export function stageTimings(): readonly StageTiming[] {
  return timings;
}

/** The `--verbose` report: one line per stage, in start order, then the total and peak memory. */
export function formatTimings(
  list: readonly StageTiming[],
  total: number,
  peakMemoryKiB = process.resourceUsage().maxRSS,
): string {
  const rows = [...list]
    .sort((a, b) => a.start - b.start)
    .map(
      ({ stage, start, ms, rss }) =>
        `  ${ms.toFixed(1).padStart(7)} ms  ${stage} (at ${start.toFixed(0)} ms, ${(rss / MiB).toFixed(0)} MiB)`,
    );
  return [
    'timings:',
    ...rows,
    `  ${total.toFixed(1).padStart(7)} ms  total, peak memory ${(peakMemoryKiB / 1024).toFixed(0)} MiB`,
  ].join('\n');
}
