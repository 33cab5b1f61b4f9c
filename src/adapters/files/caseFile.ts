/**
 * Household case input. Two forms describe the same thing:
 *
 *  1. One JSON document (the "household case" of the examples): { settings, accounts,
 *     securities?, events }.
 *  2. CSV files: transactions.csv (date,account,action,symbol,shares,price,fees,lot_method,lots
 *     plus optional id, amount, split_from, split_to, acquired_date, basis, to_account, ...),
 *     accounts.csv (id,type,owner[,lot_method]) and optionally securities.csv
 *     (symbol,cusip,asset_class,index) and settings.json — given as a directory holding those
 *     names, or as the transactions file with the others beside it.
 *
 * The envelope (settings, accounts, securities) is validated with zod; events go through the
 * shared record decoder. Every problem is reported with file, row and field; nothing is returned
 * unless everything decoded.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import { validateCase } from '../../core/ledger/validation.js';
import {
  ACCOUNT_TYPES,
  DEFAULT_SETTINGS,
  FILING_STATUSES,
  OWNERS,
  accountId,
  lotMethodFrom,
  symbol,
  type Household,
  type HouseholdSettings,
  type IdenticalPeriod,
} from '../../core/ledger/household.js';
import { readTableCsv, readText } from './csvTables.js';
import { decodeTransactionsText } from './transactionsCsv.js';
import { canonicalField, decodeEvent, type RawEvent } from './eventRecord.js';

export interface Case {
  readonly household: Household;
  readonly events: readonly LedgerEvent[];
  /** The rest of the document (e.g. a tax profile) for commands that need it. */
  readonly document: Readonly<Record<string, unknown>>;
  readonly files: readonly string[];
}

const lotMethod = z.string().refine((s) => lotMethodFrom(s) !== undefined, {
  message: 'unknown lot method (FIFO, LIFO, HIFO, TAX_MIN or SPECIFIC)',
});

const isoDay = z.string().refine((t) => parseDay(t) !== undefined, { message: 'not a date in YYYY-MM-DD form' });

const SettingsSchema = z.looseObject({
  taxYear: z.number().int().min(1900).max(2200).optional(),
  filingStatus: z.enum(FILING_STATUSES).optional(),
  lotSelection: lotMethod.optional(),
  lotMethod: lotMethod.optional(),
  substantiallyIdentical: z
    .object({
      policy: z.enum(['same_symbol', 'groups']).default('same_symbol'),
      groups: z.array(z.array(z.string().min(1)).min(2)).optional(),
      periods: z
        .array(z.strictObject({ symbols: z.array(z.string().min(1)).min(2), from: isoDay.optional(), until: isoDay.optional() }))
        .optional(),
      matchCusip: z.boolean().optional(),
    })
    .optional(),
});

const AccountSchema = z.object({
  id: z.string().min(1),
  type: z.enum(ACCOUNT_TYPES),
  owner: z.enum(OWNERS).default('self'),
  lotMethod: lotMethod.optional(),
});

const SecuritySchema = z.object({
  symbol: z.string().min(1),
  cusip: z.string().min(1).optional(),
  assetClass: z.string().min(1).optional(),
  index: z.string().min(1).optional(),
});

const EnvelopeSchema = z.looseObject({
  settings: SettingsSchema.default({}),
  accounts: z.array(AccountSchema).min(1),
  securities: z.array(SecuritySchema).default([]),
  events: z.array(z.record(z.string(), z.unknown())).default([]),
});

type Envelope = z.infer<typeof EnvelopeSchema>;

export function zodIssues(error: z.ZodError, file: string): Issue[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
    return issue(missing ? 'MISSING_FIELD' : 'BAD_VALUE', missing ? 'is required' : i.message, { file, field: path });
  });
}

function canonicalKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[canonicalField(k)] = v;
  return out;
}

function toPeriod(p: { symbols: string[]; from?: string | undefined; until?: string | undefined }): IdenticalPeriod {
  return {
    symbols: p.symbols.map(symbol),
    ...(p.from !== undefined ? { from: parseDay(p.from) as Day } : {}),
    ...(p.until !== undefined ? { until: parseDay(p.until) as Day } : {}),
  };
}

function toHousehold(env: Envelope, file: string): Result<Household> {
  const s = env.settings;
  const method = s.lotMethod ?? s.lotSelection;
  const settings: HouseholdSettings = {
    ...(s.taxYear !== undefined ? { taxYear: s.taxYear } : {}),
    filingStatus: s.filingStatus ?? DEFAULT_SETTINGS.filingStatus,
    lotMethod: method !== undefined ? (lotMethodFrom(method) ?? 'FIFO') : DEFAULT_SETTINGS.lotMethod,
    substantiallyIdentical: {
      policy: s.substantiallyIdentical?.policy ?? 'same_symbol',
      groups: (s.substantiallyIdentical?.groups ?? []).map((g) => g.map(symbol)),
      ...(s.substantiallyIdentical?.periods !== undefined ? { periods: s.substantiallyIdentical.periods.map(toPeriod) } : {}),
      matchCusip: s.substantiallyIdentical?.matchCusip ?? false,
    },
  };
  const issues: Issue[] = [];
  const seen = new Set<string>();
  env.accounts.forEach((a, i) => {
    if (seen.has(a.id)) issues.push(issue('DUPLICATE_ID', `duplicate account id "${a.id}"`, { file, row: i + 1, field: `accounts[${i}].id` }));
    seen.add(a.id);
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      settings,
      accounts: env.accounts.map((a) => ({
        id: accountId(a.id),
        type: a.type,
        owner: a.owner,
        ...(a.lotMethod !== undefined ? { lotMethod: lotMethodFrom(a.lotMethod) ?? 'FIFO' } : {}),
      })),
      securities: env.securities.map((sec) => ({
        symbol: symbol(sec.symbol),
        ...(sec.cusip !== undefined ? { cusip: sec.cusip } : {}),
        ...(sec.assetClass !== undefined ? { assetClass: sec.assetClass } : {}),
        ...(sec.index !== undefined ? { index: sec.index } : {}),
      })),
    },
  };
}

