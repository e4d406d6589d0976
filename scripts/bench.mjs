#!/usr/bin/env node
// Benchmark: medians of whole-process runs, each as a ratio to `node -e 0` measured in the same
// run (machines differ; ratios travel). Usage: npm run bench [-- --runs 15]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'bin', 'joinery.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;

function fixtureCopy(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `joinery-bench-${name}-`));
  cpSync(path.join(repo, 'fixtures', name), dir, { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function time(args, options = {}) {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore', ...options });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const gen = [
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
const project = fixtureCopy('drizzle-pg-domains');
const cases = [
  ['node -e 0 (baseline)', () => time(['-e', '0'])],
  ['joinery --help', () => time([cli, '--help'])],
  ['joinery --version', () => time([cli, '--version'])],
  [
    'gen resource --dry-run --no-migration',
    () => time([cli, ...gen, '--dry-run', '--no-migration'], { cwd: project }),
  ],
  [
    'gen resource (write + drizzle-kit)',
    () => {
      const dir = fixtureCopy('drizzle-pg-domains');
      try {
        return time([cli, ...gen], { cwd: dir });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    Math.min(runs, 5),
  ],
];

const results = [];
try {
  for (const [name, run, count = runs] of cases) {
    run(); // warm the file cache
    const samples = Array.from({ length: count }, run);
    results.push({ name, median: median(samples), runs: count });
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}

const baseline = results[0].median;
console.log(`node ${process.version}, ${os.cpus().length} cores, medians of ${runs} runs\n`);
console.log('| command | median (ms) | × node -e 0 |');
console.log('|---|---:|---:|');
for (const { name, median: ms, runs: count } of results) {
  const note = count !== runs ? ` (${count} runs)` : '';
  console.log(`| ${name}${note} | ${ms.toFixed(1)} | ${(ms / baseline).toFixed(2)} |`);
}
