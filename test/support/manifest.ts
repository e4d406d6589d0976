/**
 * The recorded manifest as tests read it: `joinery/<Domain.Resource>.json` per entry (and the
 * entries of an old single-file joinery.json, which joinery still reads), keyed by entry.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests look into entries freely
export type RecordedEntries = Record<string, any>;

const ENTRY_FILE = /^joinery\/([^/]+)\.json$/;

/** Entries from a snapshot tree (relative POSIX paths → text). */
export function entriesInTree(tree: Map<string, string>): RecordedEntries {
  const entries: RecordedEntries = {};
  const index = tree.get('joinery.json');
  if (index !== undefined) {
    for (const [key, value] of Object.entries(JSON.parse(index.replace(/^\uFEFF/, '')))) {
      if (key !== 'version' && key !== 'entries') entries[key] = value;
    }
  }
  for (const [file, text] of tree) {
    const key = ENTRY_FILE.exec(file)?.[1];
    if (key) entries[key] = JSON.parse(text.replace(/^\uFEFF/, ''));
  }
  return entries;
}

/** Entries recorded in a project folder. */
export async function recordedEntries(dir: string): Promise<RecordedEntries> {
  const tree = new Map<string, string>();
  const index = path.join(dir, 'joinery.json');
  if (existsSync(index)) tree.set('joinery.json', await readFile(index, 'utf8'));
  const folder = path.join(dir, 'joinery');
  if (existsSync(folder)) {
    for (const name of await readdir(folder)) {
      if (name.endsWith('.json'))
        tree.set(`joinery/${name}`, await readFile(path.join(folder, name), 'utf8'));
    }
  }
  return entriesInTree(tree);
}

/** Replaces the project's record by `entries`, in the folder layout joinery writes. */
export async function writeRecordedEntries(dir: string, entries: RecordedEntries): Promise<void> {
  await rm(path.join(dir, 'joinery'), { recursive: true, force: true });
  await mkdir(path.join(dir, 'joinery'));
  await writeFile(
    path.join(dir, 'joinery.json'),
    `${JSON.stringify({ entries: 'joinery/', version: 2 }, null, 2)}\n`,
  );
  for (const [key, entry] of Object.entries(entries)) {
    await writeFile(
      path.join(dir, 'joinery', `${key}.json`),
      `${JSON.stringify(entry, null, 2)}\n`,
    );
  }
}
