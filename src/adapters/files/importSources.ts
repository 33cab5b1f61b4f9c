/**
 * What `lotsmith import` (and the HTTP upload) reads: case files (a JSON case, a CSV case directory
 * or its transactions.csv) and broker exports recognized by content (brokers/formats.ts), each
 * turned into an import batch with the SHA-256 of its bytes. Every problem of every file is
 * reported; nothing is returned unless all of them parsed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileFormat } from '../../app/importBatch.js';
import type { ImportSource } from '../../app/importFiles.js';
import type { NewHousehold } from '../../app/ports.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { caseBatch, caseHousehold } from './caseBatch.js';
import { decodeCaseDocument, loadCase, type Case } from './caseFile.js';

export interface ReadSources {
  readonly sources: readonly ImportSource[];
  /** Settings of the first case file, for a household the import creates. */
  readonly caseHousehold?: NewHousehold;
}

export function readImportSources(paths: readonly string[], formats: readonly FileFormat[], householdName: string): Result<ReadSources> {
  const issues: Issue[] = [];
  const sources: ImportSource[] = [];
  let created: NewHousehold | undefined;
  const fromCase = (c: Case, sha256: string): void => {
    sources.push({ batch: caseBatch(c), sha256 });
    created ??= caseHousehold(c, householdName);
  };
  for (const path of paths) {
    if (!existsSync(path)) {
      issues.push(issue('PARSE', 'file not found', { file: path }));
      continue;
    }
    if (statSync(path).isDirectory()) {
      const c = loadCase(path);
      if (!c.ok) issues.push(...c.issues);
      else fromCase(c.value, hashFiles(c.value.files));
      continue;
    }
    const bytes = readFileSync(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const text = utf8(bytes, path);
    if (!text.ok) {
      issues.push(...text.issues);
      continue;
    }
    const asCase = caseDocument(path, text.value);
    if (asCase !== undefined) {
      if (!asCase.ok) issues.push(...asCase.issues);
      else fromCase(asCase.value, sha256);
      continue;
    }
    const format = formats.find((f) => f.sniff(basename(path), text.value));
    if (format === undefined) {
      issues.push(issue('PARSE', `not a file Lotsmith imports; it reads household cases (JSON, CSV) and ${formats.map((f) => f.description).join('; ') || 'no broker formats yet'}`, { file: path }));
      continue;
    }
    const parsed = format.parse(path, text.value);
    if (!parsed.ok) issues.push(...parsed.issues);
    else sources.push({ batch: parsed.value, sha256 });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { sources, ...(created !== undefined ? { caseHousehold: created } : {}) } };
}

/** A JSON case document or a case's transactions.csv; undefined for anything else. */
function caseDocument(path: string, text: string): Result<Case> | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return undefined;
    }
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && ('accounts' in doc || 'events' in doc)) return decodeCaseDocument(doc, path);
    return undefined;
  }
  if (lower.endsWith('.csv')) {
    const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').toLowerCase();
    if (/(^|,)\s*date\s*(,|$)/.test(header) && /(^|,)\s*account\s*(,|$)/.test(header) && /(^|,)\s*action\s*(,|$)/.test(header)) return loadCase(path);
  }
  return undefined;
}

function utf8(bytes: Buffer, file: string): Result<string> {
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const at = firstBadByte(bytes);
    return { ok: false, issues: [issue('PARSE', `not UTF-8 text: byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at} (line ${lineAt(bytes, at)}); save the file as UTF-8`, { file, row: lineAt(bytes, at) })] };
  }
}

function firstBadByte(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return bytes.length;
}

function lineAt(bytes: Buffer, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  return line;
}

function hashFiles(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) h.update(readFileSync(f));
  return h.digest('hex');
}

