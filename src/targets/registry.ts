/**
 * Every target joinery knows, in one list. Detection is cheap (package.json); a target's
 * modules load only once it is chosen. A project that matches two targets is refused unless
 * `--orm` names one: guessing would write the other ORM's code into it.
 */
import { invalidInput, projectProblem } from '../errors.js';
import type { Project } from '../project/project.js';
import { didYouMean } from '../rules/closest.js';
import { detectDrizzle } from './drizzle/detect.js';
import type { OrmTarget } from './target.js';
import { detectTypeorm } from './typeorm/detect.js';

export interface RegisteredTarget {
  /** As `--orm` spells it. */
  name: string;
  label: string;
  /** The package whose dependency `detect` looks for, for messages. */
  packageName: string;
  /** What in the project shows it uses this ORM (`drizzle-orm ^0.45.0`), or undefined. */
  detect(project: Project): string | undefined;
  load(): Promise<OrmTarget>;
}

export const TARGETS: readonly RegisteredTarget[] = [
  {
    name: 'drizzle',
    label: 'Drizzle',
    packageName: 'drizzle-orm',
    detect: detectDrizzle,
    load: async () => (await import('./drizzle/index.js')).drizzleTarget,
  },
  {
    name: 'typeorm',
    label: 'TypeORM',
    packageName: 'typeorm',
    detect: detectTypeorm,
    load: async () => (await import('./typeorm/index.js')).typeormTarget,
  },
];

/** The target of `project`: the one it uses, or the one `--orm` names among those it uses. */
export async function selectTarget(project: Project, orm?: string): Promise<OrmTarget> {
  const names = TARGETS.map((target) => target.name);
  if (orm !== undefined && !names.includes(orm)) {
    throw invalidInput(
      `--orm ${orm}: joinery has no such target${didYouMean(orm, names)}.`,
      `Pass one of: ${names.map((name) => `--orm ${name}`).join(', ')}.`,
    );
  }
  const found = TARGETS.map((target) => ({ target, evidence: target.detect(project) })).filter(
    (match): match is { target: RegisteredTarget; evidence: string } =>
      match.evidence !== undefined,
  );
  const manifest = `${project.root}/package.json`;
  if (orm !== undefined) {
    const chosen = found.find((match) => match.target.name === orm);
    if (!chosen) {
      const label = TARGETS.find((target) => target.name === orm)!.label;
      throw projectProblem(
        `--orm ${orm}: ${manifest} does not depend on ${label}${found.length > 0 ? ` (found ${found.map((match) => match.evidence).join(', ')})` : ''}.`,
        found.length > 0
          ? `Drop --orm, or pass ${found.map((match) => `--orm ${match.target.name}`).join(' or ')}.`
          : `Install ${label} in the project, or pass --cwd <project folder>.`,
      );
    }
    return chosen.target.load();
  }
  if (found.length === 0) {
    throw projectProblem(
      `No supported ORM in ${manifest} (looked for ${TARGETS.map((target) => target.packageName).join(' and ')}).`,
      'Run joinery in a Drizzle or TypeORM project, or pass --cwd <project folder>.',
    );
  }
  if (found.length > 1) {
    throw projectProblem(
      `${manifest} uses ${found.length} ORMs joinery generates for:\n${found.map((match) => `  ${match.target.label} (${match.evidence})`).join('\n')}`,
      `Choose one: ${found.map((match) => `--orm ${match.target.name}`).join(' or ')}.`,
    );
  }
  return found[0]!.target.load();
}
