/**
 * The usage texts: for a join, loading and creating join rows (and the helpers when generated);
 * for a plain resource, inserting one and loading it with its relations.
 */
import { renderTemplate } from '../../render/render-template.js';
import { articleFor, camelCase, pluralizeLast } from '../../rules/naming.js';
import { selfUsage } from '../../rules/direction-names.js';
import { localName, shorthand } from '../../rules/identifiers.js';
import { onDeleteSentence } from '../../rules/usage-wording.js';
import type { TypeormJoinPlan, TypeormResourcePlan } from './plan-types.js';

export function joinUsage(plan: TypeormJoinPlan): string {
  const { join, sides } = plan;
  return renderTemplate('typeorm/usage.txt.ejs', {
    className: plan.joinClass,
    collection: join.collection,
    registered: plan.registered,
    migrated: plan.migrationFile !== undefined,
    migrateRuns: plan.migrateRuns,
    helpers: plan.helpers,
    source: {
      className: sides.source.entity.className,
      article: articleFor(camelCase(join.source.relationship)),
      parameter: camelCase(join.source.relationship),
      local: localName(camelCase(join.source.relationship)),
      key: camelCase(join.source.attribute.name),
      primaryKey: sides.source.primaryKey.property,
    },
    self: join.self
      ? {
          ...selfUsage(sides.source.entity.className, sides.source.primaryKey.property),
          forward: join.source.manyToMany,
          inverse: join.target.manyToMany,
          rows: camelCase(pluralizeLast(sides.source.entity.className)),
        }
      : undefined,
    target: {
      property: camelCase(join.target.relationship),
      plural: camelCase(pluralizeLast(join.target.relationship)),
      local: localName(camelCase(pluralizeLast(join.target.relationship))),
      key: camelCase(join.target.attribute.name),
      ids: `${camelCase(join.target.relationship)}Ids`,
    },
  });
}

export function resourceUsage(plan: TypeormResourcePlan): string {
  const { resource, className } = plan;
  const columns = [
    ...resource.attributes.filter((attribute) => attribute.required),
    ...resource.belongsTo.map((relation) => ({ name: relation.attribute })),
  ].map((column) => camelCase(column.name));
  const values = columns.length > 0 ? columns : resource.attributes.map((a) => camelCase(a.name));
  return renderTemplate('typeorm/resource-usage.txt.ejs', {
    className,
    collection: resource.collection,
    variable: localName(camelCase(className)),
    values: shorthand(values),
    primaryKey: plan.key.property,
    registered: plan.registered,
    migrateRuns: plan.migrateRuns,
    migrationName: plan.migrationFile ? plan.migrationName : undefined,
    uuidV7: plan.key.kind === 'uuid_v7' ? { module: plan.uuidV7Module ?? 'uuidv7' } : undefined,
    belongsTo: plan.belongsTo.map(({ relation, entity, primaryKey }) => ({
      property: camelCase(relation.name),
      className: entity.className,
      article: articleFor(entity.className),
      parameter: localName(camelCase(relation.name)),
      primaryKey: primaryKey.property,
      column: camelCase(relation.attribute),
      inverse: relation.inverse,
      onDelete: onDeleteSentence(
        entity.className,
        relation.onDelete,
        resource.collection,
        relation.attribute,
      ),
    })),
  });
}
