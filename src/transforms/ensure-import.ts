import type { ImportDeclaration, Node, SourceFile } from 'ts-morph';

/**
 * Makes `name` importable in `sourceFile` from `specifier` (as a type-only specifier with
 * `typeOnly`). Changes nothing when the file declares `name` itself or already imports it.
 * A new import goes where the file's author would put it (see `placeFor`).
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
    return true;
  }
  const place = placeFor(importGroups(imports), specifier, options.typeOnly === true);
  let added = sourceFile.insertImportDeclaration(place.index, {
    moduleSpecifier: specifier,
    namedImports: [{ name, isTypeOnly: options.typeOnly === true }],
  });
  // ts-morph ends statements with `;`; a file written without them keeps its style.
  if (imports.length > 0 && imports.every((declaration) => !declaration.getText().endsWith(';'))) {
    added = added.replaceWithText(added.getText().replace(/;$/, '')) as ImportDeclaration;
  }
  // ts-morph drops the blank line it inserts next to; put back the ones the groups need.
  const next = added.getNextSibling();
  if (place.blankBelow && next && !blankLineBefore(next)) next.prependWhitespace('\n');
  if (place.blankAbove && !blankLineBefore(added)) added.prependWhitespace('\n');
  return true;
}

/** Packages, then path aliases (`~/`, `@/`, `#`), then relative paths: import/order's groups. */
type ImportKind = 0 | 1 | 2;

function kindOf(specifier: string): ImportKind {
  if (specifier.startsWith('.')) return 2;
  return /^(?:~|@\/|#|\$)/.test(specifier) ? 1 : 0;
}

interface ImportGroup {
  members: ImportDeclaration[];
  /** How many members are of each kind. */
  kinds: [number, number, number];
  /** Every member is `import type …` (a group some files keep apart, last). */
  typeOnly: boolean;
}

/** Runs of imports with no blank line between them. */
function importGroups(imports: ImportDeclaration[]): ImportGroup[] {
  const runs: ImportDeclaration[][] = [];
  for (const declaration of imports) {
    const current = runs.at(-1);
    if (current && !blankLineBefore(declaration)) current.push(declaration);
    else runs.push([declaration]);
  }
  return runs.map((members) => {
    const kinds: ImportGroup['kinds'] = [0, 0, 0];
    for (const member of members) kinds[kindOf(member.getModuleSpecifierValue())]++;
    return { members, kinds, typeOnly: members.every((member) => member.isTypeOnly()) };
  });
}

interface Placement {
  /** Statement index the declaration is inserted at. */
  index: number;
  /** A blank line goes above it (it opens a group after another). */
  blankAbove: boolean;
  /** A blank line goes below it (a group follows). */
  blankBelow: boolean;
}

/**
 * Where a new import of `specifier` goes. One group (no blank lines): the whole list ordered by
 * kind, then name, when it is so ordered, else the end. Several groups: into the group with the
 * most imports of its kind (a type-only group only takes type-only imports, and is used for them
 * when present), at its sorted place or its end; with no group of its kind, a new group after
 * the last group of earlier kinds only, or first.
 */
function placeFor(groups: ImportGroup[], specifier: string, typeOnly: boolean): Placement {
  if (groups.length === 0) return { index: 0, blankAbove: false, blankBelow: false };
  const kind = kindOf(specifier);
  const home =
    groups.length === 1
      ? groups[0]
      : ((typeOnly ? groups.find((group) => group.typeOnly) : undefined) ??
        mostOf(
          groups.filter((group) => !group.typeOnly),
          kind,
        ));
  if (home) {
    const specifiers = home.members.map((member) => member.getModuleSpecifierValue());
    const compare = groups.length === 1 ? compareSpecifiers : compareText;
    const position = sortedIndex(specifiers, specifier, compare);
    const opensGroup = position === 0 && home !== groups[0];
    const closesGroup = position === home.members.length && home !== groups.at(-1);
    const anchor = home.members[Math.min(position, home.members.length - 1)]!;
    return {
      index: anchor.getChildIndex() + (position === home.members.length ? 1 : 0),
      blankAbove: opensGroup,
      blankBelow: closesGroup,
    };
  }
  const earlier = groups
    .filter((group) => !group.typeOnly && group.kinds.every((count, k) => count === 0 || k < kind))
    .at(-1);
  if (!earlier) {
    return { index: groups[0]!.members[0]!.getChildIndex(), blankAbove: false, blankBelow: true };
  }
  return {
    index: earlier.members.at(-1)!.getChildIndex() + 1,
    blankAbove: true,
    blankBelow: earlier !== groups.at(-1),
  };
}

function mostOf(groups: ImportGroup[], kind: ImportKind): ImportGroup | undefined {
  return groups.reduce<ImportGroup | undefined>(
    (found, group) => (group.kinds[kind] > (found?.kinds[kind] ?? 0) ? group : found),
    undefined,
  );
}

function blankLineBefore(node: Node): boolean {
  return /\n[^\S\n]*\n/.test(leadingTrivia(node));
}

function leadingTrivia(node: { getFullText(): string; getLeadingTriviaWidth(): number }): string {
  return node.getFullText().slice(0, node.getLeadingTriviaWidth());
}

/** By kind (packages, aliases, relative), then alphabetical: the usual import/order setting. */
function compareSpecifiers(a: string, b: string): number {
  return kindOf(a) - kindOf(b) || compareText(a, b);
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
