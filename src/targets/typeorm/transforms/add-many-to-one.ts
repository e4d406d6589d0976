/**
 * Adds the belongs_to side of a relationship to an entity class:
 *
 *   @ManyToOne(() => User, (user) => user.events, { onDelete: 'RESTRICT', nullable: false })
 *   @JoinColumn({ name: 'organizer_id' })
 *   organizer!: Relation<User>
 *
 * right after the property of its foreign-key column (else after the last property), in the
 * file's own semicolon style. Nothing changes when the class has a property of that name, or a
 * relation whose `@JoinColumn` names the same column. With `imports`, the decorators, `Relation`
 * (when the type uses it) and the related class are imported where the property uses them.
 */
import type { ClassDeclaration, SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../../lazy.js';
import { ensureImport } from '../../../transforms/ensure-import.js';
import {
  added,
  missing,
  present,
  type TransformResult,
} from '../../../transforms/transform-result.js';

export interface ManyToOneRelation {
  /** `Event`: the entity class that gains the property. */
  className: string;
  /** `organizer`. */
  property: string;
  /** `organizerId`: the foreign-key column's property, placed before the relation. */
  columnProperty: string;
  /** `organizer_id`. */
  columnName: string;
  /** `@ManyToOne(...)` arguments as source text. */
  args: string;
  /** `Relation<User> | null`. */
  tsType: string;
  /** Module specifiers: the ORM package (`typeorm`), and the related class (`User`) with its file as seen from here. */
  imports?: { orm: string; related: { name: string; from: string } };
}

export function addManyToOne(sourceFile: SourceFile, relation: ManyToOneRelation): TransformResult {
  const declaration = sourceFile.getClass(relation.className);
  if (!declaration) return missing(`class ${relation.className}`);
  if (hasManyToOne(declaration, relation)) return present;
  const anchor =
    declaration.getProperty(relation.columnProperty) ?? declaration.getProperties().at(-1);
  const semicolon = (anchor ?? declaration).getText().includes(';') || !anchor ? ';' : '';
  const lines = [
    `@ManyToOne(${relation.args})`,
    `@JoinColumn({ name: '${relation.columnName}' })`,
    `${relation.property}!: ${relation.tsType}${semicolon}`,
  ];
  if (anchor) {
    // Right after the anchor, a blank line apart; whatever followed the anchor follows it.
    const indent = anchor.getIndentationText();
    sourceFile.insertText(
      anchor.getEnd(),
      `\n\n${lines.map((line) => `${indent}${line}`).join('\n')}`,
    );
  } else {
    declaration.insertMember(0, lines.join('\n'));
  }
  const { imports } = relation;
  if (imports) {
    ensureImport(sourceFile, imports.orm, 'ManyToOne');
    ensureImport(sourceFile, imports.orm, 'JoinColumn');
    if (relation.tsType.includes('Relation<')) {
      ensureImport(sourceFile, imports.orm, 'Relation', { typeOnly: true });
    }
    ensureImport(sourceFile, imports.related.from, imports.related.name);
  }
  return added(relation.property);
}

export function hasManyToOne(declaration: ClassDeclaration, relation: ManyToOneRelation): boolean {
  const { Node } = loadTsMorph();
  if (declaration.getProperty(relation.property)) return true;
  return declaration.getProperties().some((property) =>
    (property.getDecorator('JoinColumn')?.getArguments() ?? []).some((arg) => {
      if (!Node.isObjectLiteralExpression(arg)) return false;
      const name = arg.getProperty('name');
      const value = name && Node.isPropertyAssignment(name) ? name.getInitializer() : undefined;
      return value !== undefined && Node.isStringLiteral(value)
        ? value.getLiteralValue() === relation.columnName
        : false;
    }),
  );
}
