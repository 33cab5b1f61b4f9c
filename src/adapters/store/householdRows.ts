/**
 * Households, accounts and securities ↔ their rows. The substantially-identical policy is kept as
 * JSON (groups of symbols, dated periods) in the household row.
 */
import type { AccountInfo, HouseholdId, StoredHousehold } from '../../app/ports.js';
import {
  accountId,
  symbol,
  type Account,
  type AccountId,
  type AccountType,
  type FilingStatus,
  type HouseholdSettings,
  type IdenticalPeriod,
  type LotMethod,
  type Owner,
  type Security,
  type SubstantiallyIdenticalPolicy,
} from '../../core/ledger/household.js';
import { dayOf, dayText } from './rows.js';

export interface IdentityJson {
  readonly policy: 'same_symbol' | 'groups';
  readonly groups: readonly (readonly string[])[];
  readonly periods?: readonly { readonly symbols: readonly string[]; readonly from?: string; readonly until?: string }[];
  readonly matchCusip: boolean;
}

export function identityJson(p: SubstantiallyIdenticalPolicy): IdentityJson {
  return {
    policy: p.policy,
    groups: p.groups.map((g) => [...g]),
    ...(p.periods !== undefined
      ? {
          periods: p.periods.map((x) => ({
            symbols: [...x.symbols],
            ...(x.from !== undefined ? { from: dayText(x.from) } : {}),
            ...(x.until !== undefined ? { until: dayText(x.until) } : {}),
          })),
        }
      : {}),
    matchCusip: p.matchCusip,
  };
}

export function identityOf(j: IdentityJson): SubstantiallyIdenticalPolicy {
  return {
    policy: j.policy,
    groups: j.groups.map((g) => g.map(symbol)),
    ...(j.periods !== undefined
      ? {
          periods: j.periods.map(
            (x): IdenticalPeriod => ({
              symbols: x.symbols.map(symbol),
              ...(x.from !== undefined ? { from: dayOf(x.from) } : {}),
              ...(x.until !== undefined ? { until: dayOf(x.until) } : {}),
            }),
          ),
        }
      : {}),
    matchCusip: j.matchCusip,
  };
}

export interface HouseholdRow {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly filingStatus: string;
  readonly lotMethod: string;
  readonly taxYear: number | null;
  readonly identity: unknown;
  readonly taxProfile: unknown;
  readonly targets: unknown;
  readonly harvest: unknown;
  readonly eventCount: number;
  readonly lastEventDate: string | null;
}

export interface AccountRow {
  readonly id: string;
  readonly type: string;
  readonly owner: string;
  readonly lotMethod: string | null;
  readonly custodian: string | null;
  readonly externalNumber: string | null;
  readonly title: string | null;
}

export interface SecurityRow {
  readonly symbol: string;
  readonly cusip: string | null;
  readonly assetClass: string | null;
  readonly indexName: string | null;
}

export function settingsOf(h: HouseholdRow): HouseholdSettings {
  return {
    ...(h.taxYear !== null ? { taxYear: h.taxYear } : {}),
    filingStatus: h.filingStatus as FilingStatus,
    lotMethod: h.lotMethod as LotMethod,
    substantiallyIdentical: identityOf(h.identity as IdentityJson),
  };
}

export function accountOf(r: AccountRow): Account {
  return { id: accountId(r.id), type: r.type as AccountType, owner: r.owner as Owner, ...(r.lotMethod !== null ? { lotMethod: r.lotMethod as LotMethod } : {}) };
}

export function accountInfoOf(r: AccountRow): AccountInfo {
  return {
    ...(r.custodian !== null ? { custodian: r.custodian } : {}),
    ...(r.externalNumber !== null ? { externalNumber: r.externalNumber } : {}),
    ...(r.title !== null ? { title: r.title } : {}),
  };
}

export function securityOf(r: SecurityRow): Security {
  return {
    symbol: symbol(r.symbol),
    ...(r.cusip !== null ? { cusip: r.cusip } : {}),
    ...(r.assetClass !== null ? { assetClass: r.assetClass } : {}),
    ...(r.indexName !== null ? { index: r.indexName } : {}),
  };
}

export function storedHousehold(h: HouseholdRow, accounts: readonly AccountRow[], securities: readonly SecurityRow[]): StoredHousehold {
  const info = new Map<AccountId, AccountInfo>();
  for (const a of accounts) info.set(accountId(a.id), accountInfoOf(a));
  return {
    id: h.id as HouseholdId,
    name: h.name,
    version: h.version,
    household: { settings: settingsOf(h), accounts: accounts.map(accountOf), securities: securities.map(securityOf) },
    accountInfo: info,
    documents: {
      ...(h.taxProfile !== null ? { taxProfile: h.taxProfile } : {}),
      ...(h.targets !== null ? { targets: h.targets } : {}),
      ...(h.harvest !== null ? { harvest: h.harvest } : {}),
    },
    eventCount: h.eventCount,
    lastEventDate: h.lastEventDate === null ? undefined : dayOf(h.lastEventDate),
  };
}
