/**
 * Moves a table's `relations()` declaration (with its leading comment) from one module to
 * another, importing there what it uses and dropping the imports it alone used where it was.
 * Used when growing it in place would give its module an import cycle (`import-cycles.ts`).
 * `missing` when the declaration is not a lone `const` or uses a local the module does not
 * export; nothing is changed then.
 */
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import { added, missing, type TransformResult } from '../../../transforms/transform-result.js';
import { resolveRelativeModule } from '../../../project/source-files.js';

export function moveRelations(
  from: SourceFile,
  variable: string,
  to: SourceFile,
  /** The specifier `to` uses for an absolute module path. */
  specifierFor: (file: string) => string,
): TransformResult {
  const { Node, SyntaxKind } = loadTsMorph();
  const statement = from.getVariableStatement(variable);
  if (!statement || statement.getDeclarations().length !== 1) {
    return missing(`the declaration of ${variable}`);
  }
  const declaredInside = new Set(
    statement
      .getDescendants()
      .flatMap((node) => {
        if (!Node.isParameterDeclaration(node) && !Node.isBindingElement(node)) return [];
        const name = node.getNameNode();
        return Node.isIdentifier(name) ? [name] : name.getDescendantsOfKind(SyntaxKind.Identifier);
      })
      .map((identifier) => identifier.getText()),
  );
  const used = new Set(
    statement
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((identifier) => {
        const parent = identifier.getParent();
        if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier)
          return false;
        if (Node.isPropertyAssignment(parent) && parent.getNameNode() === identifier) return false;
        if (Node.isVariableDeclaration(parent) && parent.getNameNode() === identifier) return false;
        return !declaredInside.has(identifier.getText());
      })
      .map((identifier) => identifier.getText()),
  );
  const imports: [string, string][] = [];
  for (const name of used) {
    const source = importSourceOf(from, name);
    if (source) {
      imports.push([
        source.startsWith('.')
          ? specifierFor(resolveRelativeModule(from.getFilePath(), source) ?? source)
          : source,
        name,
      ]);
      continue;
    }
    const local = from.getVariableStatement(name) ?? from.getFunction(name) ?? from.getClass(name);
    if (local) {
      if (!local.isExported())
        return missing(`an export of ${name} in ${path.basename(from.getFilePath())}`);
      imports.push([specifierFor(from.getFilePath()), name]);
    }
    // Anything else is a global (`Object`) or the relations callback's own helpers.
  }
  const text = statement
    .getFullText()
    .replace(/^\s*\n/, '')
    .trimEnd();
  // The leading comment goes with it: removing the node alone would leave the comment behind.
  from.replaceText([statement.getFullStart(), statement.getEnd()], '');
  dropUnusedImports(from);
  to.addStatements(`\n${text}`);
  for (const [specifier, name] of imports) ensureImport(to, specifier, name);
  return added(variable);
}

function importSourceOf(sourceFile: SourceFile, name: string): string | undefined {
  for (const declaration of sourceFile.getImportDeclarations()) {
    const binds =
      declaration
        .getNamedImports()
        .some((named) => (named.getAliasNode() ?? named.getNameNode()).getText() === name) ||
      declaration.getDefaultImport()?.getText() === name;
    if (binds) return declaration.getModuleSpecifierValue();
  }
  return undefined;
}

/** Named imports the module no longer mentions, and declarations left empty by that. */
function dropUnusedImports(sourceFile: SourceFile): void {
  const { SyntaxKind } = loadTsMorph();
  const mentioned = new Set(
    sourceFile
      .getStatements()
      .filter((statement) => statement.getKind() !== SyntaxKind.ImportDeclaration)
      .flatMap((statement) => statement.getDescendantsOfKind(SyntaxKind.Identifier))
      .map((identifier) => identifier.getText()),
  );
  for (const declaration of sourceFile.getImportDeclarations()) {
    if (declaration.getNamespaceImport() || declaration.getDefaultImport()) continue;
    const named = declaration.getNamedImports();
    if (named.length === 0) continue;
    const unused = named.filter(
      (specifier) =>
        !mentioned.has((specifier.getAliasNode() ?? specifier.getNameNode()).getText()),
    );
    if (unused.length === named.length) declaration.remove();
    else for (const specifier of unused) specifier.remove();
  }
  // A removed last import may take the blank line before the code with it: put one back.
  const last = sourceFile.getImportDeclarations().at(-1);
  const next = last?.getNextSibling();
  const trivia = next?.getFullText().slice(0, next.getLeadingTriviaWidth()) ?? '';
  if (last && next && !/\n[^\S\n]*\n/.test(trivia)) sourceFile.insertText(last.getEnd(), '\n');
}
