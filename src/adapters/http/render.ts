/** JSON documents of the API's own resources (the CLI's renderers serve lots, gains, runs and proposals). */
import type { StoredHousehold } from '../../app/ports.js';
import { formatDay } from '../../core/kernel/calendar.js';
import type { HouseholdSettings } from '../../core/ledger/household.js';

export function settingsJson(s: HouseholdSettings): Record<string, unknown> {
  const si = s.substantiallyIdentical;
  return {
    ...(s.taxYear !== undefined ? { taxYear: s.taxYear } : {}),
    filingStatus: s.filingStatus,
    lotSelection: s.lotMethod,
    substantiallyIdentical: {
      policy: si.policy,
      groups: si.groups,
      ...(si.periods !== undefined
        ? { periods: si.periods.map((p) => ({ symbols: p.symbols, ...(p.from !== undefined ? { from: formatDay(p.from) } : {}), ...(p.until !== undefined ? { until: formatDay(p.until) } : {}) })) }
        : {}),
      matchCusip: si.matchCusip,
    },
  };
}

export function accountsJson(h: StoredHousehold): Record<string, unknown>[] {
  return h.household.accounts.map((a) => {
    const info = h.accountInfo.get(a.id) ?? {};
    return {
      id: a.id,
      type: a.type,
      owner: a.owner,
      lotMethod: a.lotMethod ?? null,
      custodian: info.custodian ?? null,
      externalNumber: info.externalNumber ?? null,
      title: info.title ?? null,
    };
  });
}

export function householdJson(h: StoredHousehold): Record<string, unknown> {
  return {
    id: h.id,
    name: h.name,
    version: h.version,
    settings: settingsJson(h.household.settings),
    accounts: accountsJson(h),
    securities: h.household.securities.map((s) => ({ symbol: s.symbol, cusip: s.cusip ?? null, assetClass: s.assetClass ?? null, index: s.index ?? null })),
    taxProfile: h.documents.taxProfile ?? null,
    targets: h.documents.targets ?? null,
    harvest: h.documents.harvest ?? null,
    eventCount: h.eventCount,
    lastEventDate: h.lastEventDate === undefined ? null : formatDay(h.lastEventDate),
  };
}
