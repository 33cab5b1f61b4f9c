/**
 * Request schemas of the API (zod; the OpenAPI document is generated from them). The household's
 * settings and accounts are the case file's own schemas (files/caseEnvelope.ts), so a household
 * created over HTTP obeys the rules of one written in a file.
 */
import { z } from 'zod';
import { isoDay } from '../files/fieldSchemas.js';
import { AccountSchema, SettingsSchema } from '../files/caseEnvelope.js';
import { SCOPES } from '../../app/apiKeys.js';
import { ACCOUNT_TYPES } from '../../core/ledger/household.js';

/** Ids the book keeps as text: printable, no path separators, bounded. */
export const Id = z.string().min(1).max(200).regex(/^[^\s/\\]+$/, 'an id has no spaces or slashes');
/** An exact decimal amount or number of shares, as a string ("540.12") or a JSON number. */
export const Decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number such as "540.12"'), z.number()]);

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.string().max(400).optional(),
});

export const IdParams = z.strictObject({ id: Id });

const Documents = {
  taxProfile: z.record(z.string(), z.unknown()).optional(),
  targets: z.record(z.string(), z.unknown()).optional(),
  harvest: z.record(z.string(), z.unknown()).optional(),
};

export const NewHouseholdBody = z.strictObject({
  id: Id,
  name: z.string().min(1).max(500),
  settings: SettingsSchema.optional(),
  ...Documents,
});

export const HouseholdPatchBody = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().min(1).max(500).optional(),
  settings: SettingsSchema.optional(),
  ...Documents,
});

export const NewAccountBody = z.strictObject({
  ...AccountSchema.shape,
  id: Id,
  custodian: z.string().max(200).optional(),
  externalNumber: z.string().max(200).optional(),
  title: z.string().max(500).optional(),
});

export const ImportBody = z.strictObject({
  files: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name, without directories').refine((n) => n !== '.' && n !== '..', 'a file name'),
        content: z.string(),
        encoding: z.enum(['utf8', 'base64']).default('utf8'),
      }),
    )
    .min(1)
    .max(50),
  account: Id.optional(),
  accountType: z.enum(ACCOUNT_TYPES).optional(),
  rebook: z.boolean().optional(),
  name: z.string().min(1).max(500).optional(),
});

export const DateQuery = z.strictObject({ date: isoDay.optional() });
export const YearQuery = z.strictObject({ year: z.coerce.number().int().min(1900).max(2199).optional() });

export const TaxPreviewBody = z.union([
  z.strictObject({ date: isoDay.optional(), lots: z.array(z.strictObject({ lotId: z.string().min(1), shares: Decimal.optional() })).min(1).max(5000) }),
  z.strictObject({ date: isoDay.optional(), withdrawal: z.strictObject({ account: Id, amount: Decimal }) }),
]);

export const RunBody = z.strictObject({ date: isoDay, replace: z.boolean().optional() });

export const PROPOSAL_STATUSES = ['proposed', 'approved', 'rejected', 'expired', 'superseded', 'sent', 'partially_filled', 'filled', 'cancelled'] as const;

export const ProposalQuery = PageQuery.extend({
  status: z.enum(PROPOSAL_STATUSES).optional(),
  household: Id.optional(),
  runDate: isoDay.optional(),
});

export const ApproveBody = z.strictObject({ version: z.number().int().min(1).optional(), date: isoDay.optional() });
export const RejectBody = z.strictObject({ reason: z.string().min(1).max(2000), version: z.number().int().min(1).optional() });

export const OrdersQuery = z.strictObject({ format: z.enum(['csv', 'json']).default('json') });

export const FillsBody = z.strictObject({
  fills: z
    .array(
      z.strictObject({
        key: z.string().min(1).max(200),
        proposal: z.string().min(1),
        line: z.number().int().min(0),
        date: isoDay,
        shares: Decimal,
        price: Decimal,
        fees: Decimal.optional(),
      }),
    )
    .min(1)
    .max(10_000),
});

export const NewKeyBody = z.strictObject({ name: z.string().min(1).max(200), scopes: z.array(z.enum(SCOPES)).min(1) });

export const BacktestBody = z.strictObject({ config: z.record(z.string(), z.unknown()) });
