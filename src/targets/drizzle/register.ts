/**
 * Making a new file reachable: a barrel (`index.ts`, `schema.ts`) that re-exports the new file's
 * neighbours re-exports it too, so drizzle-kit and the app see the new table.
 */
import path from 'node:path';
import { moduleSpecifier } from '../../project/import-style.js';
import type { Project } from '../../project/project.js';
import { resolveRelativeModule } from '../../project/source-files.js';
import type { JoinContext, ResourceContext } from './plan-types.js';
import { schemaReexports } from './schema-model.js';
import { addReexport } from './transforms/add-reexport.js';

export interface BarrelEdit {
  file: string;
  /** The re-export the new one goes after. */
  besideSpecifier: string;
}

/**
 * Barrels among `files` that re-export one of `neighbours` (the first that matches, in the
 * barrel's order, unless `last`): each should re-export a new file beside them too.
 */
export function barrelsReexporting(
  files: string[],
  project: Project,
  neighbours: string[],
  options: { last?: boolean } = {},
): BarrelEdit[] {
  const barrels: BarrelEdit[] = [];
  const reexportsOf = schemaReexports(project);
  for (const file of files) {
    const matching = (reexportsOf(file) ?? []).filter((specifier) =>
      neighbours.includes(resolveRelativeModule(file, specifier) ?? ''),
    );
    const besideSpecifier = options.last ? matching.at(-1) : matching[0];
    if (besideSpecifier) barrels.push({ file, besideSpecifier });
  }
  return barrels;
}

function reexportFrom(
  context: JoinContext | ResourceContext,
  barrels: BarrelEdit[],
  file: string,
): void {
  for (const barrel of barrels) {
    addReexport(
      context.sourceFileFor(barrel.file),
      moduleSpecifier(barrel.file, file, context.scan.style),
      barrel.besideSpecifier,
    );
  }
}

/** A join file of its own is re-exported by the barrels that re-export both sides' files. */
export function registerJoinFile(context: JoinContext): void {
  const { sides, joinFile, project, scan } = context;
  const neighbours = [sides.source.table.file, sides.target.table.file].filter(
    (file) => file !== joinFile,
  );
  if (neighbours.length < 2) return;
  const barrels = barrelsReexporting(scan.files, project, neighbours);
  // A domain's own index (`users/index.ts`) re-exports one side only: the join belongs to the
  // barrel of both sides, or of its own folder, not to every domain it touches (it was
  // re-exported from two folders' index files). Any barrel, when none of those is there.
  const reexportsOf = schemaReexports(project);
  const targetsOf = (file: string) =>
    (reexportsOf(file) ?? []).map((specifier) => resolveRelativeModule(file, specifier));
  const own = barrels.filter((barrel) => {
    const targets = targetsOf(barrel.file);
    return (
      neighbours.every((neighbour) => targets.includes(neighbour)) ||
      targets.some((target) => target && path.dirname(target) === path.dirname(joinFile))
    );
  });
  reexportFrom(context, own.length > 0 ? own : barrels, joinFile);
}

/** A new table's file is re-exported by a barrel re-exporting its neighbours (or any table). */
export function registerResourceFile(context: ResourceContext): void {
  const { existing, file, project, scan } = context;
  if (existing) return;
  const tableFiles = [...new Set(scan.schema.tables.map((table) => table.file))];
  // Appended to a file that holds tables already: whatever re-exports it sees the new one.
  if (tableFiles.includes(file)) return;
  const beside = tableFiles.filter((candidate) => path.dirname(candidate) === path.dirname(file));
  const barrels = barrelsReexporting(scan.files, project, beside.length > 0 ? beside : tableFiles, {
    last: true,
  });
  reexportFrom(context, barrels, file);
}
