/**
 * Every target the bench checks, in one table (issue 5). A case names the thresholds it answers
 * to; the report computes each ratio and prints pass or fail. Change a budget here, nowhere else.
 */

/** What a threshold's limit is compared with. */
export type ThresholdKind =
  /** median ÷ the `node -e 0` median of the same group */
  | 'baseline'
  /** median ÷ the median of the smallest project of the same group */
  | 'scale'
  /** median ÷ the median of the case it is compared with (one gen --dry-run) */
  | 'versus'
  /** peak resident memory, in MiB */
  | 'memory';

export interface Threshold {
  kind: ThresholdKind;
  /** The largest value that passes. */
  max: number;
  /** Why the budget is what it is. */
  why: string;
}

export const THRESHOLDS = {
  help: {
    kind: 'baseline',
    max: 1.5,
    why: '`--help` loads commander only',
  },
  version: {
    kind: 'baseline',
    max: 1.5,
    why: '`--version` loads commander only',
  },
  genDryRun: {
    kind: 'baseline',
    max: 7,
    why: 'one gen on the fixture: scan, ts-morph, Prettier, from the compile cache',
  },
  scopedAtLargest: {
    kind: 'scale',
    max: 1.1,
    why: 'a config scoped to the schema lists only the schema: size must not matter',
  },
  worstAtLargest: {
    kind: 'scale',
    max: 1.5,
    why: 'a config globbing the whole tree reads every file but parses only candidates',
  },
  scaleMemory: {
    kind: 'memory',
    max: 160,
    why: 'the largest project: texts are kept only for files a cheap test wants',
  },
  checkVersusGen: {
    kind: 'versus',
    max: 3,
    why: '`check` of 200 joins replays them in one process, not 200 starts',
  },
} as const satisfies Record<string, Threshold>;

export type ThresholdName = keyof typeof THRESHOLDS;

/** The target as the report's "target" column shows it. */
export function describeThreshold(threshold: Threshold, smallestSize: number): string {
  switch (threshold.kind) {
    case 'baseline':
      return `≤ ${threshold.max}× node -e 0`;
    case 'scale':
      return `≤ ${threshold.max}× at ${smallestSize.toLocaleString('en')} files`;
    case 'versus':
      return `≤ ${threshold.max}× gen --dry-run`;
    case 'memory':
      return `≤ ${threshold.max} MiB`;
  }
}
