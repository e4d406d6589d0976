/**
 * --conflicts replace: a table's declaration (and its relations, when in the same file) is
 * replaced in place by the rendered module's; a file that held nothing else is rewritten whole,
 * and the user's other code in a shared file stays where it was. Adds the table it replaced.
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { added, type TransformResult } from '../../../transforms/transform-result.js';
import { mergeModule } from './merge-module.js';

export interface ReplacedTable {
  /** The table variable, the same in the file and in the rendered module. */
  table: string;
  /**
   * The relations the rendered module declares (`userEventsRelations`) and the file's own
   * variable for them, replaced too; absent when the file's relations are kept (and patched).
   */
  relations?: { rendered: string; existing: string | undefined };
}

export function replaceTable(
  sourceFile: SourceFile,
  names: ReplacedTable,
  text: string,
): TransformResult {
  const { Node } = loadTsMorph();
  const file = sourceFile.getFilePath();
  const replaced = new Map([[names.table, names.table]]);
  if (names.relations) {
    replaced.set(names.relations.rendered, names.relations.existing ?? names.relations.rendered);
  }
  const own = new Set(replaced.values());
  const others = sourceFile
    .getStatements()
    .filter(
      (statement) =>
        !Node.isImportDeclaration(statement) &&
        !(
          Node.isVariableStatement(statement) &&
          statement.getDeclarations().every((declaration) => own.has(declaration.getName()))
        ),
    );
  if (others.length === 0) {
    sourceFile.replaceWithText(text);
    return added(names.table);
  }
  const rendered = sourceFile
    .getProject()
    .createSourceFile(`${file}.joinery-replace.ts`, text, { overwrite: true });
  try {
    for (const statement of rendered.getVariableStatements()) {
      const name = replaced.get(statement.getDeclarations()[0]!.getName());
      const existing = name
        ? sourceFile.getVariableDeclaration(name)?.getVariableStatement()
        : undefined;
      existing?.replaceWithText(statement.getText(true));
    }
  } finally {
    rendered.delete();
  }
  // Imports, and whatever the template declares that the file did not have.
  mergeModule(sourceFile, text);
  return added(names.table);
}
