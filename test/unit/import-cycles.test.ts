import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadingGuard } from '../../src/targets/drizzle/import-cycles.js';

/**
 * products.ts and tags.ts import each other already, and tags.ts reads `lifecycleDates` from
 * utils.ts while it loads (as a spread of shared columns does); validation.ts reads `users` while
 * it loads (as drizzle-zod's createInsertSchema(users) does), and users.ts does not import it.
 */
const FILES: Record<string, string> = {
  'utils.ts': `export const lifecycleDates = { createdAt: 1 };\n`,
  'products.ts': `import { productTags } from './tags';\nexport const products = { tags: () => productTags };\n`,
  'tags.ts': `import { products } from './products';\nimport { lifecycleDates } from './utils';\nexport const tags = { ...lifecycleDates };\nexport const productTags = { products: () => products };\n`,
  'users.ts': `export const users = { id: 1 };\n`,
  'validation.ts': `import { users } from './users';\nexport const userKeys = Object.keys(users);\n`,
};

describe('loadingGuard', () => {
  let dir: string;
  let guard: (host: string, importer: string) => string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'joinery-cycles-'));
    for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(dir, name), text);
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    guard = loadingGuard(read, (file) => path.basename(file));
  });

  it('allows an import the host already has: no new cycle', () => {
    expect(guard(path.join(dir, 'products.ts'), path.join(dir, 'tags.ts'))).toBeUndefined();
  });

  it('refuses a new import that closes a cycle through a load-time read', () => {
    expect(guard(path.join(dir, 'users.ts'), path.join(dir, 'validation.ts'))).toBe(
      'users.ts would import validation.ts, which imports it, and validation.ts:2 reads users while the schema loads (a new import cycle would run it before users exists)',
    );
  });

  it('allows a new import that closes no cycle', () => {
    expect(guard(path.join(dir, 'users.ts'), path.join(dir, 'tags.ts'))).toBeUndefined();
  });
});
