/**
 * The `[Y/n]` question before writing, asked only when stdin is a terminal and --yes was not
 * given (cli.ts decides). Enter means yes; anything starting with "n" means no.
 */
import { createInterface } from 'node:readline/promises';

export function isYes(answer: string): boolean {
  return !/^\s*n/i.test(answer);
}

export async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return isYes(await terminal.question(question));
  } finally {
    terminal.close();
  }
}
