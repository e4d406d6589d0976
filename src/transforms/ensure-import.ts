import type { SourceFile } from 'ts-morph';

/**
 * Makes `name` importable in `sourceFile` from `specifier` (as a type-only specifier with
 * `typeOnly`). Changes nothing when the file declares `name` itself or already imports it.
 */
export function ensureImport(
  sourceFile: SourceFile,
  specifier: string,
  name: string,
  options: { typeOnly?: boolean } = {},
): boolean {
  if (declaresLocally(sourceFile, name)) return false;
  const imports = sourceFile.getImportDeclarations();
  const alreadyImported = imports.some(
    (declaration) =>
      declaration
        .getNamedImports()
        .some((named) => (named.getAliasNode() ?? named.getNameNode()).getText() === name) ||
      declaration.getDefaultImport()?.getText() === name,
  );
  if (alreadyImported) return false;
  const existing = imports.find(
    (declaration) =>
      declaration.getModuleSpecifierValue() === specifier &&
      !declaration.getNamespaceImport() &&
      (!declaration.isTypeOnly() || options.typeOnly),
  );
  if (existing) {
    const names = existing.getNamedImports().map((named) => named.getName());
    existing.insertNamedImport(
      sortedIndex(names, name, (a, b) => compareText(a, b)),
      {
        name,
        isTypeOnly: options.typeOnly === true && !existing.isTypeOnly(),
      },
    );
  } else {
    const specifiers = imports.map((declaration) => declaration.getModuleSpecifierValue());
    const index = sortedIndex(specifiers, specifier, compareSpecifiers);
    const at =
      index < imports.length
        ? imports[index]!.getChildIndex()
        : (imports.at(-1)?.getChildIndex() ?? -1) + 1;
    // A blank line separating import groups (packages, then relative paths) is kept where it was.
    const next = imports[index];
    const blankBefore = next !== undefined && /\n[^\S\n]*\n/.test(leadingTrivia(next));
    const added = sourceFile.insertImportDeclaration(at, {
      moduleSpecifier: specifier,
      namedImports: [{ name, isTypeOnly: options.typeOnly === true }],
    });
    // ts-morph ends statements with `;`; a file written without them keeps its style.
    if (
      imports.length > 0 &&
      imports.every((declaration) => !declaration.getText().endsWith(';'))
    ) {
      added.replaceWithText(added.getText().replace(/;$/, ''));
    }
    if (blankBefore && !/\n[^\S\n]*\n/.test(leadingTrivia(added))) {
      const sameGroup =
        specifier.startsWith('.') === next.getModuleSpecifierValue().startsWith('.');
      const line = sameGroup ? added : next;
      sourceFile.insertText(line.getStart(), '\n');
    }
  }
  return true;
}

function leadingTrivia(node: { getFullText(): string; getLeadingTriviaWidth(): number }): string {
  return node.getFullText().slice(0, node.getLeadingTriviaWidth());
}

/** Packages before relative paths, each alphabetical (the usual import/order setting). */
function compareSpecifiers(a: string, b: string): number {
  return Number(a.startsWith('.')) - Number(b.startsWith('.')) || compareText(a, b);
}

const compareText = (a: string, b: string) => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Where `item` goes in `items`: its sorted place when the list is already sorted, else the end,
 * so a file that orders its imports keeps them ordered and any other order is left alone.
 */
function sortedIndex(
  items: string[],
  item: string,
  compare: (a: string, b: string) => number,
): number {
  const sorted = items.every((current, i) => i === 0 || compare(items[i - 1]!, current) <= 0);
  if (!sorted) return items.length;
  const index = items.findIndex((current) => compare(item, current) < 0);
  return index === -1 ? items.length : index;
}

export function declaresLocally(sourceFile: SourceFile, name: string): boolean {
  return (
    sourceFile.getVariableDeclaration(name) !== undefined ||
    sourceFile.getFunction(name) !== undefined ||
    sourceFile.getClass(name) !== undefined
  );
}
