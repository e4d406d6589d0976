/**
 * Formats changed files with the project's own Prettier (its installed version when it has one,
 * else ours) and its own config, inside the change set, before anything is shown or written.
 * Files the user owns are only reformatted when the project uses Prettier; otherwise a patch
 * would reformat their whole file. Files joinery owns (its manifest) are always formatted, so
 * they read the same whatever the project's setup.
 *
 * Only changed files are formatted. With Prettier 3 and a plain JSON config (the common case),
 * Prettier's standalone build and its parser plugins are used: CommonJS files that load from
 * joinery's compile cache, faster than Prettier's full API.
 * Other setups (YAML or JS configs, overrides, plugins, .editorconfig) go through the full API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Options } from 'prettier';
import { requireWithCompileCache, stageNotingCache } from '../compile-cache.js';
import { loadPrettier, type Prettier } from '../lazy.js';
import { projectProblem } from '../errors.js';
import { plural, progress, timed } from '../output.js';
import type { ChangeSet } from './change-set.js';
import { inferPrettierOptions } from './inferred-style.js';
import { readSimplePrettierConfig } from './prettier-config.js';

const FORMATTABLE = /\.(?:[cm]?[jt]sx?|json)$/;
/** Formatting this many files or more gets a progress line. */
const MANY_FILES = 10;

export interface FormatOptions {
  /** Files joinery owns: formatted even when the project has no Prettier config. */
  owned?: string[];
  /** Where a progress line goes when many files are formatted (default: the CLI's output). */
  progress?: (text: string) => void;
}

interface Formatter {
  label: string;
  /** `standalone`: Prettier's standalone build and plugins; `api`: its full API. */
  kind: 'standalone' | 'api';
  resolveConfig(file: string): Promise<Options | null>;
  format(text: string, options: Options & { filepath: string }): Promise<string>;
}

export async function formatChanges(
  changes: ChangeSet,
  options: FormatOptions = {},
): Promise<void> {
  const owned = new Set(options.owned ?? []);
  const pending = changes.listChanges().filter((change) => FORMATTABLE.test(change.file));
  if (pending.length === 0) return;
  const files = pending.map((change) => change.file);
  const prettier = await timed(stageNotingCache('load prettier'), () =>
    projectFormatter(changes.root, files),
  );
  if (pending.length >= MANY_FILES) {
    (options.progress ?? progress)(`Formatting ${pending.length} files with ${prettier.label} ...`);
  }
  await timed(
    `format ${plural(pending.length, 'file')} (${prettier.label}, ${prettier.kind})`,
    async () => {
      const neighbours = inferPrettierOptions(pending.flatMap((change) => change.before ?? []));
      for (const change of pending) {
        const config = await prettier.resolveConfig(change.file);
        let inferred = neighbours;
        if (change.kind === 'update' && config === null && !owned.has(change.file)) {
          // Without a config, a user's file is formatted only when its own style is one Prettier
          // reproduces as it stands: then only the inserted code changes, and it reads like the rest.
          inferred = inferPrettierOptions([change.before ?? '']);
          if (!(await reproduces(prettier, change.before ?? '', inferred, change.file))) continue;
        }
        const formatted = await prettier.format(change.after, {
          ...(config ?? inferred),
          filepath: change.file,
        });
        changes.write(change.file, formatted);
      }
    },
  );
}

/** Does Prettier with `options` leave `text` as it is? (False when it cannot parse it.) */
async function reproduces(
  prettier: Formatter,
  text: string,
  options: Options,
  file: string,
): Promise<boolean> {
  if (text === '') return false;
  try {
    return (await prettier.format(text, { ...options, filepath: file })) === text;
  } catch {
    return false;
  }
}

/** The folder of the Prettier the project installed, else of joinery's own. */
function prettierFolder(root: string): string {
  for (const base of [path.join(root, 'package.json'), import.meta.url]) {
    try {
      return path.dirname(createRequire(base).resolve('prettier/package.json'));
    } catch {
      // not installed there
    }
  }
  throw new Error('prettier is not installed');
}

