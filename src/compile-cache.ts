/**
 * A V8 code cache for the big CommonJS files joinery loads: ts-morph with the TypeScript compiler
 * it bundles (~13 MB of JavaScript) and Prettier's standalone build and parser plugins. Node's
 * CommonJS loader compiles them on every run (~105 ms for TypeScript alone on these machines);
 * with the cache V8 deserializes their code instead (~16 ms): `gen --dry-run` measured 294 ms
 * instead of 496 (bench medians, Node 20).
 *
 * Node >= 22.1 does this itself (`module.enableCompileCache()`, which also covers ES modules). On
 * Node 20 the files go through `vm.Script` with V8 cached data, written once a resource is planned
 * and formatted (`saveCompileCache`) so that it also holds the functions compiled lazily. Only
 * files of at least `MIN_CACHED_BYTES` go through it: for small ones a cache read costs about what
 * it saves.
 *
 * The cache lives in `node_modules/.cache/joinery`, the convention of find-cache-dir, beside the
 * installed files it was compiled from: owned by whoever installed them, and gone with them.
 * Entries are keyed by Node version, file, size and mtime (one entry per file: an upgrade replaces
 * it), and V8 rejects data made with other flags. Any failure falls back to a plain `require`;
 * `NODE_DISABLE_COMPILE_CACHE=1` (Node's own switch) turns it off.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const require = createRequire(import.meta.url);

/** Smaller CommonJS files are left to Node's loader. */
export const MIN_CACHED_BYTES = 64 * 1024;

interface InternalModule {
  exports: unknown;
  require(id: string): unknown;
}
type ExtensionHandler = (module: InternalModule, filename: string) => void;
/** The parts of Node's CommonJS `Module` the cache hooks into (stable since Node 12). */
interface InternalModuleStatic {
  wrapper?: readonly [string, string];
  _resolveFilename(
    request: string,
    parent: InternalModule,
    isMain: boolean,
    options?: unknown,
  ): string;
  _extensions: Record<string, ExtensionHandler>;
  _cache: unknown;
}

const counts = { hits: 0, misses: 0 };

/**
 * A `timed` stage name that, asked for when the stage ends, says what the cache did meanwhile:
 * `load ts-morph (3 from the compile cache)`.
 */
export function stageNotingCache(stage: string): () => string {
  const before = { ...counts };
  return () => {
    const hits = counts.hits - before.hits;
    const misses = counts.misses - before.misses;
    const note = [
      hits ? `${hits} from the compile cache` : '',
      misses ? `${misses} compiled and cached` : '',
    ].filter(Boolean);
    return note.length ? `${stage} (${note.join(', ')})` : stage;
  };
}

/** `node_modules/.cache/joinery` for the node_modules folder holding `file`, if any. */
export function cacheDirFor(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const index = file.lastIndexOf(marker);
  if (index === -1) return undefined;
  return path.join(file.slice(0, index + marker.length - 1), '.cache', 'joinery');
}

/**
 * The cache entry of one file: `<which file>-<which version of it>.v8`. The first half names the
 * Node version and the file, the second its size and mtime, so an upgraded package gets a new
 * entry and `writeCache` removes the old one: one entry per file, whatever the upgrades.
 */
export function cacheEntryName(filename: string, size: number, mtimeMs: number): string {
  const hash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 20);
  return `${hash(`${process.version}\0${process.arch}\0${filename}`)}-${hash(`${size}\0${mtimeMs}`)}.v8`;
}

let nativeCacheEnabled = false;
const pendingWrites: (() => void)[] = [];

function scheduleWrite(write: () => void): void {
  if (pendingWrites.length === 0) process.once('exit', saveCompileCache);
  pendingWrites.push(write);
}

/**
 * Writes the entries this run compiled, holding every function V8 compiled so far. Commands call
 * it once a resource is planned and formatted: that is the code every run needs, and waiting for
 * exit would let a long run (`check` over 200 resources) write less, as V8 drops the bytecode of
 * functions it has not used for a few garbage collections (measured: 1.3 MB instead of 5.6 MB
 * for the TypeScript compiler, and no faster than no cache). Entries not written by then are
 * written at exit.
 */