/**
 * Decoded events, or every problem: when some records fail to decode, the ones that decoded are
 * still checked (accounts, order, ranges) so one run reports every problem in the file.
 */
function withValidation(household: Household, events: LedgerEvent[], issues: readonly Issue[]): Result<LedgerEvent[]> {
  if (issues.length === 0) return { ok: true, value: events };
  const more = validateCase(household, events);
  const rowKey = (i: Issue): number => i.at.row ?? 0;
  return { ok: false, issues: [...issues, ...more].sort((a, b) => rowKey(a) - rowKey(b)) };
}

function decodeEvents(household: Household, records: readonly RawEvent[], file: string): Result<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  const issues: Issue[] = [];
  records.forEach((r, i) => {
    const d = decodeEvent(r, { file, row: i + 1 }, `row${i + 1}`);
    if (d.ok) events.push(d.event);
    else issues.push(...d.issues);
  });
  return withValidation(household, events, issues);
}

/** Decodes a parsed household case document. */
export function decodeCaseDocument(doc: unknown, file: string): Result<Case> {
  const parsed = EnvelopeSchema.safeParse(normalizeEnvelope(doc));
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, file) };
  const household = toHousehold(parsed.data, file);
  if (!household.ok) return household;
  const events = decodeEvents(household.value, parsed.data.events.map((e) => canonicalKeys(e) as RawEvent), file);
  if (!events.ok) return events;
  const { settings: _s, accounts: _a, securities: _sec, events: _e, ...rest } = parsed.data;
  return { ok: true, value: { household: household.value, events: events.value, document: rest, files: [file] } };
}

function normalizeEnvelope(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const d = doc as Record<string, unknown>;
  const fix = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null ? canonicalKeys(x as Record<string, unknown>) : x)) : v);
  return {
    ...d,
    ...(typeof d['settings'] === 'object' && d['settings'] !== null ? { settings: canonicalKeys(d['settings'] as Record<string, unknown>) } : {}),
    ...(d['accounts'] !== undefined ? { accounts: fix(d['accounts']) } : {}),
    ...(d['securities'] !== undefined ? { securities: fix(d['securities']) } : {}),
  };
}

/** Loads a case from a JSON file, a directory of CSV files, or a transactions CSV. */
export function loadCase(path: string): Result<Case> {
  if (!existsSync(path)) return { ok: false, issues: [issue('PARSE', 'file not found', { file: path })] };
  if (statSync(path).isDirectory()) return loadCsvCase(join(path, 'transactions.csv'), path);
  if (path.toLowerCase().endsWith('.csv')) return loadCsvCase(path, dirname(path));
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { ok: false, issues: [issue('PARSE', `not valid JSON: ${(err as Error).message}`, { file: path })] };
  }
  return decodeCaseDocument(doc, path);
}

function loadCsvCase(transactionsPath: string, dir: string): Result<Case> {
  const accountsPath = join(dir, 'accounts.csv');
  const securitiesPath = join(dir, 'securities.csv');
  const settingsPath = join(dir, 'settings.json');
  if (!existsSync(accountsPath)) {
    return { ok: false, issues: [issue('PARSE', `accounts.csv not found beside ${basename(transactionsPath)}`, { file: accountsPath })] };
  }
  const accounts = readTableCsv(accountsPath);
  if (!accounts.ok) return accounts;
  const securities = existsSync(securitiesPath) ? readTableCsv(securitiesPath) : { ok: true as const, value: [] };
  if (!securities.ok) return securities;
  let settings: unknown = {};
  if (existsSync(settingsPath)) {
    try {
      settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    } catch (err) {
      return { ok: false, issues: [issue('PARSE', `not valid JSON: ${(err as Error).message}`, { file: settingsPath })] };
    }
  }
  const env = EnvelopeSchema.safeParse(
    normalizeEnvelope({ settings, accounts: accounts.value.map((r) => r.record), securities: securities.value.map((r) => r.record) }),
  );
  if (!env.success) {
    const withRows = zodIssues(env.error, accountsPath).map((i) => rowFromPath(i, accountsPath, securitiesPath, settingsPath));
    return { ok: false, issues: withRows };
  }
  const household = toHousehold(env.data, accountsPath);
  if (!household.ok) return household;
  const text = readText(transactionsPath);
  if (!text.ok) return text;
  const tx = decodeTransactionsText(text.value, transactionsPath);
  if (!tx.ok) return tx;
  const events = withValidation(household.value, tx.value.events, tx.value.issues);
  if (!events.ok) return events;
  return {
    ok: true,
    value: {
      household: household.value,
      events: events.value,
      document: {},
      files: [transactionsPath, accountsPath, ...(existsSync(securitiesPath) ? [securitiesPath] : [])],
    },
  };
}

/** Points an envelope issue from CSV input at the file and line it came from. */
function rowFromPath(i: Issue, accountsPath: string, securitiesPath: string, settingsPath: string): Issue {
  const m = /^(accounts|securities)\[(\d+)\]\.?(.*)$/.exec(i.at.field ?? '');
  if (!m) return { ...i, at: { ...i.at, file: settingsPath } };
  const file = m[1] === 'accounts' ? accountsPath : securitiesPath;
  return { ...i, at: { file, row: Number(m[2]) + 2, field: m[3] ?? '' } };
}
