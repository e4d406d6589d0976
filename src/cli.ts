/**
 * The command line: commander parses, each command lazy-loads its module, and this file is the
 * only place that prints errors and sets the exit code. Importing it loads no heavy module.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, JoineryError } from './errors.js';
import { interruptionError } from './interruption.js';
import { colors, formatTimings, stageTimings } from './output.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  success, or already current
  1  check / --check: generated code is not current (a diff is printed)
  2  invalid input: flags, names, types, or a malformed config, package.json or joinery.json
  3  project problem: resource not found or ambiguous, parse error, tool missing or failing,
     a file changed while joinery ran, a file not UTF-8 or read-only, Drizzle's out
     outside the project, another joinery run holds the lock
  4  internal error (please report it; --verbose shows the stack)
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM: nothing was changed`;

const examples = (...lines: string[]) =>
  `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
const GEN_EXAMPLE =
  'joinery gen resource Accounts UserEvent --primary-key user_id,event_id \\\n' +
  '      --attributes user_id:uuid:required --attributes event_id:uuid:required';

/** A repeatable option: its values in order. Absent options are undefined, not `[]`, so help
 * shows no `(default: [])`; `list()` reads them. */
const collect = (value: string, previous: string[] = []) => [...previous, value];
const list = (values: string[] | undefined) => values ?? [];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return String(manifest.version);
}

interface GlobalOptions {
  cwd: string;
  /** --orm: which target, in a project that uses more than one ORM. */
  orm: string | undefined;
  quiet: boolean;
  yes: boolean;
}

/**
 * The options every command takes. They carry no commander defaults (help would print
 * `(default: false)`, and the current folder as `--cwd`'s default); the defaults are here.
 */
function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<Partial<GlobalOptions>>();
  return {
    cwd: options.cwd ?? process.cwd(),
    orm: options.orm,
    quiet: options.quiet === true,
    yes: options.yes === true,
  };
}

/** The `[Y/n]` question only when a person can answer it: stdin is a terminal and no --yes. */
async function confirmFor(globals: GlobalOptions) {
  if (globals.yes || !process.stdin.isTTY) return undefined;
  const { askOnTerminal } = await import('./commands/confirm.js');
  return askOnTerminal;
}

