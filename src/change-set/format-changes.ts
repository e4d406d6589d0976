/**
 * Formats changed files with the project's own Prettier (its installed version when it has one,
 * else ours) and its own config, inside the change set, before anything is shown or written.
 * Files the user owns are only reformatted when the project uses Prettier; otherwise a patch
 * would reformat their whole file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPrettier, type Prettier } from '../lazy.js';
import type { ChangeSet } from './change-set.js';

const FORMATTABLE = /\.(?:[cm]?[jt]sx?|json)$/;

async function projectPrettier(root: string): Promise<Prettier> {
  try {
    const require = createRequire(path.join(root, 'package.json'));
    const loaded = (await import(pathToFileURL(require.resolve('prettier')).href)) as Prettier & {
      default?: Prettier;
    };
    // The CommonJS entry arrives as a default export; the ESM one as named exports.
    return typeof loaded.format === 'function' ? loaded : loaded.default!;
  } catch {
    return loadPrettier();
  }
}

export async function formatChanges(changes: ChangeSet): Promise<void> {
  const pending = changes.listChanges().filter((change) => FORMATTABLE.test(change.file));
  if (pending.length === 0) return;
  const prettier = await projectPrettier(changes.root);
  for (const change of pending) {
    const config = await prettier.resolveConfig(change.file, { editorconfig: true });
    if (change.kind === 'update' && config === null) continue;
    const formatted = await prettier.format(change.after, { ...config, filepath: change.file });
    changes.write(change.file, formatted);
  }
}
