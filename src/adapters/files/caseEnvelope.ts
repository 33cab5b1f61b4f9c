/**
 * The parts of a household case around its events — settings, accounts, securities, and the
 * harvester's sections — as strict zod schemas shared by the JSON document and the CSV files
 * (settings.json, accounts.csv, securities.csv, household.json), and their translation into the
 * core Household. Unknown keys are errors (zodInput.ts); problems name the file and field (and the
 * CSV line).
 */
import { z } from 'zod';
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import type { LedgerEvent, SourceRef } from '../../core/ledger/events.js';
import { validateCase, validateGroups } from '../../core/ledger/validation.js';
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
import type { ColumnSpec } from './csvTables.js';
import { isoDay } from './fieldSchemas.js';

const lotMethod = z.string().refine((s) => lotMethodFrom(s) !== undefined, {
  message: 'unknown lot method (FIFO, LIFO, HIFO, TAX_MIN or SPECIFIC)',
});

export const SettingsSchema = z
  .strictObject({
    taxYear: z.number().int().min(1900).max(2199).optional(),
    filingStatus: z.enum(FILING_STATUSES).optional(),
    lotSelection: lotMethod.optional(),
    /** The same as lotSelection (the name accounts and events use). */
    lotMethod: lotMethod.optional(),
    substantiallyIdentical: z
      .strictObject({
        policy: z.enum(['same_symbol', 'groups']).default('same_symbol'),
        groups: z.array(z.array(z.string().min(1)).min(2)).optional(),
        periods: z.array(z.strictObject({ symbols: z.array(z.string().min(1)).min(2), from: isoDay.optional(), until: isoDay.optional() })).optional(),
        matchCusip: z.boolean().optional(),
      })
      .optional(),
  })
  .refine((s) => s.lotSelection === undefined || s.lotMethod === undefined, { message: 'given twice, as "lotSelection" and "lotMethod"', path: ['lotMethod'] });

export const AccountSchema = z.strictObject({
  id: z.string().min(1),
  type: z.enum(ACCOUNT_TYPES),
  owner: z.enum(OWNERS).default('self'),
  lotMethod: lotMethod.optional(),
});

export const SecuritySchema = z.strictObject({
  symbol: z.string().min(1),
  cusip: z.string().min(1).optional(),
  assetClass: z.string().min(1).optional(),
  index: z.string().min(1).optional(),
});

/**
 * What a case may say besides its ledger: a description, and the harvester's tax profile, targets
 * and settings (checked by the commands that use them: decodeHarvestInputs).
 */
export const DocumentShape = {
  description: z.string().optional(),
  taxProfile: z.unknown().optional(),
  targets: z.unknown().optional(),
  harvest: z.unknown().optional(),
};

/**
 * A JSON case. Its events are taken out before the envelope is checked (they go through the event
 * decoder, not zod); the key is listed so a misspelt "evnets" gets its suggestion.
 */
export const EnvelopeSchema = z.strictObject({
  settings: SettingsSchema.default({}),
  accounts: z.array(AccountSchema).min(1, 'a household needs at least one account'),
  securities: z.array(SecuritySchema).default([]),
  events: z.never().optional(),
  ...DocumentShape,
});

/** household.json beside a CSV case: the document parts a JSON case carries at its top. */
export const HouseholdDocumentSchema = z.strictObject(DocumentShape);

export type Settings = z.infer<typeof SettingsSchema>;
export type AccountRecord = z.infer<typeof AccountSchema>;
export type SecurityRecord = z.infer<typeof SecuritySchema>;

export const ACCOUNT_COLUMNS: ColumnSpec = { known: Object.keys(AccountSchema.shape), required: ['id', 'type'], rowsAre: 'one row per account' };
export const SECURITY_COLUMNS: ColumnSpec = { known: Object.keys(SecuritySchema.shape), required: ['symbol'], rowsAre: 'one row per security' };

export const CASE_JSON_SHAPE = 'a household case: a JSON object {"settings": {...}, "accounts": [...], "securities": [...], "events": [...]}';
export const SETTINGS_JSON_SHAPE = 'the household settings: a JSON object {"taxYear": ..., "filingStatus": ..., "lotSelection": ..., "substantiallyIdentical": {...}}';
export const HOUSEHOLD_JSON_SHAPE = 'the household\'s harvesting inputs: a JSON object {"taxProfile": {...}, "targets": {...}, "harvest": {...}}';

