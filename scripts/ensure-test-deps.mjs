#!/usr/bin/env node
// drizzle-orm/drizzle-kit 1.x for the drizzle-v1 e2e test live in their own folder (their peer
// ranges exclude the repo's 0.45). Installs them from their lockfile when missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../test/drizzle-v1-deps',
);
if (!existsSync(path.join(folder, 'node_modules', 'drizzle-orm', 'package.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', folder], { stdio: 'inherit' });
}
