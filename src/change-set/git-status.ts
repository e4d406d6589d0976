/**
 * Which of the files about to be written have uncommitted changes, so joinery can warn before its
 * edits mix with the user's. Only in a git work tree (found by looking for `.git`, no process
 * started otherwise); one `git status --porcelain -- <files>`; any git failure means "no warning".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadExeca } from '../lazy.js';

export function isInGitRepo(root: string): boolean {
  let dir = path.resolve(root);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return true;
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** `XY path` lines → paths (the new name of a rename). */
export function parsePorcelain(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) =>
      line
        .slice(3)
        .split(' -> ')
        .at(-1)!
        .replace(/^"(.*)"$/, '$1'),
    );
}

export async function uncommittedFiles(root: string, files: string[]): Promise<string[]> {
  if (files.length === 0 || !isInGitRepo(root)) return [];
  const { execa } = await loadExeca();
  const relative = files.map((file) => path.relative(root, file));
  const result = await execa('git', ['status', '--porcelain', '--', ...relative], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
    timeout: 10_000,
    env: { GIT_OPTIONAL_LOCKS: '0' },
  });
  if (result.exitCode !== 0) return [];
  return parsePorcelain(String(result.stdout));
}
