/**
 * --helpers for TypeORM: renders `templates/typeorm/helpers.ts.ejs` beside the join entity, a
 * module of typed functions per direction (load, append, remove, set) taking a DataSource or an
 * EntityManager. The last step of planTypeormJoin; plans into the change set.
 */
import { detectImportStyle } from '../../project/import-style.js';
import { importList } from '../../render/import-list.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, pascalCase } from '../../rules/naming.js';
import { selfDirectionItemType } from '../../rules/direction-names.js';
import { helperNames, helpersFileFor, planHelpersFile } from '../../rules/helpers-file.js';
import type { TypeormDialect } from './column-types.js';
import type { TypeormJoinPlan } from './plan-types.js';
import type { ResolvedSide } from './resolve.js';
import type { EditContext } from './scan.js';

/**
 * Row locks that keep the rows found until commit; SQLite has none (its writes are serial).
 * `type: 'mysql'` may be a MariaDB server, where TypeORM's `pessimistic_read` becomes MySQL 8's
 * `FOR SHARE` (MariaDB rejects it): `pessimistic_write` (`FOR UPDATE`) holds on both. (The
 * lookups load no eager relations, so Postgres never locks the nullable side of an outer join.)
 */
const LOCK: Record<TypeormDialect, string | undefined> = {
  postgres: `{ mode: 'for_key_share' }`,
  mysql: `{ mode: 'pessimistic_write' }`,
  mariadb: `{ mode: 'pessimistic_read' }`,
  sqlite: undefined,
};

export function planTypeormHelpers(context: EditContext, plan: TypeormJoinPlan): void {
  const { project, changes, options } = context;
  const { join, sides } = plan;
  if (!join.helpers) return;
  const file = helpersFileFor(plan.joinFile, join.resource);
  plan.helpers = planHelpersFile(changes, join, file, options.replace === true, () => {
    // The style of the three files the module imports, as the tree holds them now (the join
    // entity just rendered or grown, the sides' attached sources): nothing is parsed again.
    const style = detectImportStyle(
      project.root,
      [plan.joinFile, sides.source.entity.file, sides.target.entity.file].map(
        (source) => changes.read(source) ?? '',
      ),
      project.ts,
    );
    const side = (resolved: ResolvedSide) => ({
      className: resolved.entity.className,
      primaryKey: resolved.primaryKey.property,
      key: camelCase(resolved.key.attribute.name),
      relation: camelCase(resolved.key.relationship),
      type: `${pascalCase(resolved.key.relationship)}Id`,
      uuid: resolved.primaryKey.type === 'uuid' || resolved.primaryKey.generated === 'uuid',
    });
    const source = side(sides.source);
    const target = side(sides.target);
    const [forward, inverse] = helperNames(join);
    const property = (name: string) => `'${camelCase(name)}'`;
    const required = join.extraAttributes.filter((attribute) => attribute.required);
    const optional = join.extraAttributes.filter((attribute) => !attribute.required);
    const attributesType = [
      required.length > 0
        ? `Pick<${plan.joinClass}, ${required.map((a) => property(a.name)).join(' | ')}>`
        : undefined,
      optional.length > 0
        ? `Partial<Pick<${plan.joinClass}, ${optional.map((a) => property(a.name)).join(' | ')}>>`
        : undefined,
    ]
      .filter(Boolean)
      .join(' & ');
    return renderTemplate('typeorm/helpers.ts.ejs', {
      imports: importList(file, style, [
        [context.ormModule, 'type DataSource'],
        [context.ormModule, 'type EntityManager'],
        [context.ormModule, 'In'],
        [context.ormModule, 'Not'],
        [sides.source.entity.file, source.className],
        [sides.target.entity.file, target.className],
        [plan.joinFile, plan.joinClass],
      ]),
      lock: LOCK[plan.dialect],
      serialized: plan.dialect === 'sqlite',
      join: {
        className: plan.joinClass,
        row: camelCase(join.resource),
        collection: join.collection,
        attributes:
          join.extraAttributes.length === 0
            ? 'none'
            : required.length > 0
              ? 'required'
              : 'optional',
        attributesType,
      },
      source,
      target,
      directions: [
        { from: source, to: target, names: forward, forward: true, key: join.source },
        { from: target, to: source, names: inverse, forward: false, key: join.target },
      ].map(({ key, ...direction }) => ({
        ...direction,
        // A self join loads each direction through its own @OneToMany on the one entity.
        collection: join.self ? key.manyToMany : join.collection,
        itemType: join.self
          ? selfDirectionItemType(direction.from.className, direction.names.items)
          : `${direction.to.className}Of${direction.from.className}`,
      })),
    });
  });
}
