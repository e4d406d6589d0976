/** Picks the ORM target from the project's dependencies; each target loads only when chosen. */
import { projectProblem } from '../errors.js';
import type { Project } from '../project/project.js';
import type { JoinTarget } from './target.js';

export async function selectTarget(project: Project): Promise<JoinTarget> {
  if (project.dependency('drizzle-orm')) {
    const { drizzleTarget } = await import('./drizzle/index.js');
    return drizzleTarget as unknown as JoinTarget;
  }
  if (project.dependency('typeorm')) {
    const { typeormTarget } = await import('./typeorm/index.js');
    return typeormTarget as unknown as JoinTarget;
  }
  throw projectProblem(
    `No supported ORM in ${project.root}/package.json (looked for drizzle-orm and typeorm).`,
    'Run joinery in a Drizzle or TypeORM project, or pass --cwd <project folder>.',
  );
}
