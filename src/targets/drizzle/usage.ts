/** How to use what a Drizzle plan generated: the usage texts of a join and a plain resource. */
import { renderTemplate } from '../../render/render-template.js';
import { articleFor, camelCase, pluralizeLast } from '../../rules/naming.js';
import { selfUsage } from '../../rules/direction-names.js';
import { localName, shorthand } from '../../rules/identifiers.js';
import { onDeleteSentence } from '../../rules/usage-wording.js';
import type { DrizzleJoinPlan, DrizzleResourcePlan } from './plan-types.js';

export function joinUsage(plan: DrizzleJoinPlan): string {
  const { join, sides } = plan;
  const side = (key: typeof join.source) => ({
    key: camelCase(key.attribute.name),
    relationship: camelCase(key.relationship),
    // A local in the printed code: `class_` for a relationship named class.
    local: localName(camelCase(key.relationship)),
    plural: camelCase(pluralizeLast(key.relationship)),
    // What the other side calls this side's rows through the join (1.x `through` relations).
    manyToMany: key.manyToMany,
    ids: `${camelCase(key.relationship)}Ids`,
  });
  return renderTemplate('drizzle/usage.txt.ejs', {
    relationsV1: plan.relationsV1,
    source: {
      ...side(join.source),
      table: sides.source.table.variable,
      primaryKey: sides.source.primaryKey.key,
    },
    target: {
      ...side(join.target),
      table: sides.target.table.variable,
      primaryKey: sides.target.primaryKey.key,
    },
    collection: join.collection,
    helpers: plan.helpers,
    self: join.self
      ? selfUsage(join.source.destination.resource, sides.source.primaryKey.key)
      : undefined,
    mysql: plan.dialect === 'mysql',
    foreignKeys: plan.foreignKeys,
  });
}

export function resourceUsage(plan: DrizzleResourcePlan): string {
  const { resource } = plan;
  const noun = camelCase(resource.resource);
  const row = localName(noun);
  const key = plan.keyProperty ?? 'id';
  return renderTemplate('drizzle/resource-usage.txt.ejs', {
    article: articleFor(resource.resource),
    noun,
    row,
    table: plan.variable,
    key,
    values:
      plan.requiredFields.length > 0
        ? `{ ${shorthand(plan.requiredFields)} }`
        : plan.existed
          ? '{ /* its columns */ }'
          : '{}',
    belongsTo: plan.belongsTo.map((link) => ({
      ...link,
      local: localName(link.property),
      name: camelCase(link.relationship.destination.resource),
      article: articleFor(link.relationship.destination.resource),
    })),
    mysql: plan.dialect === 'mysql',
    onDelete: plan.belongsTo.map((link) =>
      !plan.foreignKeys
        ? `No foreign key on ${link.relationship.attribute}, as in the rest of the project: deleting ${articleFor(link.relationship.destination.resource)} ${camelCase(link.relationship.destination.resource)} leaves its ${resource.collection}.`
        : onDeleteSentence(
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
