/** Tax documents for the CLI tests: written to a temporary folder and run in-process. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { lotsmith, type CliRun } from './testIo.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'lotsmith-tax-'));
let n = 0;

/** Writes `doc` as JSON (or as given, when a string) and returns its path. */
export function inputFile(doc: unknown, name = `input-${n++}.json`): string {
  const file = join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

/** Runs `lotsmith <command> --input <doc> --format json`, expecting success. */
export async function runJson(command: string, doc: unknown): Promise<Record<string, unknown>> {
  const r = await lotsmith(command, '--input', inputFile(doc), '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** Runs the command on a bad document: exit 1, nothing on stdout, the file named on stderr. */
export async function runRejected(command: string, doc: unknown): Promise<CliRun> {
  const file = inputFile(doc);
  const r = await lotsmith(command, '--input', file, '--format', 'json');
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(r.err).toContain(file);
  return r;
}
