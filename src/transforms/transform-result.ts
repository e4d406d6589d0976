/**
 * What every transform returns, in every target: it added something (and says what, for
 * messages and migration names), found everything already there, or could not find the node it
 * edits (and says which, so the caller can tell the user precisely instead of guessing).
 */
export type TransformResult =
  | { status: 'added'; added: string[] }
  | { status: 'present' }
  | { status: 'missing'; anchor: string };

/** `added('role', 'index user_events_event_id_idx')`; with nothing listed, `present`. */
export function added(...what: string[]): TransformResult {
  return what.length > 0 ? { status: 'added', added: what } : present;
}

export const present: TransformResult = { status: 'present' };

/** `missing('the columns object of userEvents')` */
export function missing(anchor: string): TransformResult {
  return { status: 'missing', anchor };
}

/** What a result added (nothing when present or missing). */
export function addedBy(result: TransformResult): string[] {
  return result.status === 'added' ? result.added : [];
}
