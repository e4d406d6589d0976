import type { SourceFile } from 'ts-morph';
import { added, present, type TransformResult } from '../../../transforms/transform-result.js';

/**
 * Adds `export * from '<specifier>'` to a barrel, right after the re-export of `besideSpecifier`
 * so related modules stay together. Nothing changes when the barrel already re-exports it.
 */
export function addReexport(
  barrel: SourceFile,
  specifier: string,
  besideSpecifier: string,
): TransformResult {
  const exports = barrel.getExportDeclarations();
  if (exports.some((declaration) => declaration.getModuleSpecifierValue() === specifier))
    return present;
  const beside = exports.find(
    (declaration) => declaration.getModuleSpecifierValue() === besideSpecifier,
  );
  const index = beside ? beside.getChildIndex() + 1 : barrel.getStatements().length;
  barrel.insertExportDeclaration(index, { moduleSpecifier: specifier });
  return added(`export * from '${specifier}'`);
}
