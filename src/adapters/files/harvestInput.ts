/**
 * The parts of a household case the harvester needs beyond the ledger, validated with zod:
 *
 *   "taxProfile": { filingStatus?, ordinaryTaxableIncome | grossOrdinaryIncome (+ deduction),
 *                   state?, stateRate?, magi?, netInvestmentIncome?, carryoverIn? }
 *   "targets":    { "<account>": { "riskScore": 8 } | { "weights": { "us_stocks": 0.6, ... } } }
 *                 (an account that also holds a direct index weighs it as "direct_index" among the weights)
 *   "harvest":    { minLoss?, minNetBenefitBps?, commission?, driftBand?, lockAcrossAccounts?, switchBackMaxGain?,
 *                   alternateMinHoldDays?, rebalanceMaxShortTermGain?, minCashToInvest?, fillDelayDays?,
 *                   halfSpreadBps?: { "<symbol>": bps }, discountRate?, yearsUntilUsed? }
 *
 * Filing status defaults to the case's settings. Accounts without targets are harvested but not
 * rebalanced and their cash is not invested.
 */
import { z } from 'zod';
import { issue, type Issue, type Result } from '../../core/kernel/errors.js';
import { exact, type Usd } from '../../core/kernel/exact.js';
import type { Case } from './caseEnvelope.js';
import { decodeDocument } from './zodInput.js';
import { DEFAULT_CONFIG, type HarvestConfig } from '../../core/harvest/config.js';
import { SLEEVE_TARGET } from '../../core/harvest/sleevePart.js';
import type { Targets } from '../../core/harvest/state.js';
import { accountId, symbol, type AccountId } from '../../core/ledger/household.js';
import { targetWeights, type Universe } from '../../core/securities/universe.js';
import { decodeProfileDocument, type ProfileDocument } from './taxInput.js';

const money = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const r = exact('usd', v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  if (r.value < 0) {
    ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    return z.NEVER;
  }
  return r.value;
});

const TargetSchema = z
  .strictObject({ riskScore: z.number().min(0.5).max(10).optional(), weights: z.record(z.string(), z.number().min(0).max(1)).optional() })
  .refine((t) => (t.riskScore === undefined) !== (t.weights === undefined), { message: 'give either "riskScore" or "weights"' });

const TargetsSchema = z.record(z.string(), TargetSchema);

/** The harvester's settings in a case file's "harvest" section or a backtest config's "harvester". */
export const HarvestSchema = z.strictObject({
  minLoss: money.optional(),
  minNetBenefitBps: z.number().min(0).max(10_000).optional(),
  commission: money.optional(),
  driftBand: z.number().gt(0).max(1).optional(),
  lockAcrossAccounts: z.boolean().optional(),
  switchBackMaxGain: z.number().min(0).max(1).optional(),
  alternateMinHoldDays: z.number().int().min(31).optional(),
  rebalanceMaxShortTermGain: z.number().min(0).max(1).optional(),
  minCashToInvest: money.optional(),
  fillDelayDays: z.number().int().min(0).max(20).optional(),
  halfSpreadBps: z.record(z.string(), z.number().min(0).max(500)).optional(),
  discountRate: z.number().gt(-1).optional(),
  yearsUntilUsed: z.number().min(0).optional(),
});

export interface HarvestInputs {
  readonly profile: ProfileDocument;
  readonly targets: ReadonlyMap<AccountId, Targets>;
  readonly config: HarvestConfig;
}

