/**
 * A path derived from names (domain folders, resource files) must stay inside the project, also
 * through symlinks: the nearest existing folder is resolved with realpath and compared with the
 * realpath of the root.
 *
 * `check` and `sync` plan every entry of joinery.json, each into its own ChangeSet that writes
 * the same files again (every parsed schema file, most of them unchanged): a file found inside is
 * not looked at again in the run, and a folder's realpath (Node's walk lstat()s every segment) is
 * resolved once. joinery itself creates only plain files and folders, so an answer stays true for
 * the run; the guard is against links the project already has.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { projectProblem } from '../errors.js';

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `file` with every symlink in its existing part resolved (the rest may not exist yet). */
export function realLocation(file: string): string {
  // Only a link is resolved itself (a dangling one counts as missing, as for existsSync); any
  // other file is where its folder really is.
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() && existsSync(file)) {
    return realpathSync(file);
  }
  let existing = path.dirname(file);
  if (existing === file) return file;
  const rest = [path.basename(file)];
  for (;;) {
    const real = realFolder(existing);
    if (real !== undefined) return path.join(real, ...rest);
    const parent = path.dirname(existing);
    if (parent === existing) return file;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
}

/**
 * Realpaths of existing folders, for the run. A missing folder is asked again next time (a
 * `sync` entry may create it); an existing one is not swapped for a symlink while joinery runs.
 */
const realFolders = new Map<string, string>();

function realFolder(dir: string): string | undefined {
  let real = realFolders.get(dir);
  if (real === undefined && existsSync(dir)) {
    real = realpathSync(dir);
    realFolders.set(dir, real);
  }
  return real;
}

/** The files found inside, by root and its realpath, for the run. */
const insideRoot = new Map<string, Map<string, Set<string>>>();

export function assertInsideRoot(root: string, file: string, realRoot = realpathSync(root)): void {
  if (insideRoot.get(root)?.get(realRoot)?.has(file)) return;
  if (!isInside(root, file)) {
    throw projectProblem(
      `Refusing to write ${file}: it is outside the project ${root}.`,
      'Names must not lead out of the project; check the domain, resource and table names.',
    );
  }
  const real = realLocation(file);
  if (!isInside(realRoot, real)) {
    const shown = path.relative(root, file).split(path.sep).join('/');
    throw projectProblem(
      `Refusing to write ${shown}: it resolves to ${real}, outside the project (a symlink?).`,
      'joinery writes only inside the project folder; move the files into the project or remove the symlink.',
    );
  }
  let byRealRoot = insideRoot.get(root);
  if (!byRealRoot) insideRoot.set(root, (byRealRoot = new Map()));
  let inside = byRealRoot.get(realRoot);
  if (!inside) byRealRoot.set(realRoot, (inside = new Set()));
  inside.add(file);
}

/**
 * A folder a tool writes into (Drizzle's `out`), checked before anything runs: the same rule as
 * `assertInsideRoot`, worded for the setting that names it (`source`, e.g. `out` in
 * drizzle.config.ts).
 */
export function assertFolderInsideRoot(root: string, folder: string, source: string): void {
  const absolute = path.resolve(root, folder);
  const real = realLocation(absolute);
  if (isInside(root, absolute) && isInside(realpathSync(root), real)) return;
  const through = real === absolute ? '' : ` (it resolves to ${real}: a symlink?)`;
  throw projectProblem(
    `Refusing to write ${folder} (${source}): it is outside the project ${root}${through}.`,
    'joinery writes only inside the project folder; point it to a folder inside the project. Nothing was written.',
  );
}