export function saveCompileCache(): void {
  for (const write of pendingWrites.splice(0)) write();
  if (nativeCacheEnabled) {
    (nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.();
  }
}

/**
 * `require(id)` with the compiled code of the big CommonJS files it loads cached in `cacheDir`
 * (default: `.cache/joinery` in the node_modules folder the file or package lives in).
 */
export function requireWithCompileCache<T>(id: string, cacheDir?: string): T {
  const dir = cacheDir ?? cacheDirFor(resolveQuietly(id) ?? '');
  if (!dir || process.env.NODE_DISABLE_COMPILE_CACHE) return require(id) as T;
  const enableNative = (nodeModule as { enableCompileCache?: (dir?: string) => unknown })
    .enableCompileCache;
  if (typeof enableNative === 'function') {
    if (!nativeCacheEnabled) {
      nativeCacheEnabled = true;
      try {
        enableNative(dir);
      } catch {
        // An unusable cache folder only costs speed.
      }
    }
    return require(id) as T;
  }
  const Module = nodeModule as unknown as InternalModuleStatic;
  const extensions = Module._extensions;
  const original = extensions['.js']!;
  extensions['.js'] = (module, filename) => {
    if (!loadCached(Module, module, filename, dir)) original(module, filename);
  };
  try {
    return require(id) as T;
  } finally {
    extensions['.js'] = original;
  }
}

function resolveQuietly(id: string): string | undefined {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}

/**
 * Loads a big CommonJS file through the code cache; false leaves it to Node (small files, ES
 * modules, files with a hashbang or a byte order mark, anything unreadable).
 */
function loadCached(
  Module: InternalModuleStatic,
  module: InternalModule,
  filename: string,
  dir: string,
): boolean {
  let source: string;
  let cacheFile: string;
  try {
    const stats = statSync(filename);
    if (stats.size < MIN_CACHED_BYTES || packageType(path.dirname(filename)) === 'module') {
      return false;
    }
    const wrapped = readWrapped(filename, stats.size, Module.wrapper ?? DEFAULT_WRAPPER);
    if (wrapped === undefined) return false;
    source = wrapped;
    cacheFile = path.join(dir, cacheEntryName(filename, stats.size, stats.mtimeMs));
  } catch {
    return false;
  }
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(source, {
    filename,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  } as vm.ScriptOptions);
  if (cachedData && !script.cachedDataRejected) {
    counts.hits++;
  } else {
    counts.misses++;
    scheduleWrite(() => writeCache(cacheFile, script));
  }
  const wrapper = script.runInThisContext({ displayErrors: true }) as (
    ...args: unknown[]
  ) => unknown;
  const moduleRequire = Object.assign((request: string) => module.require(request), {
    resolve: (request: string, options?: unknown) =>
      Module._resolveFilename(request, module, false, options),
    main: require.main,
    extensions: Module._extensions,
    cache: Module._cache,
  });
  wrapper.call(
    module.exports,
    module.exports,
    moduleRequire,
    module,
    filename,
    path.dirname(filename),
  );
  return true;
}

const DEFAULT_WRAPPER = [
  '(function (exports, require, module, __filename, __dirname) { ',
  '\n});',
] as const;

/**
 * The file's text inside Node's module wrapper, read straight into one buffer: joining strings
 * would hold the 9 MB TypeScript compiler in memory twice more, and the peak memory of a run on
 * 10,000 files has little to spare (145 of 160 MiB). Undefined for text Node must treat itself (a hashbang, a
 * byte order mark).
 */
function readWrapped(
  filename: string,
  size: number,
  [head, tail]: readonly [string, string],
): string | undefined {
  const bytes = Buffer.allocUnsafe(head.length + size + tail.length);
  bytes.write(head, 0, 'latin1');
  const fd = openSync(filename, 'r');
  try {
    if (readSync(fd, bytes, head.length, size, 0) !== size) return undefined;
  } finally {
    closeSync(fd);
  }
  const start = bytes.toString('latin1', head.length, head.length + 3);
  if (start.startsWith('#!') || start === '\xEF\xBB\xBF') return undefined;
  bytes.write(tail, head.length + size, 'latin1');
  // Pure ASCII (most bundles) decodes as latin1: a copy instead of UTF-8 decoding, ~10 ms less
  // for the TypeScript compiler.
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole or not at all (a rename), so a concurrent run never reads half an entry; entries
 * for older versions of the same file go.
 */
function writeCache(file: string, script: vm.Script): void {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, file);
    const name = path.basename(file);
    const sameFile = name.slice(0, name.indexOf('-') + 1);
    for (const entry of readdirSync(dir)) {
      if (entry !== name && entry.startsWith(sameFile) && entry.endsWith('.v8')) {
        rmSync(path.join(dir, entry), { force: true });
      }
    }
  } catch {
    // A read-only install just stays uncached.
  }
}

const packageTypes = new Map<string, string | undefined>();

/** The `type` of the package.json nearest to `dir` (a `.js` file of a `module` package is ESM). */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type: string | undefined;
  try {
    type = String(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type);
  } catch (error) {
    const parent = path.dirname(dir);
    type =
      (error as { code?: string }).code === 'ENOENT' && parent !== dir
        ? packageType(parent)
        : undefined;
  }
  packageTypes.set(dir, type);
  return type;
}
