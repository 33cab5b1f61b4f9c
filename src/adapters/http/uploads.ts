/**
 * Uploaded files through the CLI's own readers: the files of a request are written to a private
 * temporary directory under their names (a CSV case's accounts.csv and transactions.csv together,
 * as a case directory), read by `readImportSources` exactly as `lotsmith import` reads them, and
 * removed. Issues name the uploaded file by its name, never the temporary path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import type { Issue, Result } from '../../core/kernel/errors.js';
import { readImportSources, type ReadSources } from '../files/importSources.js';

export interface Upload {
  readonly name: string;
  readonly content: string;
  readonly encoding: 'utf8' | 'base64';
}

const CASE_FILES = new Set(['accounts.csv', 'transactions.csv', 'securities.csv', 'settings.json', 'household.json']);

export function readUploads(uploads: readonly Upload[], formats: readonly FileFormat[], householdName: string): Result<ReadSources> {
  const dir = mkdtempSync(join(tmpdir(), 'lotsmith-upload-'));
  try {
    const caseDir = join(dir, 'case');
    const names = new Set(uploads.map((u) => u.name.toLowerCase()));
    const isCase = names.has('transactions.csv') && names.has('accounts.csv');
    const paths: string[] = [];
    for (const u of uploads) {
      const bytes = u.encoding === 'base64' ? Buffer.from(u.content, 'base64') : Buffer.from(u.content, 'utf8');
      if (isCase && CASE_FILES.has(u.name.toLowerCase())) {
        writeFileSync(join(mkdir(caseDir), u.name), bytes);
        continue;
      }
      const own = mkdir(join(dir, String(paths.length)));
      writeFileSync(join(own, u.name), bytes);
      paths.push(join(own, u.name));
    }
    const read = readImportSources(isCase ? [caseDir, ...paths] : paths, formats, householdName);
    const strip = (s: string): string => s.split(`${caseDir}/`).join('').replace(new RegExp(`${escape(dir)}/\\d+/`, 'g'), '').split(caseDir).join('case');
    if (read.ok) return { ok: true, value: { ...read.value, sources: read.value.sources.map((s) => ({ ...s, batch: renamed(s.batch, strip) })) } };
    return { ok: false, issues: read.issues.map((i): Issue => ({ ...i, message: strip(i.message), at: { ...i.at, ...(i.at.file !== undefined ? { file: strip(i.at.file) } : {}) } })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The batch as if read from the uploaded names: its file, and the file of every event and source. */
function renamed(batch: ImportBatch, strip: (s: string) => string): ImportBatch {
  const at = <T extends { readonly file?: string | undefined }>(x: T): T => (x.file === undefined ? x : { ...x, file: strip(x.file) });
  return {
    ...batch,
    file: strip(batch.file),
    events: batch.events.map((e) => ({
      ...e,
      event: at(e.event),
      source: at(e.source),
    })),
    splits: batch.splits.map((x) => ({ ...x, source: at(x.source) })),
    positions: batch.positions.map((x) => ({ ...x, source: at(x.source) })),
  };
}

function mkdir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
