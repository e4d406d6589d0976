/** The recorded manifest for `sync` and `check`, which have nothing to do without one. */
import { readFileSync } from 'node:fs';
import type { ChangeSet } from '../change-set/change-set.js';
import { projectProblem } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/manifest.js';
import { readManifestTexts, type ManifestTexts } from '../manifest/manifest-file.js';
import { assembleManifest } from '../manifest/parse-manifest.js';

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function readManifestFile(root: string): Manifest {
  const texts = readManifestTexts(root, readOrUndefined);
  if (texts.index === undefined && texts.files.length === 0) {
    throw projectProblem(
      `No ${MANIFEST_FILE} in ${root}: joinery has recorded no resource here.`,
      'Run joinery gen resource first (it records what it generates), or pass --cwd <project folder>.',
    );
  }
  return parsedManifest(texts);
}

/** The manifest as the ChangeSet reads it (empty when there is none), as `readManifest` gives it. */
export function readManifestOnce(changes: ChangeSet): Manifest {
  return parsedManifest(readManifestTexts(changes.root, (file) => changes.read(file)));
}

/**
 * `check` plans every entry against the same manifest: it is parsed once per set of texts, not
 * once per entry (quadratic in the entries). Each caller gets its own `entries` map, since
 * recording an entry sets it; the entries themselves are never changed in place, only replaced.
 */
let last: { texts: ManifestTexts; manifest: Manifest } | undefined;

const sameTexts = (a: ManifestTexts, b: ManifestTexts) =>
  a.index === b.index &&
  a.files.length === b.files.length &&
  a.files.every((file, i) => file.file === b.files[i]!.file && file.text === b.files[i]!.text);

function parsedManifest(texts: ManifestTexts): Manifest {
  if (!last || !sameTexts(last.texts, texts)) {
    last = { texts, manifest: assembleManifest(texts.index, texts.files) };
  }
  return { ...last.manifest, entries: new Map(last.manifest.entries) };
}
