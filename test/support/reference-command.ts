/**
 * The reference command of the issue, defined once: the e2e tests, the bench
 * (scripts/bench/) and the example (scripts/example.ts) all run exactly these arguments, so a
 * change to the command shows in all three at once.
 */
export const REFERENCE_ARGS: string[] = [
  'gen',
  'resource',
  'Accounts',
  'UserEvent',
  '--primary-key',
  'user_id,event_id',
  '--attributes',
  'user_id:uuid:required',
  '--attributes',
  'event_id:uuid:required',
];

/** The command as a reader types it, for titles and messages. */
export const REFERENCE_COMMAND_LINE = ['joinery', ...REFERENCE_ARGS].join(' ');
