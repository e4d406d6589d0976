/**
 * Projects without a Prettier config still have a style. New files follow the one their
 * neighbours show (quotes, semicolons, indentation) instead of Prettier's defaults.
 */
import type { Options } from 'prettier';

export function inferPrettierOptions(texts: string[]): Options {
  const all = texts.join('\n');
  if (all.trim() === '') return {};
  const count = (pattern: RegExp) => (all.match(pattern) ?? []).length;
  const statementEnds = all
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(
      (line) =>
        /^\s*(import|export|const|let|return|await)\b/.test(line) || /^\s*[)}\]]+$/.test(line),
    );
  const withSemi = statementEnds.filter((line) => line.endsWith(';')).length;
  const indent = /^( +|\t)\S/m.exec(all)?.[1];
  return {
    singleQuote: count(/from\s+'/g) >= count(/from\s+"/g),
    semi: withSemi * 2 >= statementEnds.length,
    useTabs: indent === '\t',
    tabWidth: indent && indent !== '\t' ? Math.min(indent.length, 8) : 2,
  };
}
