/**
 * The Markdown table the bench prints: one row per case, every threshold of the row checked
 * against the table in thresholds.ts. Pure: rows in, text and a verdict out.
 */
import os from 'node:os';
import type { Measured } from './measure.js';
import { describeThreshold, THRESHOLDS, type Threshold, type ThresholdName } from './thresholds.js';

export interface MeasuredRow {
  measured: Measured;
  /** Median ÷ the median of the group's smallest project (scale cases). */
  scale?: number;
  /** Median ÷ the median of the case it is compared with. */
  versus?: number;
  thresholds: ThresholdName[];
}

export interface SkippedRow {
  name: string;
  skipped: string;
  thresholds: ThresholdName[];
}

export type Row = MeasuredRow | SkippedRow;

export interface ReportOptions {
  /** The runs asked for; a row measured with fewer says so. */
  runs: number;
  /** The smallest project size, what the scale ratios are relative to. */
  smallestSize: number;
}

const MiB = 1024 * 1024;
const fmt = (value: number | undefined, digits = 2) =>
  value === undefined ? '' : value.toFixed(digits);

/** The value a threshold limits, for one row. */
function valueFor(row: MeasuredRow, threshold: Threshold): number | undefined {
  const { median, baseline, memory } = row.measured;
  switch (threshold.kind) {
    case 'baseline':
      return median / baseline;
    case 'scale':
      return row.scale;
    case 'versus':
      return row.versus;
    case 'memory':
      return memory === undefined ? undefined : memory / MiB;
  }
}

export function formatReport(
  rows: Row[],
  options: ReportOptions,
): { text: string; failed: boolean } {
  let failed = false;
  const lines = [
    `node ${process.version}, ${os.cpus().length} cores, ${os.platform()}; medians of ${options.runs} runs, each group measured round-robin with its own \`node -e 0\` baseline`,
    '',
    `| case | median (ms) | × node -e 0 | × ${options.smallestSize.toLocaleString('en')} files | peak memory (MiB) | target | result |`,
    '|---|---:|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const targets = row.thresholds.map((name) =>
      describeThreshold(THRESHOLDS[name], options.smallestSize),
    );
    if ('skipped' in row) {
      lines.push(`| ${row.name} | | | | | ${targets.join(', ')} | skipped: ${row.skipped} |`);
      continue;
    }
    const { name, median, baseline, memory, runs } = row.measured;
    const results = row.thresholds.map((thresholdName, index) => {
      const threshold = THRESHOLDS[thresholdName];
      const value = valueFor(row, threshold);
      if (value === undefined) {
        throw new Error(`${name}: threshold ${thresholdName} has nothing measured to compare`);
      }
      if (threshold.kind === 'versus') targets[index] += ` (here ${fmt(value)}×)`;
      const ok = value <= threshold.max;
      if (!ok) failed = true;
      return ok ? 'pass' : '**fail**';
    });
    const note = runs !== options.runs ? ` (${runs} runs)` : '';
    lines.push(
      `| ${name}${note} | ${fmt(median, 0)} | ${fmt(median / baseline)} | ${fmt(row.scale)} | ${fmt(memory === undefined ? undefined : memory / MiB, 0)} | ${targets.join(', ')} | ${results.join(', ')} |`,
    );
  }
  const baselines = rows.flatMap((row) => ('measured' in row ? [row.measured.baseline] : []));
  if (baselines.length) {
    lines.push(
      '',
      `\`node -e 0\` medians per group: ${[...new Set(baselines.map((b) => b.toFixed(0)))].join(', ')} ms`,
    );
  }
  return { text: lines.join('\n'), failed };
}
