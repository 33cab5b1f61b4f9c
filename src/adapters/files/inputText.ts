/**
 * Input files read as text, the same way for every format: strict UTF-8 (a byte that is not
 * UTF-8 is an error naming the file, line and byte offset — never a silent U+FFFD in an account
 * name), a leading byte-order mark dropped (spreadsheets write one), and JSON syntax errors with
 * their line and column.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';

function cannotRead(file: string, err: unknown): Issue {
  const code = (err as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'ENOTDIR'
          ? 'file not found (a part of the path is a file, not a directory)'
          : code === 'EACCES'
            ? 'cannot read the file: permission denied'
            : `cannot read the file: ${(err as Error).message}`;
  return issue('PARSE', message, { file });
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

function notUtf8(file: string, bytes: Uint8Array): Issue {
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return issue('PARSE', `not UTF-8 text: byte 0x${byte} at offset ${at} (line ${line}) is not valid UTF-8; save the file as UTF-8`, { file });
}

/** The file's text, or an issue naming the file (and where a byte is not UTF-8). */
export function readInputText(file: string): Result<string> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return { ok: false, issues: [cannotRead(file, err)] };
  }
  return decodeInputBytes(bytes, file);
}

/** Bytes already read (an upload, a file whose hash is needed too) as text, by the same rules. */
export function decodeInputBytes(bytes: Buffer, file: string): Result<string> {
  if (!isUtf8(bytes)) return { ok: false, issues: [notUtf8(file, bytes)] };
  const text = bytes.toString('utf8');
  return { ok: true, value: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** JSON.parse with the syntax error's line and column in the message. */
export function parseJsonText(text: string, file: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = (err as Error).message;
    const m = /at position (\d+)/.exec(message);
    let where = '';
    if (m !== null) {
      const position = Number(m[1]);
      const before = text.slice(0, position);
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${position - before.lastIndexOf('\n')})`;
    }
    return { ok: false, issues: [issue('PARSE', `not valid JSON${where}: ${message.replace(/ in JSON at position \d+/, '')}`, { file })] };
  }
}

/** A JSON file, read strictly as UTF-8 (a byte-order mark is allowed). */
export function readJsonFile(file: string): Result<unknown> {
  const text = readInputText(file);
  return text.ok ? parseJsonText(text.value, file) : text;
}
