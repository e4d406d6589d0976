/** Command-line flags for unit tests of the grammar and planners, and the JoineryError a call throws. */
import { JoineryError } from '../../src/errors.js';
import type { GenResourceFlags } from '../../src/flags/parse-flags.js';

/** `gen resource <names>` with no other flag, then `overrides`. */
export function genFlags(
  names: string[],
  overrides: Partial<GenResourceFlags> = {},
): GenResourceFlags {
  return {
    names,
    primaryKey: [],
    attributes: [],
    relationships: [],
    timestamps: false,
    uuidPrimaryKey: undefined,
    integerPrimaryKey: undefined,
    table: undefined,
    conflicts: undefined,
    ignoreIfExists: false,
    ...overrides,
  };
}

/** The JoineryError `run` throws; fails the test when it throws nothing or something else. */
export function errorOf(run: () => unknown): JoineryError {
  try {
    run();
  } catch (error) {
    if (error instanceof JoineryError) return error;
    throw error;
  }
  throw new Error('expected a JoineryError');
}
