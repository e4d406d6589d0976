/** Is this a TypeORM project? Cheap: read at every run, before any target module loads. */
import type { Project } from '../../project/project.js';

export function detectTypeorm(project: Project): string | undefined {
  const version = project.dependency('typeorm');
  return version ? `typeorm ${version}` : undefined;
}