function toPeriod(p: { symbols: string[]; from?: string | undefined; until?: string | undefined }): IdenticalPeriod {
  return {
    symbols: p.symbols.map(symbol),
    ...(p.from !== undefined ? { from: parseDay(p.from) as Day } : {}),
    ...(p.until !== undefined ? { until: parseDay(p.until) as Day } : {}),
  };
}

export function toSettings(s: Settings): HouseholdSettings {
  return {
    ...(s.taxYear !== undefined ? { taxYear: s.taxYear } : {}),
    filingStatus: s.filingStatus ?? DEFAULT_SETTINGS.filingStatus,
    lotMethod: lotMethodFrom(s.lotSelection ?? s.lotMethod ?? '') ?? DEFAULT_SETTINGS.lotMethod,
    substantiallyIdentical: {
      policy: s.substantiallyIdentical?.policy ?? 'same_symbol',
      groups: (s.substantiallyIdentical?.groups ?? []).map((g) => g.map(symbol)),
      ...(s.substantiallyIdentical?.periods !== undefined ? { periods: s.substantiallyIdentical.periods.map(toPeriod) } : {}),
      matchCusip: s.substantiallyIdentical?.matchCusip ?? false,
    },
  };
}

/** Where the i-th account or security was written, for issues. */
export type Locate = (table: 'accounts' | 'securities', index: number, field: string) => SourceRef;

/** The household, or its duplicate account ids and security rows. */
export function toHousehold(settings: Settings, accounts: readonly AccountRecord[], securities: readonly SecurityRecord[], locate: Locate): Result<Household> {
  const issues: Issue[] = [];
  const duplicates = (table: 'accounts' | 'securities', keys: readonly string[], what: string): void => {
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      if (seen.has(k)) issues.push(issue('DUPLICATE_ID', `duplicate ${what} "${k}"`, locate(table, i, table === 'accounts' ? 'id' : 'symbol')));
      seen.add(k);
    });
  };
  duplicates('accounts', accounts.map((a) => a.id), 'account id');
  duplicates('securities', securities.map((s) => s.symbol), 'security');
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      settings: toSettings(settings),
      accounts: accounts.map((a) => ({
        id: accountId(a.id),
        type: a.type,
        owner: a.owner,
        ...(a.lotMethod !== undefined ? { lotMethod: lotMethodFrom(a.lotMethod) ?? 'FIFO' } : {}),
      })),
      securities: securities.map((sec) => ({
        symbol: symbol(sec.symbol),
        ...(sec.cusip !== undefined ? { cusip: sec.cusip } : {}),
        ...(sec.assetClass !== undefined ? { assetClass: sec.assetClass } : {}),
        ...(sec.index !== undefined ? { index: sec.index } : {}),
      })),
    },
  };
}

export interface Case {
  readonly household: Household;
  readonly events: readonly LedgerEvent[];
  /** The rest of the document (description, the harvester's taxProfile, targets, harvest). */
  readonly document: Readonly<Record<string, unknown>>;
  /** The file the document parts were read from (household.json beside CSV files); else files[0]. */
  readonly documentFile?: string;
  readonly files: readonly string[];
}

/**
 * Decoded events, or every problem: when some records fail to decode, the ones that decoded are
 * still checked (accounts, order, ranges) so one run reports every problem in the file.
 */
export function withValidation(household: Household, events: LedgerEvent[], issues: readonly Issue[]): Result<LedgerEvent[]> {
  if (issues.length === 0) return { ok: true, value: events };
  const more = validateCase(household, events);
  const rowKey = (i: Issue): number => i.at.row ?? 0;
  return { ok: false, issues: [...issues, ...more].sort((a, b) => rowKey(a) - rowKey(b)) };
}

/** Issues of the substantially-identical settings, pointed at the file they were written in. */
export function groupIssues(household: Household, events: readonly LedgerEvent[], file: string, fieldPrefix: string): Issue[] {
  return validateGroups(household, events).map((i) => ({ ...i, at: { ...i.at, file, field: `${fieldPrefix}${(i.at.field ?? '').replace(/^settings\./, '')}` } }));
}
