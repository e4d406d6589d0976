/**
 * What the relationship helpers of both targets share (--helpers): where the module goes, what
 * its functions are called, and the rule that an existing module is the user's.
 *
 * File name: beside the join file, `<join file stem>.helpers<ext>`, with an infix such as
 * `.entity` or `.schema` dropped (`user-event.ts` → `user-event.helpers.ts`, `UserEvent.ts` →
 * `UserEvent.helpers.ts`, `user-event.entity.ts` → `user-event.helpers.ts`). When the join shares
 * its file with other tables (`schema.ts`), the stem is the join resource's name in that file's
 * case style (`user-event.helpers.ts`, `UserEvent.helpers.ts`, `user_event.helpers.ts`).
 */
import { caseLikeStem } from '../project/file-naming.js';
import path from 'node:path';
import type { ChangeSet } from '../change-set/change-set.js';
import type { JoinKey, JoinModel } from '../join/join-model.js';
import { selfDirectionHelperNames } from './direction-names.js';
import { camelCase, pascalCase, pluralizeLast } from '../rules/naming.js';

/** One direction of the helpers: `loadUserEvents(db, userId)` and its siblings. */
export interface HelperNames {
  load: string;
  append: string;
  remove: string;
  set: string;
  /** The parameters: `userId`, `eventIds`; and what load returns, `events`. */
  id: string;
  ids: string;
  items: string;
}

export interface PlannedHelpers {
  /** Relative to the project root, POSIX separators. */
  file: string;
  /** Source → target first, then the inverse. */
  directions: [HelperNames, HelperNames];
  /** Property of each loaded item holding the join row: `userEvent`. */
  rowProperty: string;
  /** The attributes argument append and set need when some are required: `{ role }`. */
  attributes: string | undefined;
}

export function helpersFileFor(joinFile: string, resource: string): string {
  const base = path.basename(joinFile);
  const match = /^([^.]+)(?:\.[a-z]+)*?(\.[cm]?[jt]sx?)$/.exec(base);
  const [stem, extension] = match ? [match[1]!, match[2]!] : [base, '.ts'];
  const flat = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  const own = [resource, pluralizeLast(resource)].some((name) => flat(name) === flat(stem));
  const styled = own ? stem : caseLikeStem(stem, resource);
  return path.join(path.dirname(joinFile), `${styled}.helpers${extension}`);
}

/** `loadUserEvents(db, userId)` → the user's events; the inverse is `loadEventUsers`. */
function namesOf(from: JoinKey, to: JoinKey): HelperNames {
  const suffix = `${pascalCase(from.relationship)}${pascalCase(pluralizeLast(to.relationship))}`;
  return {
    load: `load${suffix}`,
    append: `append${suffix}`,
    remove: `remove${suffix}`,
    set: `set${suffix}`,
    id: `${camelCase(from.relationship)}Id`,
    ids: `${camelCase(to.relationship)}Ids`,
    items: camelCase(pluralizeLast(to.relationship)),
  };
}

export function helperNames(join: JoinModel): [HelperNames, HelperNames] {
  if (join.self) {
    // One resource both ways: each direction is named by itself (`loadFollowers(db, userId)`).
    const resource = join.source.destination.resource;
    return [
      selfDirectionHelperNames(resource, join.source.manyToMany),
      selfDirectionHelperNames(resource, join.target.manyToMany),
    ];
  }
  return [namesOf(join.source, join.target), namesOf(join.target, join.source)];
}

/**
 * Writes the rendered module when it is missing (or under --conflicts replace). An existing one
 * is left as it is: it may carry the user's edits; deleting it and running again regenerates it.
 * Returns what the usage text needs.
 */
export function planHelpersFile(
  changes: ChangeSet,
  join: JoinModel,
  file: string,
  replace: boolean,
  render: () => string,
): PlannedHelpers {
  if (replace || !changes.exists(file)) changes.write(file, render());
  const required = join.extraAttributes
    .filter((attribute) => attribute.required)
    .map((attribute) => camelCase(attribute.name));
  return {
    file: changes.relative(file),
    directions: helperNames(join),
    rowProperty: camelCase(join.resource),
    attributes: required.length > 0 ? `{ ${required.join(', ')} }` : undefined,
  };
}
