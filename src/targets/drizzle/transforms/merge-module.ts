/**
 * Appends a rendered module to an existing file (the single-schema-file layout): its imports are
 * merged into the file's own, and only statements declaring names the file lacks are appended.
 */
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { declaresLocally, ensureImport } from '../../../transforms/ensure-import.js';

export function mergeModule(sourceFile: SourceFile, moduleText: string): boolean {
  const { Node } = loadTsMorph();
  const rendered = sourceFile
    .getProject()
    .createSourceFile(`${sourceFile.getFilePath()}.joinery-merge.ts`, moduleText, {
      overwrite: true,
    });
  try {
    const toAppend: string[] = [];
    for (const statement of rendered.getStatements()) {
      if (Node.isVariableStatement(statement)) {
        const names = statement.getDeclarations().map((declaration) => declaration.getName());
        if (names.every((name) => declaresLocally(sourceFile, name))) continue;
      }
      if (!Node.isImportDeclaration(statement))
        toAppend.push(statement.getFullText().replace(/^\s*\n/, ''));
    }
    if (toAppend.length === 0) return false;
    for (const declaration of rendered.getImportDeclarations()) {
      for (const named of declaration.getNamedImports()) {
        ensureImport(sourceFile, declaration.getModuleSpecifierValue(), named.getName());
      }
    }
    sourceFile.addStatements(`\n${toAppend.join('\n\n')}`);
    return true;
  } finally {
    rendered.delete();
  }
}
