/**
 * Compiling ts-morph (with the TypeScript compiler it bundles, about 12 MB of JavaScript) is the
 * largest single cost of a run. V8 can skip most of that work with a code cache kept on disk:
 * Node >= 22.1 does it itself (`module.enableCompileCache()`); on older Node the CommonJS
 * modules loaded through `requireWithCompileCache` get the same, by compiling them with
 * `vm.Script` and V8 cached data (the technique of `v8-compile-cache`). The cache is written at
 * exit, so it also holds the functions V8 compiled lazily while the run used them.
 *
 * The cache lives in `node_modules/.cache/joinery` beside the installed dependencies (owned by
 * whoever installed them, unlike a shared temp folder). Any failure falls back to a plain
 * `require`; `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const require = createRequire(import.meta.url);

interface InternalModule {
  exports: unknown;
  require(id: string): unknown;
}
type ExtensionHandler = (module: InternalModule, filename: string) => void;
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

const disabled = () => Boolean(process.env.NODE_DISABLE_COMPILE_CACHE);

/** `node_modules/.cache/joinery` for the node_modules folder holding `file`, if any. */
export function cacheDirFor(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const index = file.lastIndexOf(marker);
  if (index === -1) return undefined;
  return path.join(file.slice(0, index + marker.length - 1), '.cache', 'joinery');
}

let cacheDir: string | null | undefined;

/** joinery's cache folder: `.cache/joinery` in the node_modules folder its ts-morph sits in. */
function joineryCacheDir(): string | undefined {
  if (cacheDir === undefined) {
    try {
      cacheDir = cacheDirFor(require.resolve('ts-morph')) ?? null;
    } catch {
      cacheDir = null;
    }
  }
  return cacheDir ?? undefined;
}

let nativeEnabled = false;

/**
 * `require(id)` (a module joinery depends on, or an absolute path), with the compiled code of
 * every CommonJS module it loads cached on disk. On Node >= 22.1 this turns on Node's own compile
 * cache instead, which then also covers later ESM imports.
 */
export function requireWithCompileCache<T>(id: string): T {
  const dir = joineryCacheDir();
  if (!dir || disabled()) return require(id) as T;
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown })
    .enableCompileCache;
  if (typeof enable === 'function') {
    if (!nativeEnabled) {
      nativeEnabled = true;
      try {
        enable(dir);
      } catch {
        // An unusable cache folder only costs speed.
      }
    }
    return require(id) as T;
  }
  const Module = nodeModule as unknown as InternalModuleStatic;
  const extensions = Module._extensions;
  const originals = { js: extensions['.js']!, cjs: extensions['.cjs'] };
  const pending: (() => void)[] = [];
  const cached =
    (original: ExtensionHandler): ExtensionHandler =>
    (module, filename) => {
      if (!loadCached(Module, module, filename, dir, pending)) original(module, filename);
    };
  extensions['.js'] = cached(originals.js);
  if (originals.cjs) extensions['.cjs'] = cached(originals.cjs);
  try {
    return require(id) as T;
  } finally {
    extensions['.js'] = originals.js;
    if (originals.cjs) extensions['.cjs'] = originals.cjs;
    if (pending.length > 0) process.once('exit', () => pending.forEach((write) => write()));
  }
}

const packageTypes = new Map<string, string | undefined>();

/** The `type` of the package.json nearest to `dir`. */
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

/**
 * Loads a CommonJS file through the code cache; false leaves it to Node (ES modules, files with a
 * BOM or a hashbang). The wrapped source is read straight into one buffer: building it from the
 * file's text would hold the 9 MB TypeScript compiler in memory twice.
 */
function loadCached(
  Module: InternalModuleStatic,
  module: InternalModule,
  filename: string,
  dir: string,
  pending: (() => void)[],
): boolean {
  if (filename.endsWith('.js') && packageType(path.dirname(filename)) === 'module') return false;
  const [head, tail] = (
    Module.wrapper ?? ['(function (exports, require, module, __filename, __dirname) { ', '\n});']
  ).map((part) => Buffer.from(part));
  let source: string;
  let key: string;
  const fd = openSync(filename, 'r');
  try {
    const stats = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(head!.length + stats.size + tail!.length);
    head!.copy(bytes, 0);
    const read = readSync(fd, bytes, head!.length, stats.size, 0);
    if (read !== stats.size) return false;
    const start = bytes.subarray(head!.length, head!.length + 3);
    if (start.toString('latin1').startsWith('#!') || start.equals(BOM)) return false;
    tail!.copy(bytes, head!.length + stats.size);
    source = bytes.toString('utf8');
    key = createHash('sha1')
      .update(`${process.version}\0${process.arch}\0${filename}\0${stats.size}\0${stats.mtimeMs}`)
      .digest('hex');
  } finally {
    closeSync(fd);
  }
  const cacheFile = path.join(dir, `${key}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(source, {
    filename,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  } as vm.ScriptOptions);
  if (!cachedData || script.cachedDataRejected) {
    pending.push(() => {
      try {
        mkdirSync(dir, { recursive: true });
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only install just stays uncached.
      }
    });
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
