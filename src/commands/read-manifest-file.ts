/** joinery.json for `sync` and `check`, which have nothing to do without one. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectProblem } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/manifest.js';
import { parseManifest } from '../manifest/parse-manifest.js';

export function readManifestFile(root: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path.join(root, MANIFEST_FILE), 'utf8');
  } catch {
    throw projectProblem(
      `No ${MANIFEST_FILE} in ${root}: joinery has recorded no join resource here.`,
      'Run joinery gen resource first (it records what it generates), or pass --cwd <project folder>.',
    );
  }
  return parseManifest(text);
}
