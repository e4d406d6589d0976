/**
 * Reads the static values of an object literal in JavaScript or TypeScript text, without a parser:
 * a small tokenizer and a reader for `{ key: 'string', list: ['a', 'b'] }`. Config files
 * (drizzle.config.ts) need nothing more, and this costs microseconds where loading the TypeScript
 * compiler costs a third of a second. Anything computed at run time reads as undefined.
 */

type Token =
  | { kind: 'string'; value: string }
  /** A template literal with `${...}`: not static. */
  | { kind: 'template' }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: string };

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** Splits source text into strings, words and punctuation; comments and whitespace vanish. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readString = (quote: string): { value: string; static: boolean } => {
    let value = '';
    let isStatic = true;
    i++;
    while (i < text.length && text[i] !== quote) {
      const char = text[i]!;
      if (char === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u' && text[i + 2] === '{') {
          const end = text.indexOf('}', i);
          value += String.fromCodePoint(parseInt(text.slice(i + 3, end), 16));
          i = end + 1;
        } else if (next === 'u' || next === 'x') {
          const length = next === 'u' ? 4 : 2;
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 2 + length), 16));
          i += 2 + length;
        } else if (next === '\n') {
          i += 2;
        } else {
          value += ESCAPES[next] ?? next;
          i += 2;
        }
      } else if (quote === '`' && char === '$' && text[i + 1] === '{') {
        isStatic = false;
        i = skipSubstitution(text, i + 2);
      } else {
        value += char;
        i++;
      }
    }
    i++;
    return { value, static: isStatic };
  };
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (char === '"' || char === "'" || char === '`') {
      const { value, static: isStatic } = readString(char);
      tokens.push(isStatic ? { kind: 'string', value } : { kind: 'template' });
    } else if (/[\w$]/.test(char)) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i]!)) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i) });
    } else if (char === '.' && text.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...' });
      i += 3;
    } else if (char === '=' && text[i + 1] === '>') {
      tokens.push({ kind: 'punct', value: '=>' });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', value: char });
      i++;
    }
  }
  return tokens;
}

/** Index just past the `}` closing a template substitution that starts at `start`. */
function skipSubstitution(text: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < text.length && depth > 0) {
    const char = text[i]!;
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (char === '"' || char === "'" || char === '`') {
      const quote = char;
      i++;
      while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return i;
}

/** Static values of one object literal; `keys` also lists properties whose value is computed. */
export interface ObjectLiteralValues {
  values: Record<string, unknown>;
  keys: Set<string>;
  /** Keys written `key: value` (not shorthand, spread or method). */
  assigned: Set<string>;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** A `{` after these starts a block, an import/export list or a destructuring pattern. */
const NOT_AN_OBJECT_AFTER = new Set([
  'import',
  'export',
  'const',
  'let',
  'var',
  'type',
  'interface',
  'class',
  'enum',
  'namespace',
  'else',
  'try',
  'finally',
  'do',
  ')',
  '=>',
]);

/**
 * Every object literal in `text`, outermost first (document order of their `{`), with the
 * static values of their properties.
 */
export function readObjectLiterals(text: string): ObjectLiteralValues[] {
  const tokens = tokenize(text);
  const found: ObjectLiteralValues[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'punct' || token.value !== '{') return;
    const previous = tokens[index - 1];
    if (previous && 'value' in previous && NOT_AN_OBJECT_AFTER.has(previous.value)) return;
    const object = readObject(tokens, index);
    if (object) found.push(object.result);
  });
  return found;
}

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

/** Reads `{ ... }` starting at `start`; undefined when the braces do not hold an object literal. */
function readObject(
  tokens: Token[],
  start: number,
): { result: ObjectLiteralValues; end: number } | undefined {
  const result: ObjectLiteralValues = { values: {}, keys: new Set(), assigned: new Set() };
  let i = start + 1;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (isPunct(token, '}')) return { result, end: i + 1 };
    if (isPunct(token, '...')) {
      i = skipExpression(tokens, i + 1);
    } else {
      let key: string | undefined;
      if (token.kind === 'word' || token.kind === 'string') key = token.value;
      else if (isPunct(token, '[')) i = skipBalanced(tokens, i) - 1;
      else return undefined;
      const next = tokens[i + 1];
      if (isPunct(next, ':')) {
        const { value, end } = readValue(tokens, i + 2);
        if (key !== undefined) {
          result.keys.add(key);
          result.assigned.add(key);
          if (value !== undefined) result.values[key] = value;
        }
        i = end;
      } else if (isPunct(next, '(')) {
        // A method: `key() { ... }`.
        i = skipBalanced(tokens, i + 1);
        if (isPunct(tokens[i], ':')) i = skipType(tokens, i + 1);
        if (!isPunct(tokens[i], '{')) return undefined;
        i = skipBalanced(tokens, i);
        if (key !== undefined) result.keys.add(key);
      } else if (isPunct(next, ',') || isPunct(next, '}')) {
        if (key !== undefined) result.keys.add(key);
        i++;
      } else {
        return undefined;
      }
    }
    if (isPunct(tokens[i], ',')) i++;
    else if (!isPunct(tokens[i], '}')) return undefined;
  }
  return undefined;
}

/** A static string, or an array of them; undefined (and skipped) for anything else. */
function readValue(tokens: Token[], start: number): { value: unknown; end: number } {
  const token = tokens[start];
  let value: unknown;
  let i = start;
  if (token?.kind === 'string') {
    value = token.value;
    i++;
  } else if (isPunct(token, '[')) {
    const values: unknown[] = [];
    i++;
    let isStatic = true;
    while (i < tokens.length && !isPunct(tokens[i], ']')) {
      const element = readValue(tokens, i);
      if (typeof element.value !== 'string') isStatic = false;
      values.push(element.value);
      i = element.end;
      if (isPunct(tokens[i], ',')) i++;
      else if (!isPunct(tokens[i], ']')) {
        isStatic = false;
        i = skipExpression(tokens, i);
      }
    }
    i++;
    value = isStatic ? values : undefined;
  } else {
    return { value: undefined, end: skipExpression(tokens, start) };
  }
  const next = tokens[i];
  if (next?.kind === 'word' && (next.value === 'as' || next.value === 'satisfies')) {
    return { value, end: skipExpression(tokens, i) };
  }
  if (isPunct(next, ',') || isPunct(next, '}') || isPunct(next, ']')) return { value, end: i };
  // `'a' + b`, `'x'.trim()`: computed.
  return { value: undefined, end: skipExpression(tokens, i) };
}

/** Index of the `,`, `}`, `]` or `)` that ends the expression starting at `start`. */
function skipExpression(tokens: Token[], start: number): number {
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.kind === 'punct') {
      if (token.value in OPENERS) {
        i = skipBalanced(tokens, i);
        continue;
      }
      if (token.value === ',' || token.value === '}' || token.value === ']' || token.value === ')')
        return i;
    }
    i++;
  }
  return i;
}

/** A return type annotation before a method body: up to its `{`. */
function skipType(tokens: Token[], start: number): number {
  let i = start;
  while (i < tokens.length && !isPunct(tokens[i], '{')) {
    const token = tokens[i]!;
    i =
      token.kind === 'punct' && (token.value === '(' || token.value === '[')
        ? skipBalanced(tokens, i)
        : i + 1;
  }
  return i;
}

/** Index just past the bracket that closes the one at `start`. */
function skipBalanced(tokens: Token[], start: number): number {
  const stack: string[] = [];
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    i++;
    if (token.kind !== 'punct') continue;
    if (token.value in OPENERS) stack.push(OPENERS[token.value]!);
    else if (token.value === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return i;
}
