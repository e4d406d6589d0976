#!/usr/bin/env node
// Packages the e2e tests need in versions the repository's own dependencies exclude live in
// their own folders, installed from their lockfiles when missing: drizzle-orm/drizzle-kit 1.x
// (their peer ranges exclude the repo's 0.45) and TypeORM 0.3.x with ts-node (what most real
// TypeORM projects run, beside the repo's 1.x) and the @n8n/typeorm fork with its sqlite3 driver
// (the marker is the newest package, so an older install is brought up to date).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const test = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test');
for (const [folder, marker] of [
  ['drizzle-v1-deps', 'drizzle-orm'],
  ['typeorm-03-deps', 'sqlite3'],
]) {
  const prefix = path.join(test, folder);
  if (!existsSync(path.join(prefix, 'node_modules', marker, 'package.json'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', prefix], {
      stdio: 'inherit',
    });
  }
}
