/**
 * The `[Y/n]` question before writing, asked only when stdin is a terminal and --yes was not
 * given (cli.ts decides). Enter means yes; anything starting with "n" means no. Ctrl-D (end of
 * input) is no answer, so the safe one: no. Ctrl-C at the question is an interruption like
 * SIGINT anywhere else in the run (exit 130, nothing written).
 */
import { createInterface } from 'node:readline/promises';
import { ExitCode, JoineryError } from '../errors.js';
import { interruptionError, interruptSignal } from '../interruption.js';

export function isYes(answer: string): boolean {
  return !/^\s*n/i.test(answer);
}

export async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    // A SIGINT from outside (kill -INT) ends the question too, instead of waiting for an answer.
    return isYes(await terminal.question(question, { signal: interruptSignal() }));
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'ABORT_ERR') throw error;
    process.stderr.write('\n');
    if (message?.includes('Ctrl+D')) return false;
    throw (
      interruptionError() ??
      new JoineryError(
        'Interrupted (Ctrl-C) at the question; nothing was changed.',
        ExitCode.interrupted,
        'Run the command again to apply it, or pass --yes to skip the question.',
      )
    );
  } finally {
    terminal.close();
  }
}