export function buildProgram(): Command {
  const program = new Command('joinery')
    .description(
      'Generate many-to-many join resources for Drizzle and TypeORM projects: the join\n' +
        'table or entity, both relationships (patched through the TypeScript AST) and the\n' +
        'migration, in one command.',
    )
    .version(version(), '-v, --version')
    .option('--cwd <dir>', 'project folder (default: the current folder)')
    .option('--orm <name>', 'drizzle or typeorm, when the project depends on both')
    .option('-q, --quiet', 'print only results and errors')
    .option('--verbose', 'print timings per stage (and stack traces of internal errors)')
    .option('-y, --yes', 'write without asking (joinery asks only when stdin is a terminal)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples(
        `npx ${GEN_EXAMPLE}`,
        'npx joinery gen resource Accounts.UserEvent --primary-key user_id,event_id --dry-run',
        'npx joinery check          # in CI: exit 1 when generated code is not current',
        'npx joinery sync --yes     # apply what a merge brought into joinery.json',
        "npx joinery migrate        # apply pending migrations with the ORM's own tool",
      ) +
        '\n\nEach command has its own help: joinery gen resource --help, joinery check --help, ...',
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();

  const gen = program
    .command('gen')
    .description('generate code')
    .addHelpText('after', examples(GEN_EXAMPLE, 'joinery gen resource --help'))
    .exitOverride();
  gen
    .command('resource')
    .description(
      'generate a resource: a join relating two resources, or a plain table/entity with its belongs_to relationships',
    )
    .argument('<domain>', 'domain, e.g. Accounts (or Accounts.UserEvent)')
    .argument('[resource]', 'resource name, e.g. UserEvent')
    .option(
      '--primary-key <names>',
      'primary-key attributes, comma separated (e.g. user_id,event_id)',
      collect,
    )
    .option('-a, --attribute <spec>', 'name:type[:modifiers], comma list or repeated', collect)
    .option('--attributes <spec>', 'same as --attribute', collect)
    .option(
      '-r, --relationship <spec>',
      'type:name:Destination[:modifiers], e.g. belongs_to:user:Accounts.User:primary_key',
      collect,
    )
    .option('--timestamps', 'add inserted_at and updated_at')
    .option(
      '--uuid-primary-key <name>',
      'a random uuid primary key the database generates (plain resources)',
    )
    .option(
      '--uuid-v7-primary-key <name>',
      'a time-ordered uuid v7 primary key, generated in code (plain resources)',
    )
    .option(
      '--integer-primary-key <name>',
      'an identity/autoincrement integer primary key (plain resources)',
    )
    .addOption(
      new Option(
        '--on-delete <rule>',
        "what deleting a belongs_to's destination does to this resource's rows (default: restrict)",
      ).choices(['cascade', 'restrict', 'set-null']),
    )
    .option(
      '--table <name>',
      'table name (default: plural snake_case of the resource, e.g. user_events)',
    )
    .addOption(
      new Option(
        '--conflicts <mode>',
        'when the resource exists: ignore (default) adds what is missing and keeps the rest; replace regenerates it from the template',
      ).choices(['ignore', 'replace']),
    )
    .option('--force', 'same as --conflicts replace')
    .option('--ignore-if-exists', 'do nothing when the resource already exists')
    .option('--helpers', 'also generate typed load/append/remove/set helpers for the join')
    .option(
      '--directions <names>',
      "a join's two direction names, first key's first (e.g. following,followers)",
      collect,
    )
    .option(
      '--join-keys <names>',
      'the keys of the join a self many_to_many makes, this resource first (e.g. follower_id,followee_id)',
      collect,
    )
    .option(
      '--migration-name <name>',
      'migration name (default: create_<table>_join_table, create_<table>_table)',
    )
    .option('--no-migration', 'do not generate the migration')
    .option('--dry-run', 'print unified diffs of what would change; write nothing')
    .option('--check', 'exit 1 with a diff when the generated code is not current; write nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ joinery gen resource Accounts UserEvent --primary-key user_id,event_id \\
      --attributes user_id:uuid:required --attributes event_id:uuid:required
  $ joinery gen resource Accounts.UserEvent --primary-key user_id,event_id -a role:string:required --timestamps
  $ joinery gen resource Accounts UserEvent -r belongs_to:user:Accounts.User:primary_key \\
      -r belongs_to:event:Works.Event:primary_key --dry-run
  $ joinery gen resource Works Event --uuid-primary-key id -a title:string:required \\
      -a starts_at:utc_datetime --timestamps -r belongs_to:organizer:Accounts.User:required
  $ joinery gen resource Accounts User -r many_to_many:events:Accounts.UserEvent:Works.Event
  $ joinery gen resource Accounts User -r has_many:hosted_events:Works.Event
  $ joinery gen resource Accounts Follow -r belongs_to:follower:Accounts.User:primary_key \\
      -r belongs_to:followee:Accounts.User:primary_key --directions following,followers
  $ joinery gen resource Accounts User -r many_to_many:following:Accounts.Follow:Accounts.User \\
      --join-keys follower_id,followee_id

Types: uuid string text integer bigint boolean float decimal date utc_datetime
       utc_datetime_usec naive_datetime map json
Modifiers: primary_key public required sensitive array
Relationships: belongs_to has_many many_to_many (has_one: not yet)
Relationship modifiers: primary_key public required on_delete_cascade on_delete_restrict
       on_delete_set_null
${EXIT_CODES_HELP}`,
    )
    .exitOverride()
    .action(async (domain: string, resource: string | undefined, flags, command: Command) => {
      const globals = globalsOf(command);
      const { buildResourceSpec } = await import('./flags/parse-flags.js');
      if (flags.force && flags.conflicts === 'ignore') {
        const { invalidInput } = await import('./errors.js');
        throw invalidInput(
          '--force and --conflicts ignore exclude each other.',
          'Pass --force (= --conflicts replace) or --conflicts ignore.',
        );
      }
      const spec = buildResourceSpec({
        names: resource ? [domain, resource] : [domain],
        primaryKey: list(flags.primaryKey),
        attributes: [...list(flags.attributes), ...list(flags.attribute)],
        relationships: list(flags.relationship),
        timestamps: flags.timestamps === true,
        uuidPrimaryKey: flags.uuidPrimaryKey,
        uuidV7PrimaryKey: flags.uuidV7PrimaryKey,
        integerPrimaryKey: flags.integerPrimaryKey,
        onDelete: flags.onDelete,
        table: flags.table,
        conflicts: flags.force ? 'replace' : flags.conflicts,
        ignoreIfExists: flags.ignoreIfExists === true,
        helpers: flags.helpers === true,
        directions: list(flags.directions),
        joinKeys: list(flags.joinKeys),
      });
      if (flags.migrationName !== undefined) {
        const { parseAttributeName } = await import('./flags/parse-flags.js');
        parseAttributeName(flags.migrationName, '--migration-name');
      }
      const { genResource } = await import('./commands/gen-resource.js');
      const { consoleOutput } = await import('./output.js');
      const result = await genResource(
        {
          cwd: globals.cwd,
          orm: globals.orm,
          spec,
          mode: flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write',
          migration: flags.migration,
          migrationName: flags.migrationName,
          confirm: flags.check || flags.dryRun ? undefined : await confirmFor(globals),
        },
        consoleOutput({ quiet: globals.quiet }),
      );
      process.exitCode = result.exitCode;
    });

  program
    .command('check')
    .description(
      'replay every resource recorded in joinery.json as a dry run (for CI): exit 1 with the diff when generated code or migrations are not current, 0 when current',
    )
    .option('--json', 'print a machine-readable report on stdout')
    .addHelpText(
      'after',
      examples(
        'npx joinery check',
        'npx joinery check --json > joinery-check.json',
        'npx joinery check --quiet --cwd packages/api',
      ),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .action(async (flags: { json?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const { check } = await import('./commands/check.js');
      const { consoleOutput } = await import('./output.js');
      const result = await check(
        { cwd: globals.cwd, orm: globals.orm, json: flags.json === true },
        consoleOutput({ quiet: globals.quiet || flags.json === true }),
      );
      process.exitCode = result.exitCode;
    });

  program
    .command('sync')
    .description(
      'apply every resource recorded in joinery.json (after a merge, or after editing it by hand)',
    )
    .addHelpText('after', examples('npx joinery sync', 'npx joinery sync --yes --cwd packages/api'))
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .action(async (_flags, command: Command) => {
      const globals = globalsOf(command);
      const { sync } = await import('./commands/sync.js');
      const { consoleOutput } = await import('./output.js');
      const result = await sync(
        { cwd: globals.cwd, orm: globals.orm, confirm: await confirmFor(globals) },
        consoleOutput({ quiet: globals.quiet }),
      );
      process.exitCode = result.exitCode;
    });

  program
    .command('migrate')
    .description(
      "apply pending migrations with the ORM's own tool (drizzle-kit migrate, typeorm migration:run)",
    )
    .addHelpText('after', examples('npx joinery migrate', 'npx joinery migrate --cwd apps/api'))
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .action(async (_flags, command: Command) => {
      const globals = globalsOf(command);
      const { loadProject } = await import('./project/project.js');
      const { selectTarget } = await import('./targets/registry.js');
      const project = loadProject(globals.cwd);
      const target = await selectTarget(project, globals.orm);
      const output = await target.migrate(project);
      if (!globals.quiet && output) process.stdout.write(`${output}\n`);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  // `joinery … | head` closes the pipe early; that is the reader's choice, not an error. Exiting
  // there would end the run midway (half its entries, the lock left): later output is dropped
  // and the run goes on to its end.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.write = () => true;
    });
  }
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? ExitCode.success);
  } catch (error) {
    return report(error, verbose);
  } finally {
    if (verbose) process.stderr.write(`${formatTimings(stageTimings(), performance.now())}\n`);
  }
}

function report(thrown: unknown, verbose: boolean): number {
  // Once a signal came, whatever failed on the way out (drizzle-kit stopped, a restore) was its
  // consequence: the run reports the signal.
  const error = interruptionError() ?? thrown;
  if (error instanceof CommanderError) {
    // commander has printed its message (and a "did you mean" suggestion) already.
    if (error.exitCode === 0) return ExitCode.success;
    return ExitCode.invalidInput;
  }
  const red = colors(process.stderr).red;
  if (error instanceof JoineryError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    if (verbose && error.details) process.stderr.write(`${error.details}\n`);
    if (verbose && error.exitCode === ExitCode.internal) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${red('internal error:')} ${(error as Error)?.message ?? String(error)}\n`);
  process.stderr.write(
    verbose
      ? `${(error as Error)?.stack}\n`
      : '  This is a bug in joinery. Re-run with --verbose and report the output.\n',
  );
  return ExitCode.internal;
}
