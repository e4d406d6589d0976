/** Which target a project gets: the one it uses, or the one --orm names; never a silent guess. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, JoineryError } from '../../src/errors.js';
import { loadProject } from '../../src/project/project.js';
import { selectTarget, TARGETS } from '../../src/targets/registry.js';

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

async function projectWith(dependencies: Record<string, string>) {
  const root = await mkdtemp(path.join(tmpdir(), 'joinery-registry-'));
  temps.push(root);
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'x', dependencies }));
  return loadProject(root);
}

async function failure(promise: Promise<unknown>): Promise<JoineryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof JoineryError)) throw new Error(`expected a JoineryError, got ${error}`);
  return error;
}

const DRIZZLE = { 'drizzle-orm': '^0.45.0' };
const TYPEORM = { typeorm: '^0.3.20' };

describe('selectTarget', () => {
  it('lists every target once, each with a distinct --orm name', () => {
    expect(TARGETS.map((target) => target.name)).toEqual(['drizzle', 'typeorm']);
  });

  it.each([
    [DRIZZLE, undefined, 'drizzle'],
    [TYPEORM, undefined, 'typeorm'],
    [{ ...DRIZZLE, ...TYPEORM }, 'typeorm', 'typeorm'],
    [{ ...DRIZZLE, ...TYPEORM }, 'drizzle', 'drizzle'],
    [DRIZZLE, 'drizzle', 'drizzle'],
  ])('%j with --orm %s → %s', async (dependencies, orm, expected) => {
    const target = await selectTarget(await projectWith(dependencies), orm);
    expect(target.name).toBe(expected);
    expect(target.capabilities.formatter).toBe('prettier');
  });

  it('declares where each target migration comes from', async () => {
    const drizzle = await selectTarget(await projectWith(DRIZZLE));
    const typeorm = await selectTarget(await projectWith(TYPEORM));
    expect(drizzle.capabilities.migration).toBe('tool');
    expect(drizzle.pendingMigrations).toBeTypeOf('function');
    expect(typeorm.capabilities.migration).toBe('source');
  });

  it('refuses a project with both ORMs, listing both and the flag to choose', async () => {
    const error = await failure(selectTarget(await projectWith({ ...DRIZZLE, ...TYPEORM })));
    expect(error.exitCode).toBe(ExitCode.projectProblem);
    expect(error.message).toContain('Drizzle (drizzle-orm ^0.45.0)');
    expect(error.message).toContain('TypeORM (typeorm ^0.3.20)');
    expect(error.hint).toBe('Choose one: --orm drizzle or --orm typeorm.');
  });

  it('refuses an unknown --orm as bad input, with the nearest name', async () => {
    const error = await failure(selectTarget(await projectWith(DRIZZLE), 'drizle'));
    expect(error.exitCode).toBe(ExitCode.invalidInput);
    expect(error.message).toContain('did you mean "drizzle"');
  });

  it('refuses --orm naming an ORM the project does not use', async () => {
    const error = await failure(selectTarget(await projectWith(DRIZZLE), 'typeorm'));
    expect(error.exitCode).toBe(ExitCode.projectProblem);
    expect(error.message).toContain('does not depend on TypeORM (found drizzle-orm ^0.45.0)');
    expect(error.hint).toBe('Drop --orm, or pass --orm drizzle.');
  });

  it('refuses a project with no ORM', async () => {
    const error = await failure(selectTarget(await projectWith({})));
    expect(error.message).toMatch(/No supported ORM .* \(looked for drizzle-orm and typeorm\)/);
  });
});
