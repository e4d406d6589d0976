/**
 * The relations around a new or grown entity: the inverse `@OneToMany` on each side of a join
 * and on each belongs_to destination, and its naming (a free property when the usual one is
 * taken). The join entity's `@ManyToOne` pair comes with its template; a plain entity's are added
 * with its columns (converge.ts) or rendered (create.ts) from column-code.ts.
 */
import { moduleSpecifier } from '../../project/import-style.js';
import { distinguished, type ResourceModel } from '../../resource/resource-model.js';
import { camelCase } from '../../rules/naming.js';
import { localName } from '../../rules/identifiers.js';
import type { TypeormEntity } from './entity-model.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';
import type { ResolvedBelongsTo, ResolvedSide } from './resolve.js';
import { invalidInput } from '../../errors.js';
import type { EditContext, PlanContext } from './scan.js';
import { addInverseRelation, inverseNameTaken } from './transforms/add-inverse-relation.js';

/** `@OneToMany(() => UserEvent, ...)` on both entities of the join. */
export function addJoinInverses(context: EditContext, plan: TypeormJoinPlan): void {
  const { join, joinClass, joinFile, sides } = plan;
  const inverseOf = (side: ResolvedSide) => ({
    className: side.entity.className,
    property: side.key.manyToMany,
    joinClass,
    parameter: camelCase(joinClass),
    inverseProperty: camelCase(side.key.relationship),
  });
  if (join.self) {
    // Both directions become properties of the one entity: refuse one that is taken.
    for (const side of [sides.source, sides.target]) {
      const sourceFile = context.scan.sourceFiles.get(side.entity.file)!;
      if (inverseNameTaken(sourceFile, inverseOf(side))) {
        throw invalidInput(
          `${join.resource} joins ${side.entity.className} to itself; its direction "${side.key.manyToMany}" (what a ${side.key.relationship} reaches) would collide with the property ${side.entity.className}.${side.key.manyToMany} (${context.relative(side.entity.file)}).`,
          `Name both directions: --directions <what a ${join.source.relationship} reaches>,<what a ${join.target.relationship} reaches>, each free on ${side.entity.className}.`,
        );
      }
    }
  }
  for (const side of [sides.source, sides.target]) {
    addInverseRelation(context.scan.sourceFiles.get(side.entity.file)!, {
      className: side.entity.className,
      // A self join's entity gets both directions, each the inverse of one @ManyToOne.
      property: join.self ? side.key.manyToMany : join.collection,
      matchInverse: join.self,
      joinClass,
      parameter: localName(camelCase(joinClass)),
      inverseProperty: camelCase(side.key.relationship),
      imports: {
        orm: context.ormModule,
        joinClass: moduleSpecifier(side.entity.file, joinFile, context.style.imports),
      },
    });
  }
}

/** `@OneToMany` on each belongs_to destination; the files that gained one are noted in the plan. */
export function addResourceInverses(context: EditContext, plan: TypeormResourcePlan): void {
  const { className, file } = plan;
  for (const { entity, relation } of plan.belongsTo) {
    const result = addInverseRelation(context.scan.sourceFiles.get(entity.file)!, {
      className: entity.className,
      property: relation.inverse,
      joinClass: className,
      parameter: localName(camelCase(className)),
      inverseProperty: camelCase(relation.name),
      matchInverse: true,
      imports: {
        orm: context.ormModule,
        joinClass: moduleSpecifier(entity.file, file, context.style.imports),
      },
    });
    const shown = context.relative(entity.file);
    if (result.status === 'added' && !plan.inverseFiles.includes(shown)) {
      plan.inverseFiles.push(shown);
    }
  }
}

/**
 * The inverse `@OneToMany` gets its own property when the destination already uses the name for
 * another relation (User.posts for Post.author, and now Post.editor): `editorPosts`, as when both
 * belong_to were declared at once.
 */
export function withFreeInverses(
  context: PlanContext,
  resource: ResourceModel,
  existing: TypeormEntity | undefined,
  belongsTo: ResolvedBelongsTo[],
): ResolvedBelongsTo[] {
  const className = existing?.className ?? resource.resource;
  return belongsTo.map((resolved) => {
    const { relation, entity } = resolved;
    const sourceFile = context.scan.sourceFiles.get(entity.file);
    const taken =
      sourceFile &&
      inverseNameTaken(sourceFile, {
        className: entity.className,
        property: relation.inverse,
        joinClass: className,
        parameter: localName(camelCase(className)),
        inverseProperty: camelCase(relation.name),
      });
    return taken ? { ...resolved, relation: distinguished(resource, relation) } : resolved;
  });
}
