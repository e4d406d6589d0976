import { describe, expect, it } from 'vitest';
import { colorDiff, colors, formatTimings, timed } from '../../src/output.js';

const ESC = '\u001B[';

describe('colors', () => {
  it.each([
    ['a terminal', { isTTY: true }, {}, true],
    ['a pipe', { isTTY: false }, {}, false],
    ['NO_COLOR', { isTTY: true }, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR', { isTTY: true }, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=0', { isTTY: true }, { FORCE_COLOR: '0' }, false],
    ['TERM=dumb', { isTTY: true }, { TERM: 'dumb' }, false],
    ['FORCE_COLOR on a pipe (still no color)', { isTTY: false }, { FORCE_COLOR: '1' }, false],
  ])('on %s: %s', (_name, stream, env, enabled) => {
    const c = colors(stream, env);
    expect(c.enabled).toBe(enabled);
    expect(c.red('x').includes(ESC)).toBe(enabled);
  });

  it('colors diff lines, and leaves other text alone', () => {
    const c = colors({ isTTY: true }, {});
    const diff = `${'='.repeat(67)}\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1 @@\n-old\n+new\n same`;
    const lines = colorDiff(diff, c).split('\n');
    expect(lines[4]).toBe(c.red('-old'));
    expect(lines[5]).toBe(c.green('+new'));
    expect(lines[1]).toBe(c.bold('--- a/x.ts'));
    expect(lines[6]).toBe(' same');
    expect(colorDiff('+ not a diff', c)).toBe('+ not a diff');
    expect(colorDiff(diff, colors({ isTTY: false }, {}))).toBe(diff);
  });
});

describe('timings', () => {
  it('records sync and async stages and prints them in start order', async () => {
    expect(timed('one', () => 1)).toBe(1);
    await expect(timed('two', async () => 2)).resolves.toBe(2);
    const text = formatTimings(
      [
        { stage: 'late', start: 20, ms: 1, rss: 50 * 1024 * 1024 },
        { stage: 'early', start: 10, ms: 2.25, rss: 40 * 1024 * 1024 },
      ],
      30,
      100 * 1024,
    );
    expect(text.split('\n')).toEqual([
      'timings:',
      '      2.3 ms  early (at 10 ms, 40 MiB)',
      '      1.0 ms  late (at 20 ms, 50 MiB)',
      '     30.0 ms  total, peak memory 100 MiB',
    ]);
  });
});
