/**
 * New files are named like their siblings: `user-event.ts` beside `user.ts`, `UserEvent.ts` beside
 * `User.ts`, `user_event.entity.ts` beside `user_account.entity.ts`. Shared by every planner that
 * places a file.
 */
import { camelCase, kebabCase, pascalCase, snakeCase } from '../rules/naming.js';
import type { FileCase } from './conventions.js';

export interface FileNameParts {
  /** `user` of `user.entity.ts`. */
  stem: string;
  /** `.entity` of `user.entity.ts`; empty when there is none. */
  infix: string;
  /** `.ts`, `.mts`, `.js`, ... */
  extension: string;
}

export function fileNameParts(base: string): FileNameParts | undefined {
  const match = /^([^.]+)((?:\.[a-z]+)*?)(\.[cm]?[jt]sx?)$/.exec(base);
  if (!match) return undefined;
  return { stem: match[1]!, infix: match[2]!, extension: match[3]! };
}

/**
 * `name` in the case the sibling's stem is written in (Pascal, snake, camel, else kebab), or in
 * the folder's case when its other files show one (`fileCaseOf`: `monitor.ts` alone says
 * nothing, `monitor_tag.ts` beside it says snake case).
 */
export function caseLikeStem(stem: string, name: string, folderCase?: FileCase): string {
  const inCase = { pascal: pascalCase, snake: snakeCase, camel: camelCase, kebab: kebabCase };
  if (folderCase) return inCase[folderCase](name);
  if (/^[A-Z]/.test(stem)) return pascalCase(name);
  if (stem.includes('_')) return snakeCase(name);
  if (/[a-z][A-Z]/.test(stem)) return camelCase(name);
  return kebabCase(name);
}
