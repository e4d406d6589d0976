/**
 * Names that are reserved words, shadow globals or collide with the ORM's imports, through the
 * built CLI on both ORMs: each is either accepted, and then everything generated type-checks
 * (Drizzle's schema also loads in drizzle-kit) and the printed usage parses, or refused with exit
 * 2 and a message naming it, with no file changed. Never exit 0 with broken code, never exit 4.
 */
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrizzleKit, runJoinery, typecheck, type RunResult } from '../support/cli.js';
import { cleanup, copyFixture, diffTrees, snapshotTree } from '../support/fixture.js';

/** Reserved words (strict mode included): accepted, locals named after them escaped. */
const RESERVED = [
  'Package',
  'Interface',
  'Class',
  'Default',
  'Delete',
  'Function',
  'Import',
  'Enum',
];
/** Class names TypeORM would declare beside globals or its own imports; Drizzle declares none. */
const CLASS_CLASHES = ['Object', 'Promise', 'Error', 'Entity', 'Column'];

const snake = (name: string) => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
const resource = (name: string) => ['gen', 'resource', 'Works', name, '--uuid-primary-key', 'id'];
/** The resource with a join to User in one run: its name on the join's source side. */
const withJoin = (name: string) => [
  ...resource(name),
  '-a',
  'title:string',
  '-r',
  'many_to_many:users:Accounts.User',
  '--helpers',
];
const join = (name: string) => [
  'gen',
  'resource',
  'Accounts',
  `User${name}`,
  '--primary-key',
  `user_id,${snake(name)}_id`,
  '--helpers',
];
/** Attributes and a belongs_to named with reserved words; the usage prints locals for them. */
const RESERVED_PROPERTIES = [
  'gen',
  'resource',
  'Works',
  'Venue',
  '--uuid-primary-key',
  'id',
  '-a',
  'default:string:required,delete:boolean:required,class:text,enum:string,import:string',
  '-r',
  'belongs_to:package:Accounts.User:required',
];

interface Target {
  fixture: string;
  /** Extra flags for the accepted runs (Drizzle's migration is proven once, at the end). */
  flags: string[];
  accepted: string[];
  refused: string[];
}

const TARGETS: Target[] = [
  {
    fixture: 'drizzle-pg-domains',
    flags: ['--no-migration'],
    accepted: [...RESERVED, ...CLASS_CLASHES],
    refused: [],
  },
  { fixture: 'typeorm-pg', flags: [], accepted: RESERVED, refused: CLASS_CLASHES },
];

/** The printed usage's code lines, wrapped in a function, parse as TypeScript. */
function usageSyntaxErrors(stdout: string): string[] {
  const code = stdout
    .split('\n')
    .filter((line) => line.startsWith('  ') && !/^\s+(created|updated) /.test(line))
    .join('\n');
  const file = ts.createSourceFile('usage.ts', `async function usage() {\n${code}\n}`, 99);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function expectAccepted(run: RunResult): void {
  expect(run.stderr.replace(/^Running drizzle-kit.*$/gm, '').trim()).toBe('');
  expect(run.exitCode).toBe(0);
  expect(usageSyntaxErrors(run.stdout)).toEqual([]);
}

const dirs = new Map<string, string>();
beforeAll(async () => {
  for (const target of TARGETS) dirs.set(target.fixture, await copyFixture(target.fixture));
});
afterAll(() => cleanup(...dirs.values()));

describe.each(TARGETS)('$fixture', ({ fixture, flags, accepted, refused }) => {
  it('accepts reserved words (escaped where they name locals) and everything compiles', async () => {
    const dir = dirs.get(fixture)!;
    for (const name of accepted) {
      expectAccepted(await runJoinery(dir, [...withJoin(name), ...flags]));
    }
    // The other side of a join: the name on its target key.
    expectAccepted(await runJoinery(dir, [...join(accepted[0]!), ...flags]));
    const properties = await runJoinery(dir, [...RESERVED_PROPERTIES, ...flags]);
    expectAccepted(properties);
    expect(properties.stdout).toMatch(/const package_ = await/);
    expect(properties.stdout).toMatch(/default: default_, delete: delete_/);

    const checked = await typecheck(dir);
    expect(checked.stdout).toBe('');
    expect(checked.exitCode).toBe(0);
    if (fixture.startsWith('drizzle')) {
      // drizzle-kit imports the schema entry under Node: every generated module must load.
      const kit = await runDrizzleKit(dir, ['generate', '--name', 'reserved_names']);
      expect(kit.stderr).not.toMatch(/Error/);
      expect(kit.exitCode).toBe(0);
    }
    // Second runs change nothing.
    const before = await snapshotTree(dir);
    expect((await runJoinery(dir, [...withJoin(accepted[0]!), ...flags])).exitCode).toBe(0);
    expect(diffTrees(before, await snapshotTree(dir)).changed).toEqual([]);
  }, 400_000);

  const refusals: [string, string[], RegExp][] = [
    ...refused.map((name): [string, string[], RegExp] => [
      name,
      resource(name),
      new RegExp(`the generated class ${name} would collide with`),
    ]),
    ...refused.map((name): [string, string[], RegExp] => [
      `User${name}`,
      join(name),
      new RegExp(`refers to ${name}\\): the generated class ${name} would collide with`),
    ]),
    [
      'Relation',
      resource('Relation'),
      /the resource Works\.Relation: the generated (variable relations|class Relation) would collide with/,
    ],
    ['Constructor', join('Constructor'), /"constructor" is a member every JavaScript object has/],
    [
      '-a constructor',
      [...resource('Gadget'), '-a', 'constructor:string'],
      /attribute constructor: "constructor" is a member every JavaScript object has/,
    ],
    [
      '-a class with -r belongs_to:class',
      [...resource('Gadget'), '-a', 'class:string', '-r', 'belongs_to:class:Accounts.User'],
      /belongs_to class and attribute class would both be the property class/,
    ],
  ];
  it.each(refusals)('refuses %s (exit 2, nothing changed)', async (_name, args, message) => {
    const dir = dirs.get(fixture)!;
    const before = await snapshotTree(dir);
    const result = await runJoinery(dir, args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.exitCode).toBe(2);
    expect(diffTrees(before, await snapshotTree(dir))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });
});
