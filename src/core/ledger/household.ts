/**
 * A household: every account of a taxpayer and spouse, the securities they hold and the
 * household-wide settings. The wash-sale rule (Pub 550: "your spouse", Rev. Rul. 2008-5: "your
 * IRA") looks across all of these accounts, so they always travel together.
 */

import type { Day } from '../kernel/calendar.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AccountId = Brand<string, 'AccountId'>;
export type EventId = Brand<string, 'EventId'>;
export type Symbol = Brand<string, 'Symbol'>;

export const accountId = (s: string): AccountId => s as AccountId;
export const eventId = (s: string): EventId => s as EventId;
export const symbol = (s: string): Symbol => s as Symbol;

export const ACCOUNT_TYPES = ['taxable', 'traditional_ira', 'roth_ira', '401k', 'hsa'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const OWNERS = ['self', 'spouse'] as const;
export type Owner = (typeof OWNERS)[number];

export const FILING_STATUSES = [
  'single',
  'married_filing_jointly',
  'married_filing_separately',
  'head_of_household',
] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export const LOT_METHODS = ['FIFO', 'LIFO', 'HIFO', 'TAX_MIN', 'SPECIFIC'] as const;
export type LotMethod = (typeof LOT_METHODS)[number];

/** Accepts the spellings people use ("fifo", "tax-min", "specific_lot") for the five methods. */
export function lotMethodFrom(text: string): LotMethod | undefined {
  const k = text.toUpperCase().replace(/[\s_-]/g, '');
  switch (k) {
    case 'FIFO':
    case 'LIFO':
    case 'HIFO':
      return k;
    case 'TAXMIN':
    case 'TAXMINIMIZING':
    case 'MINTAX':
      return 'TAX_MIN';
    case 'SPECIFIC':
    case 'SPECIFICLOT':
    case 'SPECIFICLOTS':
    case 'SPECID':
      return 'SPECIFIC';
    default:
      return undefined;
  }
}

export interface Account {
  readonly id: AccountId;
  readonly type: AccountType;
  readonly owner: Owner;
  /** Default lot method for sales in this account; the household default applies otherwise. */
  readonly lotMethod?: LotMethod;
}

export interface Security {
  readonly symbol: Symbol;
  readonly cusip?: string;
  readonly assetClass?: string;
  readonly index?: string;
}

/**
 * Which securities are "substantially identical" (§1091). `same_symbol` treats each symbol (and,
 * with `matchCusip`, symbols sharing a CUSIP) as its own class; `groups` adds explicit classes,
 * e.g. two ETFs on the same index from different issuers.
 */
export interface SubstantiallyIdenticalPolicy {
  readonly policy: 'same_symbol' | 'groups';
  readonly groups: readonly (readonly Symbol[])[];
  /** Groups that hold only for a while (with `groups` policy), e.g. two funds while on one index. */
  readonly periods?: readonly IdenticalPeriod[];
  readonly matchCusip: boolean;
}

/**
 * Securities that were substantially identical from `from` through `until` (inclusive; open when
 * omitted) — MUB and VTEB tracked one index until 2021-09-14. Identity is judged on the date of
 * the loss sale: a purchase within 30 days of it washes the loss if the two were identical on that
 * day (docs/wash-sales.md, "Index changes").
 */
export interface IdenticalPeriod {
  readonly symbols: readonly Symbol[];
  readonly from?: Day;
  readonly until?: Day;
}

export interface HouseholdSettings {
  readonly taxYear?: number;
  readonly filingStatus: FilingStatus;
  readonly lotMethod: LotMethod;
  readonly substantiallyIdentical: SubstantiallyIdenticalPolicy;
}

export interface Household {
  readonly settings: HouseholdSettings;
  readonly accounts: readonly Account[];
  readonly securities: readonly Security[];
}

export function isTaxable(account: Account): boolean {
  return account.type === 'taxable';
}

const taxableSets = new WeakMap<Household, ReadonlySet<string>>();

/** The ids of the household's taxable accounts (households are immutable: worked out once). */
export function taxableAccounts(household: Household): ReadonlySet<string> {
  let found = taxableSets.get(household);
  if (found === undefined) {
    found = new Set(household.accounts.filter(isTaxable).map((a) => a.id as string));
    taxableSets.set(household, found);
  }
  return found;
}

export const DEFAULT_SETTINGS: HouseholdSettings = {
  filingStatus: 'single',
  lotMethod: 'FIFO',
  substantiallyIdentical: { policy: 'same_symbol', groups: [], matchCusip: false },
};
