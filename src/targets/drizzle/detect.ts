/** Is this a Drizzle project? Cheap: read at every run, before any target module loads. */
import type { Project } from '../../project/project.js';

export function detectDrizzle(project: Project): string | undefined {
  const version = project.dependency('drizzle-orm');
  return version ? `drizzle-orm ${version}` : undefined;
}
