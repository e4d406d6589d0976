/** Where a command's messages go; the CLI passes the terminal, tests can pass a buffer. */
export interface Output {
  info(text: string): void;
  /** Progress for slow steps; hidden by --quiet. */
  progress(text: string): void;
  warn(text: string): void;
}

export function consoleOutput(options: { quiet: boolean }): Output {
  return {
    info: (text) => process.stdout.write(`${text}\n`),
    progress: (text) => {
      if (!options.quiet) process.stderr.write(`${text}\n`);
    },
    warn: (text) => process.stderr.write(`warning: ${text}\n`),
  };
}
