/** Shared by every target's scan: how parsed files are set up and checked before any edit. */
import type { SourceFile } from 'ts-morph';
import { projectProblem } from '../errors.js';
import { loadTsMorph } from '../lazy.js';

/**
 * Inserted code follows the project's quotes and indentation, so files stay consistent even in
 * projects that do not run Prettier.
 */
export function manipulationSettingsFor(texts: string[]): {
  quoteKind: import('ts-morph').QuoteKind;
  indentationText: import('ts-morph').IndentationText;
} {
  const { QuoteKind, IndentationText } = loadTsMorph();
  const all = texts.join('\n');
  const single = (all.match(/from\s+'/g) ?? []).length;
  const double = (all.match(/from\s+"/g) ?? []).length;
  const indent = /^( +|\t)\S/m.exec(all)?.[1];
  const indentationText =
    indent === '\t'
      ? IndentationText.Tab
      : indent?.length === 4
        ? IndentationText.FourSpaces
        : IndentationText.TwoSpaces;
  return { quoteKind: double > single ? QuoteKind.Double : QuoteKind.Single, indentationText };
}

/** A file that does not parse stops the run: guessing around it could corrupt it. */
export function assertParses(sourceFile: SourceFile): void {
  const diagnostics = (
    sourceFile.compilerNode as unknown as {
      parseDiagnostics?: { start?: number; messageText: string | { messageText: string } }[];
    }
  ).parseDiagnostics;
  const first = diagnostics?.[0];
  if (!first) return;
  const { line, column } = sourceFile.getLineAndColumnAtPos(first.start ?? 0);
  const message =
    typeof first.messageText === 'string' ? first.messageText : first.messageText.messageText;
  throw projectProblem(
    `${sourceFile.getFilePath()}:${line}:${column}: does not parse: ${message}`,
    'Fix the syntax error (try `npx tsc --noEmit`), then run joinery again.',
  );
}
