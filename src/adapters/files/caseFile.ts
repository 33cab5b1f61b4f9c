/**
 * Household case input. Two forms describe the same thing:
 *
 *  1. One JSON document (the "household case" of the examples): { settings, accounts,
 *     securities?, events, description?, taxProfile?, targets?, harvest? }.
 *  2. A directory of CSV files (csvCase.ts): transactions.csv, accounts.csv, and optionally
 *     securities.csv, settings.json and household.json.
 *
 * The envelope (settings, accounts, securities) is checked with strict zod schemas; events go
 * through the shared record decoder, with no zod per event. Every problem is reported with file,
 * row and field; nothing is returned unless everything decoded.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import type { Household } from '../../core/ledger/household.js';
import { CASE_JSON_SHAPE, EnvelopeSchema, groupIssues, toHousehold, withValidation, type Case } from './caseEnvelope.js';
import { CASE_DIRECTORY_FILES, loadCsvCase } from './csvCase.js';
import { EventDecoder } from './eventRecord.js';
import { notAnEvent, scanCaseJson, type DecodedRecords, type ScannedCase } from './caseJson.js';
import { readInputText } from './inputText.js';
import { decodeDocument, describeJson } from './zodInput.js';

export type { Case } from './caseEnvelope.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The records of a parsed `events` array, each through the one event decoder. */
function decodeRecords(records: readonly unknown[], file: string): DecodedRecords {
  const decoder = new EventDecoder();
  const events: LedgerEvent[] = [];
  const issues: Issue[] = [];
  for (let i = 0; i < records.length; i++) {
    const r: unknown = records[i];
    const row = i + 1;
    if (!isPlainObject(r)) {
      issues.push(notAnEvent(r, file, row));
      continue;
    }
    const d = decoder.decode(r, { file, row }, `row${row}`);
    if (d.ok) events.push(d.event);
    else for (const x of d.issues) issues.push(x);
  }
  return { count: records.length, events, issues };
}

const missingEvents = (file: string): Issue => issue('MISSING_FIELD', "is required: the list of the household's events", { file, field: 'events' });

function checkedEvents(household: Household, records: ScannedCase['events'], file: string): Result<LedgerEvent[]> {
  if (records === undefined) return { ok: false, issues: [missingEvents(file)] };
  if ('notAnArray' in records) return { ok: false, issues: [issue('BAD_VALUE', `must be an array of events, got ${describeJson(records.notAnArray)}`, { file, field: 'events' })] };
  if (records.count === 0) return { ok: false, issues: [issue('BAD_VALUE', 'no events: a case lists at least one event', { file, field: 'events' })] };
  return withValidation(household, records.events, records.issues);
}

/** The case from its envelope (every top-level member but `events`) and its decoded events. */
function decodeCase(envelope: Record<string, unknown>, records: ScannedCase['events'], file: string): Result<Case> {
  const env = decodeDocument(EnvelopeSchema, envelope, file, CASE_JSON_SHAPE);
  if (!env.ok) return { ok: false, issues: records === undefined ? [...env.issues, missingEvents(file)] : env.issues };
  const { settings, accounts, securities, events: _events, ...document } = env.value;
  const household = toHousehold(settings, accounts, securities, (table, index, field) => ({ file, field: `${table}[${index}].${field}` }));
  if (!household.ok) return household;
  const events = checkedEvents(household.value, records, file);
  if (!events.ok) return events;
  const groups = groupIssues(household.value, events.value, file, 'settings.');
  if (groups.length > 0) return { ok: false, issues: groups };
  return { ok: true, value: { household: household.value, events: events.value, document, documentFile: file, files: [file] } };
}

/** Decodes a parsed household case document. */
export function decodeCaseDocument(doc: unknown, file: string): Result<Case> {
  if (!isPlainObject(doc)) return { ok: false, issues: [issue('BAD_VALUE', `must be ${CASE_JSON_SHAPE}, got ${describeJson(doc)}`, { file })] };
  const { events, ...envelope } = doc;
  const records = events === undefined ? undefined : Array.isArray(events) ? decodeRecords(events, file) : { notAnArray: events };
  return decodeCase(envelope, records, file);
}

/** Reads a JSON case file: the events scanned straight from the text (caseJson.ts). */
export function readCaseJson(path: string): Result<Case> {
  const text = readInputText(path);
  if (!text.ok) return text;
  const scanned = scanCaseJson(text.value, path);
  if (!scanned.ok) return scanned;
  const v = scanned.value;
  return 'parsed' in v ? decodeCaseDocument(v.parsed, path) : decodeCase(v.envelope, v.events, path);
}

/** Why a directory is not a case directory, and what to pass instead. */
function notACaseDirectory(dir: string): Issue {
  const entries = readdirSync(dir, { withFileTypes: true });
  const json = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name);
  const caseDirs = entries.filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'transactions.csv'))).map((e) => e.name);
  const hints: string[] = [];
  if (json.length > 0) hints.push(`it holds JSON files: pass one of them, e.g. --input ${join(dir, json.sort()[0] as string)}`);
  if (caseDirs.length > 0) hints.push(`it holds case directories: pass one of them, e.g. --input ${join(dir, caseDirs.sort()[0] as string)}`);
  return issue('PARSE', `not a case directory: ${CASE_DIRECTORY_FILES}${hints.length > 0 ? `; ${hints.join('; ')}` : entries.length === 0 ? '; this one is empty' : ''}`, { file: dir });
}

/** Loads a case from a JSON file, a directory of CSV files, or a transactions CSV. */
export function loadCase(path: string): Result<Case> {
  if (!existsSync(path)) return { ok: false, issues: [issue('PARSE', 'file not found', { file: path })] };
  if (statSync(path).isDirectory()) {
    const transactions = join(path, 'transactions.csv');
    return existsSync(transactions) ? loadCsvCase(transactions, path) : { ok: false, issues: [notACaseDirectory(path)] };
  }
  if (path.toLowerCase().endsWith('.csv')) {
    const name = basename(path).toLowerCase();
    if (name === 'accounts.csv' || name === 'securities.csv') {
      return { ok: false, issues: [issue('PARSE', `this is the case's ${name}: pass the directory or its transactions file`, { file: path })] };
    }
    return loadCsvCase(path, dirname(path));
  }
  return readCaseJson(path);
}
