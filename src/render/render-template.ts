/** Renders a template from `templates/`; a template error names the template and line. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { ExitCode, JoineryError } from '../errors.js';

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export function renderTemplate(name: string, data: Record<string, unknown>): string {
  const file = `${TEMPLATES}${name}`;
  try {
    return ejs.render(readFileSync(file, 'utf8'), data, { filename: file, strict: false });
  } catch (error) {
    throw new JoineryError(
      `Template ${name} failed to render: ${(error as Error).message}`,
      ExitCode.internal,
      'This is a bug in joinery; please report it with the command you ran.',
    );
  }
}
