import type { ImportDeclaration, SourceFile } from 'ts-morph';

/**
 * Makes `name` importable in `sourceFile` from `specifier`. Changes nothing when the file
 * declares `name` itself or already imports it (from any module).
 */
export function ensureNamedImport(sourceFile: SourceFile, specifier: string, name: string): boolean {
  if (declaresLocally(sourceFile, name)) return false;
  const imports = sourceFile.getImportDeclarations();
  const alreadyImported = imports.some(
    (declaration) =>
      declaration.getNamedImports().some((named) => (named.getAliasNode() ?? named.getNameNode()).getText() === name) ||
      declaration.getDefaultImport()?.getText() === name,
  );
  if (alreadyImported) return false;
  const existing = imports.find(
    (declaration) =>
      declaration.getModuleSpecifierValue() === specifier &&
      !declaration.isTypeOnly() &&
      !declaration.getNamespaceImport(),
  );
  if (existing) insertNamedImport(existing, name);
  else sourceFile.addImportDeclaration({ moduleSpecifier: specifier, namedImports: [name] });
  return true;
}

export function declaresLocally(sourceFile: SourceFile, name: string): boolean {
  return (
    sourceFile.getVariableDeclaration(name) !== undefined ||
    sourceFile.getFunction(name) !== undefined ||
    sourceFile.getClass(name) !== undefined
  );
}

/** Keeps an alphabetically sorted import list sorted; otherwise appends. */
function insertNamedImport(declaration: ImportDeclaration, name: string): void {
  const names = declaration.getNamedImports().map((named) => named.getName());
  const sorted = names.every((current, i) => i === 0 || names[i - 1]!.localeCompare(current) <= 0);
  const index = sorted ? names.filter((current) => current.localeCompare(name) < 0).length : names.length;
  declaration.insertNamedImport(index, name);
}
