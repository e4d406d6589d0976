/**
 * Just enough glob matching for the scan to list the files a config's globs cover, and to tell
 * whether a DataSource's `entities: ['src/**\/*.entity.ts']` already covers a file joinery is
 * about to create (which does not exist yet, so it cannot be globbed): `**`, `*`, `?`, `{a,b}`
 * and `[...]`.
 */
import path from 'node:path';

export function globToRegExp(glob: string): RegExp {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything.
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '{') {
      braces++;
      out += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (char === ',' && braces > 0) out += '|';
    else if (char === '[') {
      const end = glob.indexOf(']', i);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else out += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The folder a glob starts from: `src/migrations/*.ts` → `src/migrations`. */
export function globBase(glob: string): string {
  const parts = glob.split('/');
  const index = parts.findIndex((part) => /[*?{}[\]]/.test(part));
  if (index === -1) return path.posix.dirname(glob);
  return parts.slice(0, index).join('/') || '.';
}

/**
 * Does any of the absolute globs cover `file`? A `.js` glob covers the `.ts` source too, since
 * projects often point TypeORM at compiled output.
 */
export function globsCover(globs: string[], file: string): boolean {
  const posix = file.split(path.sep).join('/');
  const variants = [posix, posix.replace(/\.ts$/, '.js')];
  return globs.some((glob) => {
    const pattern = globToRegExp(glob.split(path.sep).join('/'));
    return variants.some((variant) => pattern.test(variant));
  });
}
