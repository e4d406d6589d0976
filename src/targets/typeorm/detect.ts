/** Is this a TypeORM project? Cheap: read at every run, before any target module loads. */
import type { Project } from '../../project/project.js';

export function detectTypeorm(project: Project): string | undefined {
  const name = typeormPackage(project);
  const version = project.dependency(name);
  return version ? `${name} ${version}` : undefined;
}

/**
 * The package the project imports TypeORM from: `typeorm`, or a fork published under another
 * name with the same API (`@n8n/typeorm`) when the project depends on that alone.
 */
export function typeormPackage(project: Project): string {
  if (project.dependency('typeorm')) return 'typeorm';
  return FORKS.find((name) => project.dependency(name)) ?? 'typeorm';
}
const FORKS = ['@n8n/typeorm'];
