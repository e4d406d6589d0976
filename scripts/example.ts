// The main job on the bundled example: a copy of fixtures/drizzle-pg-domains gets the reference's
// User ⟷ Event join from the built CLI, `joinery migrate` applies it to an embedded PGlite
// database, and scripts/example-usage.ts runs the reference's usage against it. Run with tsx
// (`npm run example`) so it imports the reference command from the one place that defines it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_ARGS, REFERENCE_COMMAND_LINE } from '../test/support/reference-command.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = mkdtempSync(path.join(os.tmpdir(), 'joinery-example-'));
cpSync(path.join(repo, 'fixtures', 'drizzle-pg-domains'), project, { recursive: true });
symlinkSync(path.join(repo, 'node_modules'), path.join(project, 'node_modules'), 'dir');

function run(title: string, command: string, args: string[]): void {
  console.log(`\n$ ${title}`);
  execFileSync(command, args, {
    cwd: project,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
}

try {
  const joinery = path.join(repo, 'bin', 'joinery.js');
  console.log(`Example project: ${project} (a copy of fixtures/drizzle-pg-domains)`);
  run(REFERENCE_COMMAND_LINE, process.execPath, [joinery, ...REFERENCE_ARGS]);
  run('joinery migrate', process.execPath, [joinery, 'migrate']);
  copyFileSync(
    path.join(repo, 'scripts', 'example-usage.ts'),
    path.join(project, 'example-usage.ts'),
  );
  run(
    'tsx example-usage.ts   # the reference usage, on the migrated PGlite database',
    path.join(repo, 'node_modules', '.bin', 'tsx'),
    ['example-usage.ts'],
  );
} finally {
  if (!process.argv.includes('--keep')) rmSync(project, { recursive: true, force: true });
}
