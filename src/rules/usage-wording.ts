/** Sentences both targets' usage texts say alike, so the same rule reads the same everywhere. */
import type { OnDeleteRule } from '../flags/types.js';
import { articleFor, camelCase } from './naming.js';

const ON_DELETE_EFFECT: Record<OnDeleteRule, (rows: string, column: string) => string> = {
  cascade: (rows, column) => `deletes its ${rows} (cascade on ${column})`,
  restrict: (rows, column) => `is refused while ${rows} refer to it (restrict on ${column})`,
  'set-null': (rows, column) => `sets ${column} of its ${rows} to null (set null)`,
};

/** `Deleting a user deletes its events (cascade on organizer_id).` */
export function onDeleteSentence(
  destination: string,
  rule: OnDeleteRule,
  rows: string,
  column: string,
): string {
  return `Deleting ${articleFor(destination)} ${camelCase(destination)} ${ON_DELETE_EFFECT[rule](rows, column)}.`;
}
