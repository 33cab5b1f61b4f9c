/**
 * A household case as a directory of files:
 *
 *   transactions.csv  one row per event (transactionsCsv.ts)           required
 *   accounts.csv      id,type,owner[,lot_method]                       required
 *   securities.csv    symbol,cusip,asset_class,index                   optional
 *   settings.json     the `settings` object of a JSON case             optional
 *   household.json    {"description", "taxProfile", "targets", "harvest"} as at the top of a
 *                     JSON case: what `lotsmith harvest` needs           optional
 *
 * Every problem names the file, its line and the column (or JSON field) as written.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import {
  ACCOUNT_COLUMNS,
  AccountSchema,
  HOUSEHOLD_JSON_SHAPE,
  HouseholdDocumentSchema,
  SECURITY_COLUMNS,
  SETTINGS_JSON_SHAPE,
  SecuritySchema,
  SettingsSchema,
  toHousehold,
  groupIssues,
  withValidation,
  type AccountRecord,
  type Case,
  type SecurityRecord,
} from './caseEnvelope.js';
import { readTable, type ColumnSpec } from './csvTables.js';
import { readInputText, readJsonFile } from './inputText.js';
import { decodeTransactionsText } from './transactionsCsv.js';
import { decodeDocument } from './zodInput.js';
import type { z } from 'zod';

export const CASE_DIRECTORY_FILES =
  'a case directory holds transactions.csv and accounts.csv, and optionally securities.csv, settings.json and household.json (see docs/ledger.md)';

/** Each CSV row checked against its schema; issues point at the file, line and column. */
function decodeRows<S extends z.ZodType>(path: string, spec: ColumnSpec, schema: S, what: string, required: boolean): Result<{ rows: z.output<S>[]; lines: number[] }> {
  if (!existsSync(path)) {
    if (!required) return { ok: true, value: { rows: [], lines: [] } };
    return { ok: false, issues: [issue('PARSE', `${basename(path)} not found: ${CASE_DIRECTORY_FILES}`, { file: path })] };
  }
  const table = readTable(path, spec);
  if (!table.ok) return table;
  if (table.value.rows.length === 0) {
    return { ok: false, issues: [issue('PARSE', `no ${what}: the header is followed by no rows (${spec.rowsAre})`, { file: path, row: 2 })] };
  }
  const rows: z.output<S>[] = [];
  const lines: number[] = [];
  const issues: Issue[] = [];
  for (const r of table.value.rows) {
    const d = decodeDocument(schema, r.record, path, spec.rowsAre);
    if (d.ok) {
      rows.push(d.value);
      lines.push(r.line);
    } else issues.push(...d.issues.map((i) => ({ ...i, at: { ...i.at, row: r.line } })));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { rows, lines } };
}

function optionalJson<S extends z.ZodType>(path: string, schema: S, what: string): Result<z.output<S> | undefined> {
  if (!existsSync(path)) return { ok: true, value: undefined };
  const doc = readJsonFile(path);
  return doc.ok ? decodeDocument(schema, doc.value, path, what) : doc;
}

export function loadCsvCase(transactionsPath: string, dir: string): Result<Case> {
  const accountsPath = join(dir, 'accounts.csv');
  const securitiesPath = join(dir, 'securities.csv');
  const settingsPath = join(dir, 'settings.json');
  const documentPath = join(dir, 'household.json');
  const accounts = decodeRows(accountsPath, ACCOUNT_COLUMNS, AccountSchema, 'accounts', true);
  const securities = decodeRows(securitiesPath, SECURITY_COLUMNS, SecuritySchema, 'securities', false);
  const settings = optionalJson(settingsPath, SettingsSchema, SETTINGS_JSON_SHAPE);
  const document = optionalJson(documentPath, HouseholdDocumentSchema, HOUSEHOLD_JSON_SHAPE);
  const envelopeIssues = [accounts, securities, settings, document].flatMap((r) => (r.ok ? [] : r.issues));
  if (!accounts.ok || !securities.ok || !settings.ok || !document.ok) return { ok: false, issues: envelopeIssues };
  const lines = { accounts: accounts.value.lines, securities: securities.value.lines };
  const household = toHousehold(settings.value ?? {}, accounts.value.rows as AccountRecord[], securities.value.rows as SecurityRecord[], (table, index, field) => ({
    file: table === 'accounts' ? accountsPath : securitiesPath,
    ...(lines[table][index] !== undefined ? { row: lines[table][index] } : {}),
    field,
  }));
  if (!household.ok) return household;
  const text = readInputText(transactionsPath);
  if (!text.ok) return text;
  const tx = decodeTransactionsText(text.value, transactionsPath);
  if (!tx.ok) return tx;
  const events = withValidation(household.value, tx.value.events, tx.value.issues);
  if (!events.ok) return events;
  const groups = groupIssues(household.value, events.value, settingsPath, '');
  if (groups.length > 0) return { ok: false, issues: groups };
  return {
    ok: true,
    value: {
      household: household.value,
      events: events.value,
      document: document.value ?? {},
      documentFile: documentPath,
      files: [transactionsPath, accountsPath, ...[securitiesPath, settingsPath, documentPath].filter((p) => existsSync(p))],
    },
  };
}
