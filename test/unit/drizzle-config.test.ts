import { describe, expect, it } from 'vitest';
import { readObjectLiterals, tokenize } from '../../src/project/object-literal.js';
import { readConfigObjectLiteral } from '../../src/targets/drizzle/drizzle-config.js';

describe('readConfigObjectLiteral (drizzle.config without running it)', () => {
  it.each([
    [
      'defineConfig with a schema path',
      `import { defineConfig } from 'drizzle-kit'\n\nexport default defineConfig({\n  dialect: 'postgresql',\n  schema: './src/db/schema.ts',\n  out: './drizzle',\n  dbCredentials: { url: process.env.DATABASE_URL! },\n})\n`,
      { dialect: 'postgresql', schema: './src/db/schema.ts', out: './drizzle' },
    ],
    [
      'a schema list, comments, double quotes and casing',
      `// config\nexport default defineConfig({\n  /* dialect */ dialect: "sqlite", // inline\n  schema: ["./src/a.ts", './src/b/*.ts'],\n  casing: 'snake_case',\n});`,
      { dialect: 'sqlite', schema: ['./src/a.ts', './src/b/*.ts'], casing: 'snake_case' },
    ],
    [
      'a plain exported object with satisfies and as const',
      `import type { Config } from 'drizzle-kit';\nexport default {\n  schema: './src/schema',\n  dialect: 'postgresql' as const,\n} satisfies Config;`,
      { schema: './src/schema', dialect: 'postgresql' },
    ],
    [
      'computed values read as undefined',
      "const dir = 'src';\nexport default defineConfig({ dialect: process.env.DIALECT as 'postgresql', schema: `${dir}/schema.ts`, out: 'a' + 'b', tablesFilter: ['x', y] })",
      {},
    ],
    [
      'quoted keys, escapes, no-substitution templates and methods',
      "module.exports = { 'dialect': `postgresql`, \"schema\": 'src/it\\'s.ts', verbose() { return { schema: 'no' } }, strict: true }",
      { dialect: 'postgresql', schema: "src/it's.ts" },
    ],
    [
      'import lists and destructuring are not the config',
      `import { schema } from './x';\nconst { dialect } = env;\nexport default defineConfig({ schema: './src/s.ts', dialect: 'sqlite' });`,
      { schema: './src/s.ts', dialect: 'sqlite' },
    ],
    [
      'an arrow function returning the config',
      `export default defineConfig(() => {\n  if (process.env.CI) { console.log('ci') }\n  return { dialect: 'postgresql', schema: './db/*.ts', dbCredentials: { url: 'x' } };\n});`,
      { dialect: 'postgresql', schema: './db/*.ts' },
    ],
  ])('%s', (_name, text, expected) => {
    expect(readConfigObjectLiteral(text)).toEqual(expected);
  });

  it('returns nothing when no object sets dialect or schema', () => {
    expect(readConfigObjectLiteral(`export default { out: 'drizzle' }`)).toEqual({});
    expect(readConfigObjectLiteral('')).toEqual({});
  });
});

describe('readObjectLiterals', () => {
  it('lists objects outermost first, with shorthand keys known but not valued', () => {
    const [outer, inner] = readObjectLiterals(`f({ a: 'x', b, c: { d: 'y' }, ...rest })`);
    expect(outer!.values).toEqual({ a: 'x' });
    expect([...outer!.keys]).toEqual(['a', 'b', 'c']);
    expect(inner!.values).toEqual({ d: 'y' });
  });

  it('skips template substitutions with nested braces and strings', () => {
    expect(tokenize("`a${ {b: '}'}.b }c` 'd'")).toEqual([
      { kind: 'template' },
      { kind: 'string', value: 'd' },
    ]);
  });
});
