import { Project, type SourceFile } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { manipulationSettingsFor } from '../../src/project/parse-source.js';
import { ensureImport } from '../../src/transforms/ensure-import.js';

/** Applies `transform` to `before`; expects `after`, and that a second run changes nothing. */
function doTest(before: string, transform: (file: SourceFile) => unknown, after: string): void {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: manipulationSettingsFor([before]),
  });
  const file = project.createSourceFile('/src/db/user.ts', before);
  transform(file);
  expect(file.getFullText()).toBe(after);
  transform(file);
  expect(file.getFullText()).toBe(after);
}

const body = `\nexport const x = 1\n`;

describe('ensureImport puts a new import into the group of its kind', () => {
  it.each([
    [
      'a relative import joins the relative group, sorted',
      `import { a } from 'a'\nimport { b } from 'b'\n\nimport { t } from './t'\nimport { z } from './z'\n${body}`,
      './user-event',
      `import { a } from 'a'\nimport { b } from 'b'\n\nimport { t } from './t'\nimport { userEvents } from './user-event'\nimport { z } from './z'\n${body}`,
    ],
    [
      'first place of a later group keeps the blank line above the group',
      `import { a } from 'a'\n\nimport { t } from './t'\n${body}`,
      './a-first',
      `import { a } from 'a'\n\nimport { userEvents } from './a-first'\nimport { t } from './t'\n${body}`,
    ],
    [
      'last place of an earlier group keeps the blank line below it',
      `import { a } from 'a'\n\nimport { t } from './t'\n${body}`,
      'zod',
      `import { a } from 'a'\nimport { userEvents } from 'zod'\n\nimport { t } from './t'\n${body}`,
    ],
    [
      'a path alias joins the alias group, not the packages',
      `import { a } from 'drizzle-orm'\n\nimport { db } from '~/server/db'\n\nimport { t } from './t'\n${body}`,
      '~/server/user-event',
      `import { a } from 'drizzle-orm'\n\nimport { db } from '~/server/db'\nimport { userEvents } from '~/server/user-event'\n\nimport { t } from './t'\n${body}`,
    ],
    [
      'a kind with no group gets its own, between its neighbours',
      `import { a } from 'drizzle-orm'\n\nimport { t } from './t'\n${body}`,
      '@/accounts/user-event',
      `import { a } from 'drizzle-orm'\n\nimport { userEvents } from '@/accounts/user-event'\n\nimport { t } from './t'\n${body}`,
    ],
    [
      'a relative import with no group of its kind comes last, in a group of its own',
      `import { a } from 'drizzle-orm'\n\nimport { db } from '~/db'\n${body}`,
      './user-event',
      `import { a } from 'drizzle-orm'\n\nimport { db } from '~/db'\n\nimport { userEvents } from './user-event'\n${body}`,
    ],
    [
      'an unsorted group takes it at its end',
      `import { a } from 'a'\n\nimport { z } from './z'\nimport { b } from './b'\n${body}`,
      './user-event',
      `import { a } from 'a'\n\nimport { z } from './z'\nimport { b } from './b'\nimport { userEvents } from './user-event'\n${body}`,
    ],
    [
      'a type-only group is left to type-only imports',
      `import { a } from 'a'\nimport { t } from './t'\n\nimport type { X } from './x'\n${body}`,
      './user-event',
      `import { a } from 'a'\nimport { t } from './t'\nimport { userEvents } from './user-event'\n\nimport type { X } from './x'\n${body}`,
    ],
    [
      'one group: ordered by kind then name when the list is',
      `import { a } from 'a'\nimport { db } from '~/db'\nimport { t } from './t'\n${body}`,
      '~/user-event',
      `import { a } from 'a'\nimport { db } from '~/db'\nimport { userEvents } from '~/user-event'\nimport { t } from './t'\n${body}`,
    ],
  ])('%s', (_name, before, specifier, after) => {
    doTest(before, (file) => ensureImport(file, specifier, 'userEvents'), after);
  });

  it('a type-only import goes into the type-only group when there is one', () => {
    doTest(
      `import { a } from 'a'\n\nimport type { X } from './x'\n${body}`,
      (file) => ensureImport(file, './relation', 'Relation', { typeOnly: true }),
      `import { a } from 'a'\n\nimport { type Relation } from './relation'\nimport type { X } from './x'\n${body}`,
    );
  });

  it('keeps semicolons when the file has them', () => {
    doTest(
      `import { a } from "a";\n\nimport { t } from "./t";\n${body}`,
      (file) => ensureImport(file, './user-event', 'userEvents'),
      `import { a } from "a";\n\nimport { t } from "./t";\nimport { userEvents } from "./user-event";\n${body}`,
    );
  });
});