export function decodeHarvestInputs(c: Case, universe: Universe): Result<HarvestInputs> {
  const file = c.documentFile ?? c.files[0] ?? '';
  const doc = c.document;
  const issues: Issue[] = [];
  const rawProfile = doc['taxProfile'];
  if (typeof rawProfile !== 'object' || rawProfile === null) {
    const where = c.files.length > 1 ? ' (for CSV files, in household.json beside them)' : '';
    return { ok: false, issues: [issue('MISSING_FIELD', `the harvester needs the household tax profile${where}: {"taxProfile": {"ordinaryTaxableIncome": ..., "state": ...}}`, { file, field: 'taxProfile' })] };
  }
  const profile = decodeProfileDocument({ filingStatus: c.household.settings.filingStatus, ...rawProfile }, file);
  if (!profile.ok) issues.push(...profile.issues.map((i) => ({ ...i, at: { ...i.at, field: `taxProfile.${i.at.field ?? ''}` } })));
  const targets = new Map<AccountId, Targets>();
  const rawTargets = decodeDocument(TargetsSchema, doc['targets'] ?? {}, file, 'targets by account: {"<account>": {"riskScore": 8}}', ['targets']);
  if (!rawTargets.ok) issues.push(...rawTargets.issues);
  else {
    for (const [account, t] of Object.entries(rawTargets.value)) {
      const at = { file, field: `targets.${account}` };
      if (!c.household.accounts.some((a) => a.id === account)) {
        issues.push(issue('UNKNOWN_ACCOUNT', `unknown account "${account}"`, at));
        continue;
      }
      const weights = t.riskScore !== undefined ? targetWeights(universe, t.riskScore) : new Map(Object.entries(t.weights ?? {}));
      const sum = weights === undefined ? 0 : [...weights.values()].reduce((s, w) => s + w, 0);
      const unknown = weights === undefined ? [] : [...weights.keys()].filter((k) => k !== SLEEVE_TARGET && !universe.classes.some((cl) => cl.id === k));
      if (weights === undefined || Math.abs(sum - 1) > 1e-6) issues.push(issue('BAD_VALUE', `weights must sum to 1 (got ${sum})`, at));
      else if (unknown.length > 0) issues.push(issue('BAD_VALUE', `unknown asset classes: ${unknown.join(', ')} (the universe's: ${universe.classes.map((cl) => cl.id).join(', ')}; "${SLEEVE_TARGET}" weighs a direct index)`, at));
      else targets.set(accountId(account), weights);
    }
  }
  const h = decodeDocument(HarvestSchema, doc['harvest'] ?? {}, file, 'the harvester\'s settings: {"minLoss": ..., "driftBand": ..., ...}', ['harvest']);
  if (!h.ok) issues.push(...h.issues);
  if (issues.length > 0 || !profile.ok || !h.ok) return { ok: false, issues };
  return { ok: true, value: { profile: profile.value, targets, config: harvestConfig(h.value, profile.value) } };
}

/** The harvester's config from its decoded section, defaults for what it leaves out. */
export function harvestConfig(o: z.infer<typeof HarvestSchema>, lossDefaults: { discountRate?: number; yearsUntilUsed?: number } = {}): HarvestConfig {
  return {
    ...DEFAULT_CONFIG,
    ...(o.minLoss !== undefined ? { minLoss: o.minLoss as Usd } : {}),
    ...(o.minNetBenefitBps !== undefined ? { minNetBenefitBps: o.minNetBenefitBps } : {}),
    ...(o.commission !== undefined ? { commission: o.commission as Usd } : {}),
    ...(o.driftBand !== undefined ? { driftBand: o.driftBand } : {}),
    ...(o.lockAcrossAccounts !== undefined ? { lockAcrossAccounts: o.lockAcrossAccounts } : {}),
    ...(o.switchBackMaxGain !== undefined ? { switchBackMaxGain: o.switchBackMaxGain } : {}),
    ...(o.alternateMinHoldDays !== undefined ? { alternateMinHoldDays: o.alternateMinHoldDays } : {}),
    ...(o.rebalanceMaxShortTermGain !== undefined ? { rebalanceMaxShortTermGain: o.rebalanceMaxShortTermGain } : {}),
    ...(o.minCashToInvest !== undefined ? { minCashToInvest: o.minCashToInvest as Usd } : {}),
    ...(o.fillDelayDays !== undefined ? { fillDelayDays: o.fillDelayDays } : {}),
    ...(o.halfSpreadBps !== undefined ? { halfSpreadBps: new Map(Object.entries(o.halfSpreadBps).map(([s, v]) => [symbol(s), v])) } : {}),
    lossValue: {
      discountRate: o.discountRate ?? lossDefaults.discountRate ?? DEFAULT_CONFIG.lossValue.discountRate,
      yearsUntilUsed: o.yearsUntilUsed ?? lossDefaults.yearsUntilUsed ?? DEFAULT_CONFIG.lossValue.yearsUntilUsed,
    },
  };
}
