/** joinery.json for `sync` and `check`, which have nothing to do without one. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../change-set/change-set.js';
import { projectProblem } from '../errors.js';
import { emptyManifest, MANIFEST_FILE, type Manifest } from '../manifest/manifest.js';
import { manifestPath } from '../manifest/manifest-file.js';
import { parseManifest } from '../manifest/parse-manifest.js';

export function readManifestFile(root: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path.join(root, MANIFEST_FILE), 'utf8');
  } catch {
    throw projectProblem(
      `No ${MANIFEST_FILE} in ${root}: joinery has recorded no resource here.`,
      'Run joinery gen resource first (it records what it generates), or pass --cwd <project folder>.',
    );
  }
  return parsedManifest(text);
}

/** joinery.json as the ChangeSet reads it (empty when there is none), as `readManifest` gives it. */
export function readManifestOnce(changes: ChangeSet): Manifest {
  const text = changes.read(manifestPath(changes.root));
  return text === undefined ? emptyManifest() : parsedManifest(text);
}

/**
 * `check` plans every entry against the same joinery.json: it is parsed once per text, not once
 * per entry (quadratic in the entries). Each caller gets its own `entries` map, since recording
 * an entry sets it; the entries themselves are never changed in place, only replaced.
 */
let last: { text: string; manifest: Manifest } | undefined;

function parsedManifest(text: string): Manifest {
  if (last?.text !== text) last = { text, manifest: parseManifest(text) };
  return { ...last.manifest, entries: new Map(last.manifest.entries) };
}
