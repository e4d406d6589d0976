/**
 * Import cycles among schema modules, and whether they can hurt. Drizzle's own declarations read
 * other tables lazily (`references(() => users.id)`, the `relations()` callback), so a cycle
 * between two table files is harmless until some module reads an imported binding while it
 * loads (drizzle-zod's `createInsertSchema(users)`, `getTableColumns(users)`, a separate
 * `relations(users, …)`): a new cycle changes the order modules evaluate in, and that read then
 * meets an uninitialized binding (`ReferenceError: Cannot access 'users' before initialization`),
 * which `tsc` does not see. Read with the compiler's parser only, file by file.
 */
import type { ts as Ts } from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import { resolveRelativeModule } from '../../project/source-files.js';

/** Reads a module's current text: the change set's, else the project's. */
export type ModuleReader = (file: string) => string | undefined;

const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function relativeImports(file: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)].flatMap((match) => {
    const target = resolveRelativeModule(file, match[1]!);
    return target ? [target] : [];
  });
}

/** Does `from` import `to`, directly or through other relative modules? */
export function importsReach(from: string, to: string, read: ModuleReader): boolean {
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const text = read(file);
    if (text === undefined) continue;
    for (const target of relativeImports(file, text)) {
      if (target === to) return true;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return false;
}

/**
 * The first module reachable from `entries` (relative imports followed) that reads a binding
 * imported from another module while it loads, with the line; undefined when none does.
 */
export function firstLoadTimeRead(
  entries: readonly string[],
  read: ModuleReader,
): { file: string; line: number; name: string } | undefined {
  const seen = new Set(entries);
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = read(file);
    if (text === undefined) continue;
    const found = loadTimeRead(file, text);
    if (found) return { file, ...found };
    for (const target of relativeImports(file, text)) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return undefined;
}

/** An imported binding read outside any function, in module order: the first, with its line. */
export function loadTimeRead(
  file: string,
  text: string,
): { line: number; name: string } | undefined {
  // Only a module that imports a relative binding can read one; most schema files skip parsing.
  if (!/\bimport\s+[\w{*]/.test(text)) return undefined;
  const { ts } = loadTsMorph();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imported = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const clause = statement.importClause;
    if (!statement.moduleSpecifier.text.startsWith('.') || !clause || clause.isTypeOnly) continue;
    if (clause.name) imported.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) imported.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (!element.isTypeOnly) imported.add(element.name.text);
      }
    }
  }
  if (imported.size === 0) return undefined;
  let found: { line: number; name: string } | undefined;
  const visit = (node: Ts.Node): void => {
    if (found || isDeferred(ts, node)) return;
    if (ts.isIdentifier(node) && imported.has(node.text) && isRead(ts, node)) {
      found = {
        line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
        name: node.text,
      };
      return;
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) continue;
    visit(statement);
    if (found) return found;
  }
  return undefined;
}

/** Code that runs later than the module body, or never: functions, types, class members. */
function isDeferred(ts: typeof Ts, node: Ts.Node): boolean {
  return (
    ts.isFunctionLike(node) ||
    ts.isTypeNode(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    (ts.isPropertyDeclaration(node) &&
      !node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword))
  );
}

/** An identifier that reads the binding, not a property name or a declaration's own name. */
function isRead(ts: typeof Ts, node: Ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isVariableDeclaration(parent) && parent.name === node) return false;
  if (ts.isExportSpecifier(parent)) return false;
  return true;
}

/**
 * `(host, importer) => reason | undefined`: why `host` must not import `importer` (a new cycle,
 * and a module that would then load inside it reads an import at load time), or undefined when
 * it may; an import `host` already has is always allowed. Only the importer's own imports are read: once `host` imports it, they are what loads
 * while `host` is still loading, so a read anywhere else cannot meet an uninitialized binding.
 * That keeps the cost to a join file's few dependencies, however large the project.
 */
export function loadingGuard(
  read: ModuleReader,
  describe: (file: string) => string,
): (host: string, importer: string) => string | undefined {
  const readers = new Map<string, ReturnType<typeof firstLoadTimeRead>>();
  return (host, importer) => {
    // An import `host` already has makes no new cycle (`products.ts` importing `./tags`).
    if (relativeImports(host, read(host) ?? '').includes(importer)) return undefined;
    if (!importsReach(importer, host, read)) return undefined;
    if (!readers.has(importer)) readers.set(importer, firstLoadTimeRead([importer], read));
    const reader = readers.get(importer);
    if (!reader) return undefined;
    return `${describe(host)} would import ${describe(importer)}, which imports it, and ${describe(reader.file)}:${reader.line} reads ${reader.name} while the schema loads (a new import cycle would run it before ${reader.name} exists)`;
  };
}
