/** How to use what a Drizzle plan generated: the usage texts of a join and a plain resource. */
import { renderTemplate } from '../../render/render-template.js';
import { articleFor, camelCase, pluralizeLast } from '../../rules/naming.js';
import { selfUsage } from '../../rules/direction-names.js';
import { onDeleteSentence } from '../../rules/usage-wording.js';
import type { DrizzleJoinPlan, DrizzleResourcePlan } from './plan-types.js';

export function joinUsage(plan: DrizzleJoinPlan): string {
  const { join, sides } = plan;
  const side = (key: typeof join.source) => ({
    key: camelCase(key.attribute.name),
    relationship: camelCase(key.relationship),
    plural: camelCase(pluralizeLast(key.relationship)),
    // What the other side calls this side's rows through the join (1.x `through` relations).
    manyToMany: key.manyToMany,
    ids: `${camelCase(key.relationship)}Ids`,
  });
  return renderTemplate('drizzle/usage.txt.ejs', {
    relationsV1: plan.relationsV1,
    source: { ...side(join.source), table: sides.source.table.variable },
    target: { ...side(join.target), table: sides.target.table.variable },
    collection: join.collection,
    helpers: plan.helpers,
    self: join.self
      ? selfUsage(join.source.destination.resource, sides.source.primaryKey.key)
      : undefined,
  });
}

export function resourceUsage(plan: DrizzleResourcePlan): string {
  const { resource } = plan;
  const row = camelCase(resource.resource);
  const key = plan.keyProperty ?? 'id';
  return renderTemplate('drizzle/resource-usage.txt.ejs', {
    article: articleFor(resource.resource),
    row,
    table: plan.variable,
    key,
    values:
      plan.requiredFields.length > 0
        ? `{ ${plan.requiredFields.join(', ')} }`
        : plan.existed
          ? '{ /* its columns */ }'
          : '{}',
    belongsTo: plan.belongsTo.map((link) => ({
      ...link,
      name: camelCase(link.relationship.destination.resource),
      article: articleFor(link.relationship.destination.resource),
    })),
    onDelete: plan.belongsTo.map((link) =>
      onDeleteSentence(
        link.relationship.destination.resource,
        link.relationship.onDelete,
        resource.collection,
        link.relationship.attribute,
      ),
    ),
    uuidv7Source: plan.uuidv7Source,
    altersSchema: plan.altersSchema,
    relationsV1: plan.relationsV1,
  });
}
