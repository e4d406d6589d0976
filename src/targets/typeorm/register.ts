/**
 * Making a new entity reachable: lists that name entity classes get it (a DataSource or forRoot
 * `entities` array, a NestJS `forFeature([...])`), globs that already match its file need
 * nothing, and lists joinery cannot extend produce a warning.
 */
import { moduleSpecifier } from '../../project/import-style.js';
import { inDomain } from '../../rules/resolve-resource.js';
import type { FeatureList } from './data-source.js';
import { globsCover } from './glob-match.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import type { EditContext } from './scan.js';
import { addArrayElement } from './transforms/add-array-element.js';

/** Appends a class to a list literal (entities, migrations, forFeature) and imports it there. */
export type Register = (
  file: string,
  array: Parameters<typeof addArrayElement>[0],
  name: string,
  from: string,
) => void;

/** A Register that notes each file it changed in `registered` (project-relative). */
export function registrar(context: EditContext, registered: string[]): Register {
  return (file, array, name, from) => {
    const result = addArrayElement(array, name, {
      from: moduleSpecifier(file, from, context.style.imports),
    });
    if (result.status !== 'added') return;
    const shown = context.relative(file);
    if (!registered.includes(shown)) registered.push(shown);
  };
}

export interface EntityRegistration {
  className: string;
  file: string;
  /**
   * Entity lists naming one of these classes get the new one; with none, every list that names
   * classes does (a project whose lists name no class registers by glob).
   */
  anchors: string[];
  /** The NestJS `forFeature([...])` the entity joins, if any. */
  feature: FeatureList | undefined;
}

/** The join entity goes where its two sides are listed. */
export function registerJoinEntity(context: EditContext, plan: TypeormJoinPlan): void {
  const { sides, join } = plan;
  const { features } = context.scan;
  registerEntity(context, plan, {
    className: plan.joinClass,
    file: plan.joinFile,
    anchors: [sides.source.entity.className, sides.target.entity.className],
    // NestJS: the feature module that already lists the source entity, else one in the join's domain.
    feature:
      features.find((candidate) => candidate.classes.includes(sides.source.entity.className)) ??
      features.find((candidate) => inDomain(context.relative(candidate.file), join.domain)),
  });
}

/** A plain entity goes where the entities it belongs to are listed. */
export function registerResourceEntity(context: EditContext, plan: TypeormResourcePlan): void {
  registerEntity(context, plan, {
    className: plan.className,
    file: plan.file,
    anchors: plan.belongsTo.map((resolved) => resolved.entity.className),
    feature: context.scan.features.find((candidate) =>
      inDomain(context.relative(candidate.file), plan.resource.domain),
    ),
  });
}

function registerEntity(
  context: EditContext,
  plan: { registered: string[]; warnings: string[] },
  entity: EntityRegistration,
): void {
  const { scan, relative } = context;
  const register = registrar(context, plan.registered);
  for (const config of scan.options) {
    const list = config.entities;
    if (!list) continue;
    if (list.globs.length > 0 && globsCover(list.globs, entity.file)) continue;
    const listed =
      entity.anchors.length > 0
        ? list.classes.some((name) => entity.anchors.includes(name))
        : list.classes.length > 0;
    if (list.array && listed) {
      register(config.file, list.array, entity.className, entity.file);
    } else if (list.globs.length > 0 && list.classes.length === 0) {
      plan.warnings.push(
        `${relative(config.file)}:${list.line}: the entities globs do not match ${relative(entity.file)}; add ${entity.className} there.`,
      );
    } else if (list.opaque && list.classes.length === 0) {
      plan.warnings.push(
        `${relative(config.file)}:${list.line}: entities are computed at run time; make sure ${entity.className} is among them.`,
      );
    }
  }
  if (entity.feature) {
    register(entity.feature.file, entity.feature.array, entity.className, entity.file);
  }
  if (scan.options.length === 0) {
    plan.warnings.push(
      `No TypeORM DataSource or TypeOrmModule.forRoot() found; add ${entity.className} to your DataSource's entities yourself.`,
    );
  }
}
