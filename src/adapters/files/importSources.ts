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
import { loadCase, readCaseJson, type Case } from './caseFile.js';
import { decodeInputBytes } from './inputText.js';

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
    if (path.toLowerCase().endsWith('.json') || isCaseTransactions(path, bytes)) {
      const c = path.toLowerCase().endsWith('.json') ? readCaseJson(path) : loadCase(path);
      if (!c.ok) issues.push(...c.issues);
      else fromCase(c.value, sha256);
      continue;
    }
    const text = decodeInputBytes(bytes, path);
    if (!text.ok) {
      issues.push(...text.issues);
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

/** A case's transactions.csv: a CSV whose header has date, account and action columns. */
function isCaseTransactions(path: string, bytes: Buffer): boolean {
  if (!path.toLowerCase().endsWith('.csv')) return false;
  const header = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]?.toLowerCase() ?? '';
  const has = (c: string): boolean => new RegExp(`(^|,)\\s*${c}\\s*(,|$)`).test(header);
  return has('date') && has('account') && has('action');
}

function hashFiles(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) h.update(readFileSync(f));
  return h.digest('hex');
}

