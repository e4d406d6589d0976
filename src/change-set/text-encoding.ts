/**
 * The bytes of a file and the text planners see. Planners work on one form: no byte order mark,
 * LF line ends. The writer puts back what the file had on disk: its BOM, and CRLF line ends
 * (for the lines joinery inserts too) when most of its lines end so. A file that is not valid
 * UTF-8 is never decoded for writing: replacement characters would overwrite its bytes.
 */
import path from 'node:path';
import { projectProblem } from '../errors.js';

const BOM = '\uFEFF';

export interface TextStyle {
  bom: boolean;
  crlf: boolean;
}

export const PLAIN_STYLE: TextStyle = Object.freeze({ bom: false, crlf: false });

/** The planners' form of a text: BOM removed, CRLF as LF. Cheap when there is nothing to do. */
export function normalizeText(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.includes('\r\n') ? body.replace(/\r\n/g, '\n') : body;
}

export function styleOf(text: string): TextStyle {
  const bom = text.charCodeAt(0) === 0xfeff;
  if (!text.includes('\r\n')) return { bom, crlf: false };
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return { bom, crlf: crlf >= lf };
}

/** `text` (the planners' form) as the file's style writes it. */
export function encodeText(text: string, style: TextStyle): string {
  const lines = style.crlf ? normalizeText(text).replace(/\n/g, '\r\n') : text;
  return style.bom && lines.charCodeAt(0) !== 0xfeff ? BOM + lines : lines;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes bytes that must be UTF-8; refuses (exit 3, naming the file) when they are not. */
export function decodeUtf8(bytes: Uint8Array, file: string, root: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const shown = path.relative(root, file).split(path.sep).join('/') || file;
    throw projectProblem(
      `${shown} is not valid UTF-8; joinery edits only UTF-8 files and left it untouched.`,
      `Convert ${shown} to UTF-8 (e.g. iconv -f latin1 -t utf-8), then run again.`,
    );
  }
}
