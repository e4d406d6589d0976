/**
 * Appends a rendered module to an existing file (the single-schema-file layout): its imports are
 * merged into the file's own, and only statements declaring names the file lacks are appended.
 * Adds the names it declared (or, for other statements, the statement's first line).
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { declaresLocally, ensureImport } from '../../../transforms/ensure-import.js';
import { added, present, type TransformResult } from '../../../transforms/transform-result.js';

export function mergeModule(sourceFile: SourceFile, moduleText: string): TransformResult {
  const { Node } = loadTsMorph();
  const rendered = sourceFile
    .getProject()
    .createSourceFile(`${sourceFile.getFilePath()}.joinery-merge.ts`, moduleText, {
      overwrite: true,
    });
  try {
    const toAppend: string[] = [];
    const appended: string[] = [];
    for (const statement of rendered.getStatements()) {
      if (Node.isImportDeclaration(statement)) continue;
      if (Node.isVariableStatement(statement)) {
        const names = statement.getDeclarations().map((declaration) => declaration.getName());
        if (names.every((name) => declaresLocally(sourceFile, name))) continue;
        appended.push(...names);
      } else appended.push(statement.getText().split('\n')[0]!);
      toAppend.push(statement.getFullText().replace(/^\s*\n/, ''));
    }
    if (toAppend.length === 0) return present;
    for (const declaration of rendered.getImportDeclarations()) {
      for (const named of declaration.getNamedImports()) {
        ensureImport(sourceFile, declaration.getModuleSpecifierValue(), named.getName());
      }
    }
    sourceFile.addStatements(`\n${toAppend.join('\n\n')}`);
    return added(...appended);
  } finally {
    rendered.delete();
  }
}
