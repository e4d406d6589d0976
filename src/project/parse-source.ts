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
  let single = 0;
  let double = 0;
  let indent: string | undefined;
  for (const text of texts) {
    const style = textStyle(text);
    single += style.single;
    double += style.double;
    indent ??= style.indent;
  }
  const indentationText =
    indent === '\t'
      ? IndentationText.Tab
      : indent?.length === 4
        ? IndentationText.FourSpaces
        : IndentationText.TwoSpaces;
  return { quoteKind: double > single ? QuoteKind.Double : QuoteKind.Single, indentationText };
}

/** Quote counts and first indentation of one text, memoized (`check` asks once per join). */
const styles = new Map<string, { single: number; double: number; indent: string | undefined }>();
function textStyle(text: string) {
  let style = styles.get(text);
  if (!style) {
    style = {
      single: (text.match(/from\s+'/g) ?? []).length,
      double: (text.match(/from\s+"/g) ?? []).length,
      indent: /^( +|\t)\S/m.exec(text)?.[1],
    };
    styles.set(text, style);
  }
  return style;
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

let shared: import('ts-morph').Project | undefined;

/**
 * The run's one ts-morph Project for the user's files. `joinery check` and `sync` plan many joins
 * in one process; through `parseInto`, a file whose text has not changed since it was last parsed
 * is not parsed again.
 */
export function sharedMorphProject(texts: string[]): import('ts-morph').Project {
  const { Project } = loadTsMorph();
  shared ??= new Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, experimentalDecorators: true },
  });
  shared.manipulationSettings.set(manipulationSettingsFor(texts));
  return shared;
}

/**
 * What `parseInto` last returned per file of a Project: asking ts-morph for a file by path
 * normalizes the path first, which costs more than the check itself when `check` asks for 200
 * files once per join. (A file ts-morph replaced since is forgotten or holds another text.)
 */
const parsedFiles = new WeakMap<import('ts-morph').Project, Map<string, SourceFile>>();

/** The parsed `file`: the one already in `morph` when its text is `text`, else parsed anew. */
export function parseInto(
  morph: import('ts-morph').Project,
  file: string,
  text: string,
): SourceFile {
  let parsed = parsedFiles.get(morph);
  if (!parsed) parsedFiles.set(morph, (parsed = new Map()));
  const known = parsed.get(file);
  if (known && !known.wasForgotten() && known.getFullText() === text) return known;
  const existing = morph.getSourceFile(file);
  if (existing && !existing.wasForgotten() && existing.getFullText() === text) {
    parsed.set(file, existing);
    return existing;
  }
  const sourceFile = morph.createSourceFile(file, text, { overwrite: true });
  assertParses(sourceFile);
  parsed.set(file, sourceFile);
  return sourceFile;
}
