/**
 * Where a generated `uuidv7()` comes from, for both targets (PostgreSQL before 18, SQLite and
 * MariaDB make no uuid v7): the project's `uuid` (v10 or later) or `uuidv7` package when it has
 * one, else `uuidv7.ts` in `folder`, which joinery writes once and then only reads.
 */
import path from 'node:path';
import type { ChangeSet } from '../change-set/change-set.js';
import { projectProblem } from '../errors.js';
import type { Project } from '../project/project.js';
import { renderTemplate } from '../render/render-template.js';

export interface UuidV7Source {
  /** The package, or the module file's absolute path. */
  module: string;
  /** What to import from it: `uuidv7` or `v7 as uuidv7`. */
  name: string;
  /** For the usage text: `the uuid package's v7()`, `src/db/uuidv7.ts`. */
  shown: string;
}

export function uuidV7Source(project: Project, changes: ChangeSet, folder: string): UuidV7Source {
  const uuidMajor = Number(/^\D*(\d+)/.exec(project.dependency('uuid') ?? '')?.[1] ?? 0);
  if (uuidMajor >= 10)
    return { module: 'uuid', name: 'v7 as uuidv7', shown: "the uuid package's v7()" };
  if (project.dependency('uuidv7'))
    return { module: 'uuidv7', name: 'uuidv7', shown: 'the uuidv7 package' };
  const file = path.join(folder, 'uuidv7.ts');
  const shown = changes.relative(file);
  if (!changes.exists(file)) changes.write(file, renderTemplate('uuidv7.ts.ejs', {}));
  else if (!/export\s+(?:function|const)\s+uuidv7\b/.test(changes.read(file) ?? '')) {
    throw projectProblem(
      `${shown} exists but exports no uuidv7(); joinery keeps its uuid v7 generator there.`,
      `Export a function uuidv7(): string from ${shown}, or move that file away, then run joinery again.`,
    );
  }
  return { module: file, name: 'uuidv7', shown };
}
