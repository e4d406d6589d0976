/**
 * What every TypeORM 0.3 fixture test proves of a generation: the run succeeds quietly, the
 * project type-checks, a second run and `joinery check` change nothing. And what the usage
 * round trip must report for two left rows and two right rows.
 */
import { expect } from 'vitest';

import { runJoinery, typecheck } from './cli.js';
import { diffTrees, snapshotTree } from './fixture.js';

export const UNCHANGED = { added: [], removed: [], changed: [] };

/**
 * Runs joinery with `args`, then proves the result current (`check: false` leaves out `joinery
 * check`); returns the first run's stdout.
 */
export async function generateCurrent(
  dir: string,
  args: string[],
  { check = true } = {},
): Promise<string> {
  const run = await runJoinery(dir, args);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const compiled = await typecheck(dir);
  expect(compiled.stdout + compiled.stderr).toBe('');
  expect(compiled.exitCode).toBe(0);
  const before = await snapshotTree(dir);
  const again = await runJoinery(dir, args);
  expect(again.stdout).toContain('is current: nothing to change');
  expect(again.exitCode).toBe(0);
  if (check) {
    const checked = await runJoinery(dir, ['check']);
    expect(checked.stdout).toBe('joinery check: 1 resource in joinery.json current.');
    expect(checked.exitCode).toBe(0);
  }
  expect(diffTrees(before, await snapshotTree(dir))).toEqual(UNCHANGED);
  return run.stdout;
}

/**
 * The round trip's expected result (for `toMatchObject`): both loads, the duplicate and foreign
 * key refused, append / remove / cascade counts, the table there after up and gone after down.
 */
export function roundTrip(leftWithRights: string[], rightWithLefts: string[]) {
  return {
    leftWithRights,
    rightWithLefts,
    duplicateRejected: true,
    foreignKeyEnforced: true,
    linksAfterAppend: 2,
    linksAfterRemove: 1,
    linksAfterLeftDelete: 0,
    rowsAfterLeftDelete: 2,
    rowsAfterRightDelete: 1,
    tableAfterUp: true,
    tableAfterDown: false,
  };
}
