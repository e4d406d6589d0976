/**
 * PostgreSQL schemas: where an entity's table lives (`@Entity({ schema: 'app' })`, else the
 * DataSource's `schema` option, else the connection's default), and so where a join's table must
 * go, beside the two tables it refers to.
 */
import { invalidInput } from '../../errors.js';
import type { JoinModel } from '../../join/join-model.js';
import type { TypeormEntity } from './entity-model.js';
import type { JoinSides } from './resolve.js';
import type { PlanContext } from './scan.js';

export interface JoinSchema {
  /** The schema the join table is created in; undefined: the connection's default (`public`). */
  schema: string | undefined;
  /**
   * Written on the join entity (`@Entity('user_events', { schema: 'app' })`): the entities name
   * theirs, or `--table` named one. A schema that comes from the DataSource is left to it.
   */
  onEntity: boolean;
}

/** The DataSource's `schema` option, where entities that name none live. */
export function defaultSchema(context: PlanContext): string | undefined {
  if (context.dialect !== 'postgres') return undefined;
  return context.scan.options.find((options) => options.schema !== undefined)?.schema;
}

/** The schema `entity`'s table lives in; undefined on other databases or the default schema. */
export function schemaOf(context: PlanContext, entity: TypeormEntity): string | undefined {
  if (context.dialect !== 'postgres') return undefined;
  return entity.schema ?? defaultSchema(context);
}

/** `app.users` for a table in schema `app`, the bare name otherwise: TypeORM's table paths. */
export function tablePath(table: string, schema: string | undefined): string {
  return schema ? `${schema}.${table}` : table;
}

/**
 * Where the join table goes: the schema `--table app.user_events` names, else the one both
 * entities live in. Two entities in two schemas leave no right answer, so the user says which.
 */
export function joinSchema(context: PlanContext, join: JoinModel, sides: JoinSides): JoinSchema {
  if (join.schema) {
    if (context.dialect !== 'postgres') {
      throw invalidInput(
        `--table ${join.schema}.${join.table}: schemas are PostgreSQL's; this project's TypeORM database is ${context.dialect}.`,
        `Pass --table ${join.table}.`,
      );
    }
    return { schema: join.schema, onEntity: true };
  }
  const source = schemaOf(context, sides.source.entity);
  const target = schemaOf(context, sides.target.entity);
  if (source !== target) {
    const shown = (schema: string | undefined) => schema ?? 'public';
    throw invalidInput(
      `${context.describe(sides.source.entity)} lives in schema ${shown(source)} and ${context.describe(sides.target.entity)} in schema ${shown(target)}; joinery cannot tell which schema the join table ${join.table} belongs in.`,
      `Name it: --table ${shown(source)}.${join.table} or --table ${shown(target)}.${join.table}.`,
    );
  }
  const named = [sides.source.entity, sides.target.entity].some(
    (entity) => entity.schema !== undefined,
  );
  return { schema: source, onEntity: named && source !== undefined };
}
