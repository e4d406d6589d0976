/**
 * A path derived from names (domain folders, resource files) must stay inside the project, also
 * through symlinks: the nearest existing folder is resolved with realpath and compared with the
 * realpath of the root.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { projectProblem } from '../errors.js';

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `file` with every symlink in its existing part resolved (the rest may not exist yet). */
export function realLocation(file: string): string {
  let existing = file;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return file;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(realpathSync(existing), ...rest);
}

export function assertInsideRoot(root: string, file: string, realRoot = realpathSync(root)): void {
  const shown = path.relative(root, file).split(path.sep).join('/');
  if (!isInside(root, file)) {
    throw projectProblem(
      `Refusing to write ${file}: it is outside the project ${root}.`,
      'Names must not lead out of the project; check the domain, resource and table names.',
    );
  }
  const real = realLocation(file);
  if (!isInside(realRoot, real)) {
    throw projectProblem(
      `Refusing to write ${shown}: it resolves to ${real}, outside the project (a symlink?).`,
      'joinery writes only inside the project folder; move the files into the project or remove the symlink.',
    );
  }
}
