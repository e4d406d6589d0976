/**
 * Every failure joinery reports on purpose is a JoineryError: it carries the exit code and a hint
 * saying what to do next. Only `cli.ts` turns it into output and an exit status.
 */
export const ExitCode = {
  success: 0,
  drift: 1,
  invalidInput: 2,
  projectProblem: 3,
  internal: 4,
  /** SIGINT (Ctrl-C) before anything was written: 128 + 2, as shells report it. */
  interrupted: 130,
  /** SIGTERM before anything was written: 128 + 15. */
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class JoineryError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
    /** Shown under --verbose only: a tool's full output, stack traces included. */
    readonly details?: string,
  ) {
    super(message);
    this.name = 'JoineryError';
  }
}

/** Bad flags, names or types: the user can fix the command line. Exit 2. */
export function invalidInput(message: string, hint?: string): JoineryError {
  return new JoineryError(message, ExitCode.invalidInput, hint);
}

/** The project is not as expected (resource missing, parse error, tool missing). Exit 3. */
export function projectProblem(message: string, hint?: string): JoineryError {
  return new JoineryError(message, ExitCode.projectProblem, hint);
}
