/**
 * Names from the command line become identifiers in generated code, so every target keeps two
 * promises here: a name that would be a reserved word where the code declares a local
 * (`(class) => class.userClasses`, `const [package] = …`) is escaped (`class_`), and a name that
 * cannot be escaped without renaming what the project sees (a class `Entity` beside TypeORM's
 * `Entity` import, a table variable `relations` beside drizzle-orm's, a property `constructor`)
 * is refused with exit 2 before anything is planned.
 */
import { invalidInput } from '../errors.js';
import { camelCase, pascalCase, pluralizeLast } from './naming.js';

/** Reserved in strict-mode ES modules and classes (where generated code lives), and TypeScript's own. */
const RESERVED = new Set([
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete'],
  ...['do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if'],
  ...['import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw'],
  ...['true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'await', 'let', 'static'],
  ...['implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval'],
]);

/** A local variable or parameter named after `name`: reserved words get a trailing underscore. */
export function localName(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** `{ title, default: default_ }`: object shorthand for locals named by `localName`. */
export function shorthand(names: readonly string[]): string {
  return names.map((name) => (localName(name) === name ? name : `${name}: ${name}_`)).join(', ');
}

/**
 * Property names JavaScript gives every object: a column or relation named so breaks the ORM's
 * row types and the lookups keyed by property (TypeORM refuses a class field `constructor`).
 */
const OBJECT_MEMBERS = new Set(['constructor', '__proto__', 'prototype']);

/** Globals the generated code itself uses: a class of that name would shadow them. */
export const GLOBALS_USED = [
  ...['Array', 'BigInt', 'Boolean', 'Date', 'Error', 'JSON', 'Map', 'Math', 'Number', 'Object'],
  ...['Omit', 'Partial', 'Pick', 'Promise', 'Readonly', 'Record', 'Set', 'String', 'Symbol'],
];

/**
 * What a target declares from a resource name and what generated code imports or declares beside
 * it; each target states its own (`OrmTarget.generatedNames`). TypeORM declares a class per
 * resource; Drizzle a table variable (`classes`) and its relations (`classesRelations`).
 */
export interface GeneratedNames {
  declares: 'class' | 'variable';
  taken: readonly string[];
}

/** One name the run will turn into code, with the flag it came from for the message. */
export interface GivenName {
  name: string;
  /** `--attribute constructor:string`, `the resource Accounts.Entity`. */
  origin: string;
}

export interface NamesToCheck {
  /** The resource and the resources it refers to, as classes/tables are named after them. */
  resources: GivenName[];
  /** Attribute and relationship names: properties of the generated rows, distinct. */
  properties: GivenName[];
  /** Names the run gives properties of other resources (inverses, many_to_many names). */
  elsewhere: GivenName[];
}

/** Throws exit 2 for the first name the target's generated code cannot carry. */
export function assertNamesGeneratable(rules: GeneratedNames, names: NamesToCheck): void {
  for (const given of [...names.resources, ...names.properties, ...names.elsewhere]) {
    const property = camelCase(given.name);
    if (OBJECT_MEMBERS.has(property) || OBJECT_MEMBERS.has(camelCase(pluralizeLast(given.name)))) {
      throw invalidInput(
        `${given.origin}: "${property}" is a member every JavaScript object has; generated rows cannot have a property of that name.`,
        'Choose another name (for example with a prefix: ctor, builder_constructor).',
      );
    }
  }
  for (const given of names.resources) {
    const declared =
      rules.declares === 'class'
        ? [pascalCase(given.name)]
        : [camelCase(pluralizeLast(given.name))].flatMap((v) => [v, `${v}Relations`]);
    const clash = declared.find((identifier) => rules.taken.includes(identifier));
    if (clash) {
      throw invalidInput(
        `${given.origin}: the generated ${rules.declares} ${clash} would collide with ${GLOBALS_USED.includes(clash) ? `the JavaScript global ${clash}, which generated code uses` : `${clash}, which generated code imports or declares beside it`}.`,
        `Choose another resource name (for example ${pascalCase(given.name)}Item, or with its domain's prefix).`,
      );
    }
  }
  assertDistinctProperties(names.properties);
}

/** An attribute and a relationship named alike would be one property declared twice. */
function assertDistinctProperties(properties: GivenName[]): void {
  const seen = new Map<string, GivenName>();
  for (const given of properties) {
    const property = camelCase(given.name);
    const earlier = seen.get(property);
    if (earlier && earlier.origin !== given.origin) {
      throw invalidInput(
        `${given.origin} and ${earlier.origin} would both be the property ${property}.`,
        'Rename one of them.',
      );
    }
    seen.set(property, given);
  }
}