async function projectFormatter(root: string, files: string[]): Promise<Formatter> {
  let folder: string | undefined;
  try {
    folder = prettierFolder(root);
  } catch {
    folder = undefined;
  }
  return (folder && standaloneFormatter(folder, files)) || fullFormatter(root);
}

const PLUGINS_BY_EXTENSION: [RegExp, string[]][] = [
  [/\.[cm]?tsx?$/, ['typescript', 'estree']],
  [/\.(?:[cm]?jsx?|json)$/, ['babel', 'estree']],
];

/**
 * Prettier 3's standalone build with the parser plugins these files need, when every file's config
 * is one `readSimplePrettierConfig` resolves; undefined otherwise.
 */
function standaloneFormatter(folder: string, files: string[]): Formatter | undefined {
  let version: string;
  try {
    version = String(JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).version);
  } catch {
    return undefined;
  }
  if (Number(version.split('.')[0]) < 3) return undefined;
  const configs = new Map<string, Options | null>();
  for (const file of files) {
    const dir = path.dirname(file);
    if (configs.has(dir)) continue;
    const config = readSimplePrettierConfig(dir);
    if (config.kind === 'unsupported') return undefined;
    configs.set(dir, config.kind === 'found' ? (config.options as Options) : null);
  }
  const pluginNames = new Set(
    files.flatMap(
      (file) => PLUGINS_BY_EXTENSION.find(([pattern]) => pattern.test(file))?.[1] ?? [],
    ),
  );
  const pluginFiles = [...pluginNames].map((name) => path.join(folder, 'plugins', `${name}.js`));
  const standaloneFile = path.join(folder, 'standalone.js');
  if (![standaloneFile, ...pluginFiles].every((file) => existsSync(file))) return undefined;
  const standalone = requireWithCompileCache<Pick<Prettier, 'format'>>(standaloneFile);
  const plugins = pluginFiles.map((file) => requireWithCompileCache<object>(file));
  return {
    label: `Prettier ${version}`,
    kind: 'standalone',
    resolveConfig: async (file) => configs.get(path.dirname(file)) ?? null,
    format: (text, options) =>
      standalone.format(text, { ...options, plugins: [...plugins] } as Options),
  };
}

async function fullFormatter(root: string): Promise<Formatter> {
  let prettier: Prettier;
  try {
    const require = createRequire(path.join(root, 'package.json'));
    const loaded = (await import(pathToFileURL(require.resolve('prettier')).href)) as Prettier & {
      default?: Prettier;
    };
    // The CommonJS entry arrives as a default export; the ESM one as named exports.
    prettier = typeof loaded.format === 'function' ? loaded : loaded.default!;
  } catch {
    prettier = await loadPrettier();
  }
  const explained = <T>(file: string, run: () => Promise<T>) =>
    run().catch((error: unknown) => explainMissingPackage(prettier, root, file, error));
  return {
    label: `Prettier ${prettier.version ?? ''}`.trim(),
    kind: 'api',
    resolveConfig: (file) =>
      explained(file, () => prettier.resolveConfig(file, { editorconfig: true })),
    format: (text, options) => explained(options.filepath, () => prettier.format(text, options)),
  };
}

/**
 * A plugin or shared config the project's Prettier config names but that is not installed (a
 * fresh clone before `npm install`) is the project's problem to fix, not a bug in joinery: exit 3
 * naming the config and the package. Anything else goes on as it was thrown.
 */
async function explainMissingPackage(
  prettier: Prettier,
  root: string,
  file: string,
  error: unknown,
): Promise<never> {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (!missing) throw error;
  const config = await prettier.resolveConfigFile(file).catch(() => null);
  const relative = (target: string) => path.relative(root, target).split(path.sep).join('/');
  throw projectProblem(
    `${config ? relative(config) : 'The Prettier config'} needs ${missing}, which is not installed, so joinery cannot format ${relative(file)} the way the project does.`,
    "Install the project's dependencies (npm install, or your package manager's install), then run joinery again.",
  );
}
