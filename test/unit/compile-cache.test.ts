import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirFor, MIN_CACHED_BYTES } from '../../src/compile-cache.js';
import { cleanup, repoRoot } from '../support/fixture.js';

describe('compile cache', () => {
  it('lives in node_modules/.cache/joinery beside the dependencies', () => {
    expect(cacheDirFor('/p/node_modules/ts-morph/dist/ts-morph.js')).toBe(
      path.join('/p/node_modules', '.cache', 'joinery'),
    );
    expect(cacheDirFor('/p/node_modules/a/node_modules/b/index.js')).toBe(
      path.join('/p/node_modules/a/node_modules', '.cache', 'joinery'),
    );
    expect(cacheDirFor('/p/src/x.js')).toBeUndefined();
  });

  describe('loading a CommonJS module', () => {
    let dir: string;
    let cacheDir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'joinery-compile-cache-'));
      cacheDir = path.join(dir, 'cache');
    });
    afterEach(() => cleanup(dir));

    /** A module that reports what Node's loader gives a module, padded to `size` bytes. */
    async function writeModule(name: string, size: number, text?: string): Promise<string> {
      const file = path.join(dir, name);
      const code = [
        "const path = require('node:path');",
        'exports.answer = 42;',
        'exports.dirname = __dirname === path.dirname(__filename);',
        `exports.resolves = require.resolve('./${name}') === __filename;`,
        'exports.module = module.exports === exports;',
        'exports.lazy = () => [1, 2, 3].map((n) => n * 2).join();',
        ...(text ? [`exports.text = ${JSON.stringify(text)};`] : []),
      ].join('\n');
      await writeFile(file, `${code}\n/* ${'x'.repeat(Math.max(0, size - code.length))} */\n`);
      return file;
    }

    /** Requires `file` through the cache in a fresh Node; prints its exports and the stage note. */
    function load(file: string, env: Record<string, string> = {}) {
      const script = `
        const { requireWithCompileCache, stageNotingCache } = await import(${JSON.stringify(path.join(repoRoot, 'dist/compile-cache.js'))});
        const stage = stageNotingCache('load');
        const loaded = requireWithCompileCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
        console.log(JSON.stringify({ ...loaded, lazy: loaded.lazy(), stage: stage() }));`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', ...env },
      });
      return JSON.parse(output) as Record<string, unknown>;
    }

    const cacheEntries = async () => (await readdir(cacheDir).catch(() => [])).sort();
    const exportsSeen = { answer: 42, dirname: true, resolves: true, module: true, lazy: '2,4,6' };

    it('compiles a big file once, writes its code at exit, and loads it from there after', async () => {
      const file = await writeModule('big.js', MIN_CACHED_BYTES);
      expect(load(file)).toEqual({ ...exportsSeen, stage: 'load (1 compiled and cached)' });
      const entries = await cacheEntries();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatch(/^[0-9a-f]{20}-[0-9a-f]{20}\.v8$/);
      expect(load(file)).toEqual({ ...exportsSeen, stage: 'load (1 from the compile cache)' });
      expect(await cacheEntries()).toEqual(entries);
    });

    it('keeps text outside ASCII intact, compiled or from the cache', async () => {
      const text = 'Café, 日本語, ✓';
      const file = await writeModule('utf8.js', MIN_CACHED_BYTES, text);
      expect(load(file)).toEqual({
        ...exportsSeen,
        text,
        stage: 'load (1 compiled and cached)',
      });
      expect(load(file)).toEqual({
        ...exportsSeen,
        text,
        stage: 'load (1 from the compile cache)',
      });
    });

    it('replaces the entry of a file that changed (a package upgrade) instead of adding one', async () => {
      const file = await writeModule('big.js', MIN_CACHED_BYTES);
      load(file);
      const [before] = await cacheEntries();
      await writeModule('big.js', MIN_CACHED_BYTES + 10, 'upgraded');
      expect(load(file)).toMatchObject({
        text: 'upgraded',
        stage: 'load (1 compiled and cached)',
      });
      const after = await cacheEntries();
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before);
      expect(after[0]!.split('-')[0]).toBe(before!.split('-')[0]);
    });

    it('recompiles and rewrites an entry V8 rejects', async () => {
      const file = await writeModule('big.js', MIN_CACHED_BYTES);
      load(file);
      const [entry] = await cacheEntries();
      await writeFile(path.join(cacheDir, entry!), 'not V8 code');
      expect(load(file)).toEqual({ ...exportsSeen, stage: 'load (1 compiled and cached)' });
      expect(load(file)).toEqual({ ...exportsSeen, stage: 'load (1 from the compile cache)' });
    });

    it('leaves small files to Node, and everything with NODE_DISABLE_COMPILE_CACHE', async () => {
      const small = await writeModule('small.js', 100);
      expect(load(small)).toEqual({ ...exportsSeen, stage: 'load' });
      const big = await writeModule('big.js', MIN_CACHED_BYTES);
      expect(load(big, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({
        ...exportsSeen,
        stage: 'load',
      });
      expect(await cacheEntries()).toEqual([]);
    });
  });
});
