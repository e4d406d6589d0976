import { describe, expect, it } from 'vitest';
import { inferPrettierOptions } from '../../src/change-set/inferred-style.js';
import { detectImportStyle, moduleSpecifier } from '../../src/project/import-style.js';

describe('inferPrettierOptions', () => {
  it.each([
    [
      "import { a } from 'a';\n\nexport const x = {\n  a: 1,\n};\n",
      { singleQuote: true, semi: true, tabWidth: 2, useTabs: false },
    ],
    [
      'import { a } from "a"\n\nexport const x = {\n    a: 1,\n}\n',
      { singleQuote: false, semi: false, tabWidth: 4, useTabs: false },
    ],
    ["import { a } from 'a';\nexport const x = {\n\ta: 1,\n};\n", { useTabs: true }],
  ])('%j', (text, expected) => {
    expect(inferPrettierOptions([text])).toMatchObject(expected);
  });

  it('has no opinion without neighbours', () => {
    expect(inferPrettierOptions([])).toEqual({});
  });
});

describe('import style', () => {
  const ts = { moduleResolution: 'bundler', baseUrl: '.', paths: { '@/*': ['./src/*'] } };

  it('uses the alias, even within a folder, when the project imports mostly through it', () => {
    const style = detectImportStyle(
      '/p',
      ["import { a } from '@/db/a';", "import { b } from '@/db/b';"],
      ts,
    );
    expect(moduleSpecifier('/p/src/db/x.ts', '/p/src/db/users.ts', style)).toBe('@/db/users');
  });

  it('stays relative when relative imports dominate', () => {
    const style = detectImportStyle(
      '/p',
      ["import { a } from './a';", "import { b } from '../b';", "import { c } from '@/c';"],
      ts,
    );
    expect(moduleSpecifier('/p/src/db/x.ts', '/p/src/users.ts', style)).toBe('../users');
  });

  it('adds .js under NodeNext when the project does', () => {
    const style = detectImportStyle('/p', ["import { a } from './a.js';"], { ...ts, paths: {} });
    expect(moduleSpecifier('/p/src/x.ts', '/p/src/accounts/user.ts', style)).toBe(
      './accounts/user.js',
    );
  });

  it.each([
    [['./a.ts', '../b.ts', 'typeorm'], './accounts/user.ts'],
    [['./a.js', './b.ts', './c.js'], './accounts/user.js'],
    [['./a', '../b'], './accounts/user'],
  ])('writes relative specifiers as the project does: %j', (specifiers, expected) => {
    const texts = specifiers.map((specifier) => `import { x } from '${specifier}';`);
    const style = detectImportStyle('/p', texts, { ...ts, paths: {} });
    expect(moduleSpecifier('/p/src/x.ts', '/p/src/accounts/user.ts', style)).toBe(expected);
  });
});
