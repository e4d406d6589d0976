import pluralize from 'pluralize';

/** Splits `UserEvent`, `user_event`, `userEvent` or `user-event` into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

export const snakeCase = (name: string): string => words(name).join('_');
export const kebabCase = (name: string): string => words(name).join('-');

export function camelCase(name: string): string {
  return words(name)
    .map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** Pluralizes the last word only: `user_event` → `user_events`, `UserEvent` → `UserEvents`. */
export function pluralizeLast(name: string): string {
  const match = /^(.*?)([A-Za-z][a-z0-9]*|[a-z0-9]+)$/.exec(name);
  if (!match) return pluralize.plural(name);
  return match[1]! + pluralize.plural(match[2]!);
}

export function singularizeLast(name: string): string {
  const match = /^(.*?)([A-Za-z][a-z0-9]*|[a-z0-9]+)$/.exec(name);
  if (!match) return pluralize.singular(name);
  return match[1]! + pluralize.singular(match[2]!);
}

/** `an event`, `a user`, `a unit`: by the sound of the first letter, near enough for names. */
export function articleFor(name: string): 'a' | 'an' {
  return /^([aeio]|u(?!s|ni|ti|ri))/i.test(name) ? 'an' : 'a';
}
