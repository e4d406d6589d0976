/**
 * Adds the inverse side of a join to an entity class:
 *
 *   @OneToMany(() => UserEvent, (userEvent) => userEvent.user)
 *   userEvents!: UserEvent[]
 *
 * after its last property, in the file's own semicolon style. Nothing changes when the class
 * already has the property, or any `@OneToMany(() => UserEvent, ...)` (with `matchInverse`, one
 * whose inverse side is `inverseProperty`). With `imports`, `OneToMany` and the join class are
 * imported where the property uses them.
 */
import type { ClassDeclaration, PropertyDeclaration, SourceFile } from 'ts-morph';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

export interface InverseRelation {
  /** `User`: the entity class that gains the property. */
  className: string;
  /** `userEvents`. */
  property: string;
  /** `UserEvent`: the join entity. */
  joinClass: string;
  /** `userEvent`: the callback parameter. */
  parameter: string;
  /** `user`: the join entity's property pointing back here. */
  inverseProperty: string;
  /**
   * Only a `@OneToMany` whose inverse side is `inverseProperty` counts as present (several
   * belongs_to of one entity may point here: `organizer`, `host`). Off for joins, where any
   * `@OneToMany` to the join entity does.
   */
  matchInverse?: boolean;
  /** Module specifiers: the ORM package (`typeorm`) and the join class's file as seen from here. */
  imports?: { orm: string; joinClass: string };
}

export function addInverseRelation(
  sourceFile: SourceFile,
  relation: InverseRelation,
): TransformResult {
  const declaration = sourceFile.getClass(relation.className);
  if (!declaration) return missing(`class ${relation.className}`);
  if (hasRelation(declaration, relation)) return present;
  const properties = declaration.getProperties();
  const last = properties.at(-1);
  const semicolon = (last ?? declaration).getText().includes(';') || !last ? ';' : '';
  const text =
    `@OneToMany(() => ${relation.joinClass}, (${relation.parameter}) => ${relation.parameter}.${relation.inverseProperty})\n` +
    `${relation.property}!: ${relation.joinClass}[]${semicolon}`;
  const index = last ? last.getChildIndex() + 1 : 0;
  // Decorated members read best apart: a blank line before the new one, as before the others.
  declaration.insertMember(index, (writer) => {
    if (last) writer.newLine();
    writer.write(text);
  });
  if (relation.imports) {
    ensureImport(sourceFile, relation.imports.orm, 'OneToMany');
    ensureImport(sourceFile, relation.imports.joinClass, relation.joinClass);
  }
  return added(relation.property);
}

function hasRelation(declaration: ClassDeclaration, relation: InverseRelation): boolean {
  if (declaration.getProperty(relation.property)) return true;
  return declaration.getProperties().some((property) => {
    const { target, inverse } = oneToMany(property);
    if (target !== `()=>${relation.joinClass}`) return false;
    return !relation.matchInverse || inverse === relation.inverseProperty;
  });
}

/** `@OneToMany(() => Post, (post) => post.author)` → `()=>Post` and `author`. */
function oneToMany(property: PropertyDeclaration): { target?: string; inverse?: string } {
  const [target, inverse] = (property.getDecorator('OneToMany')?.getArguments() ?? []).map((arg) =>
    arg.getText().replace(/\s+/g, ''),
  );
  return { target, inverse: inverseSide(inverse) };
}

/**
 * Is `property` on the class taken by something other than this relation's inverse? (`posts`
 * there for `author` when a second belongs_to, `editor`, also points at User.)
 */
export function inverseNameTaken(sourceFile: SourceFile, relation: InverseRelation): boolean {
  const declaration = sourceFile.getClass(relation.className);
  const property = declaration?.getProperty(relation.property);
  if (!property) return false;
  const { target, inverse } = oneToMany(property);
  return target !== `()=>${relation.joinClass}` || inverse !== relation.inverseProperty;
}

/** `(event)=>event.organizer` or `'organizer'` → `organizer`. */
function inverseSide(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /^\(?(\w+)(?::\w+)?\)?=>\1\.(\w+)$/.exec(text)?.[2] ?? /^['"`](\w+)['"`]$/.exec(text)?.[1];
}
