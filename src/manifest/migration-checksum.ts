/**
 * The checksum joinery records for each migration file it generated, so `check` can tell a
 * migration edited or emptied since (as Prisma checksums applied migrations). Line ends and a
 * BOM are left out, so a checkout that converts them does not count as an edit.
 */
import { createHash } from 'node:crypto';

export function migrationChecksum(text: string): string {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

/** Checksums of `files` (relative paths) read by `read`; files it cannot read are left out. */
export function migrationChecksums(
  files: string[],
  read: (file: string) => string | undefined,
): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const file of files) {
    const text = read(file);
    if (text !== undefined) sums[file] = migrationChecksum(text);
  }
  return sums;
}
