/**
 * SIGINT and SIGTERM during a run that holds the lock. The first signal does not end the process
 * at once (that would leave the lock, drizzle-kit's partial output and half the files): it is
 * recorded, drizzle-kit is stopped (its `cancelSignal`), and the run ends at the next point where
 * it would start writing (`throwIfInterrupted`), so nothing is changed; what was written already
 * is restored by the code that wrote it. The command then exits 130 (SIGINT) or 143 (SIGTERM). A
 * second signal ends the process at once (the lock is still released, by its exit hook).
 *
 * Outside a locked run (`check`, `--dry-run`, `--help`) signals keep Node's default: nothing of
 * the project is being written, so ending at once loses nothing.
 */
import { ExitCode, JoineryError } from './errors.js';

const CODES = { SIGINT: ExitCode.interrupted, SIGTERM: ExitCode.terminated } as const;
type Handled = keyof typeof CODES;

let received: Handled | undefined;
let controller = new AbortController();
let watchers = 0;

function onSignal(signal: Handled): void {
  if (received) process.exit(CODES[received]);
  received = signal;
  controller.abort(interruption(signal));
}
const handlers = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
};

/** Starts catching SIGINT/SIGTERM; returns the function that stops (calls nest). */
export function watchSignals(): () => void {
  if (watchers++ === 0) {
    for (const signal of Object.keys(handlers) as Handled[]) process.on(signal, handlers[signal]);
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--watchers === 0) {
      for (const signal of Object.keys(handlers) as Handled[]) {
        process.off(signal, handlers[signal]);
      }
    }
  };
}

function interruption(signal: Handled): JoineryError {
  return new JoineryError(
    `Interrupted (${signal}); nothing was changed.`,
    CODES[signal],
    'Run the command again to apply it.',
  );
}

/** Aborted once a signal came: pass it to child processes so they stop too. */
export function interruptSignal(): AbortSignal {
  return controller.signal;
}

/** The signal received during this run, if any. */
export function receivedSignal(): Handled | undefined {
  return received;
}

/** Called where a run would start writing: ends it there when a signal came. */
export function throwIfInterrupted(): void {
  if (received) throw interruption(received);
}

/** The error a run ends with once it was interrupted, whatever failed on the way out. */
export function interruptionError(): JoineryError | undefined {
  return received ? interruption(received) : undefined;
}

/** For tests calling commands in one process. */
export function resetInterruption(): void {
  received = undefined;
  controller = new AbortController();
}
