/**
 * A compact ledger notation for scenario tests, one event per line:
 *
 *   accounts: brokerage=taxable ira=traditional_ira spouse=taxable:spouse
 *   method: FIFO                       (optional household lot method)
 *   group: VOO IVV                     (optional substantially identical group; repeatable)
 *   period: MUB VTEB until 2021-09-14  (optional dated group: from D, until D; repeatable)
 *   securities: VOO IVV VTI            (optional list of known securities; SPY=78462F103 gives a CUSIP)
 *   match: cusip                       (optional: symbols sharing a CUSIP are one security)
 *   policy: same_symbol                (optional: force the policy, whatever groups are listed)
 *   e1 2025-01-06 brokerage buy X 100 @ 10 fee 1
 *   e2 2025-03-03 brokerage sell X 100 @ 7.5 HIFO            (or: lots e1:40;e3)
 *   e3 2025-03-20 brokerage drip X 1.5 @ 8
 *   e4 2025-04-01 - split X 2:1                              (- = every account)
 *   e5 2025-04-02 brokerage deposit 1000 | withdrawal 50 | fee 5 | dividend X 12.5
 *   e6 2025-04-03 brokerage transfer_in X 10 basis 500 acquired 2020-01-01
 *   e7 2025-04-04 brokerage transfer X 10 to ira              (or: ... to ira lots e1:10)
 *   e8 2025-04-05 brokerage transfer_out X 5
 */
import { parseDay } from '../kernel/calendar.js';
import type { LedgerEvent, LotSelection } from './events.js';
import { price, shares, usd } from '../kernel/exact.js';
import {
  DEFAULT_SETTINGS,
  accountId,
  eventId,
  lotMethodFrom,
  symbol,
  type Account,
  type AccountType,
  type Household,
  type IdenticalPeriod,
  type Owner,
} from './household.js';

export interface Scenario {
  readonly household: Household;
  readonly events: LedgerEvent[];
}

function day(text: string) {
  const d = parseDay(text);
  if (d === undefined) throw new Error(`bad date ${text}`);
  return d;
}

export function scenario(text: string): Scenario {
  const accounts: Account[] = [];
  const groups: ReturnType<typeof symbol>[][] = [];
  const periods: IdenticalPeriod[] = [];
  const securities: { symbol: ReturnType<typeof symbol>; cusip?: string }[] = [];
  let matchCusip = false;
  let policy: 'same_symbol' | 'groups' | undefined;
  let method = DEFAULT_SETTINGS.lotMethod;
  const events: LedgerEvent[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('accounts:')) {
      for (const spec of line.slice(9).trim().split(/\s+/)) {
        const [id, rest] = spec.split('=') as [string, string];
        const [type, owner] = rest.split(':') as [AccountType, Owner | undefined];
        accounts.push({ id: accountId(id), type, owner: owner ?? 'self' });
      }
      continue;
    }
    if (line.startsWith('method:')) {
      method = lotMethodFrom(line.slice(7).trim()) ?? method;
      continue;
    }
    if (line.startsWith('securities:')) {
      for (const word of line.slice(11).trim().split(/\s+/)) {
        const [name, cusip] = word.split('=') as [string, string | undefined];
        securities.push({ symbol: symbol(name), ...(cusip ? { cusip } : {}) });
      }
      continue;
    }
    if (line.startsWith('match:')) {
      matchCusip = line.slice(6).trim() === 'cusip';
      continue;
    }
    if (line.startsWith('policy:')) {
      policy = line.slice(7).trim() === 'groups' ? 'groups' : 'same_symbol';
      continue;
    }
    if (line.startsWith('period:')) {
      const words = line.slice(7).trim().split(/\s+/);
      const at = (w: string): number => words.indexOf(w);
      const end = [at('from'), at('until')].filter((i) => i >= 0);
      const from = at('from') >= 0 ? day(words[at('from') + 1] as string) : undefined;
      const until = at('until') >= 0 ? day(words[at('until') + 1] as string) : undefined;
      periods.push({ symbols: words.slice(0, end.length > 0 ? Math.min(...end) : words.length).map(symbol), ...(from ? { from } : {}), ...(until ? { until } : {}) });
      continue;
    }
    if (line.startsWith('group:')) {
      groups.push(line.slice(6).trim().split(/\s+/).map(symbol));
      continue;
    }
    events.push(parseEvent(line.split(/\s+/)));
  }
  return {
    household: {
      settings: {
        ...DEFAULT_SETTINGS,
        lotMethod: method,
        substantiallyIdentical: { policy: policy ?? (groups.length + periods.length > 0 ? 'groups' : 'same_symbol'), groups, periods, matchCusip },
      },
      accounts,
      securities,
    },
    events,
  };
}

/** "e1:40;e3": the lots named, with share counts where given. */
function specific(lots: string): LotSelection {
  return { method: 'SPECIFIC', lots: lots.split(';').map((p) => (p.includes(':') ? { lot: p.split(':')[0] as string, shares: shares(p.split(':')[1] as string) } : { lot: p })) };
}

function parseEvent(t: string[]): LedgerEvent {
  const [idText, dateText, acct, action] = t as [string, string, string, string];
  const base = { id: eventId(idText), date: day(dateText), account: accountId(acct) };
  const opt = (word: string): string | undefined => {
    const i = t.indexOf(word);
    return i >= 0 ? t[i + 1] : undefined;
  };
  const sym = symbol(t[4] as string);
  switch (action) {
    case 'buy':
    case 'drip':
      return {
        ...base,
        kind: action === 'buy' ? 'buy' : 'dividend_reinvest',
        symbol: sym,
        shares: shares(t[5] as string),
        price: price(t[7] as string),
        fees: usd(opt('fee') ?? '0'),
      };
    case 'sell': {
      const lots = opt('lots');
      const methodWord = t[8];
      const selection: LotSelection | undefined = lots
        ? specific(lots)
        : methodWord && lotMethodFrom(methodWord) && methodWord !== 'fee'
          ? ({ method: lotMethodFrom(methodWord) } as LotSelection)
          : undefined;
      return {
        ...base,
        kind: 'sell',
        symbol: sym,
        shares: shares(t[5] as string),
        price: price(t[7] as string),
        fees: usd(opt('fee') ?? '0'),
        ...(selection ? { selection } : {}),
      };
    }
    case 'split': {
      const [to, from] = (t[5] as string).split(':') as [string, string];
      return {
        id: base.id,
        date: base.date,
        kind: 'split',
        symbol: sym,
        to: shares(to),
        from: shares(from),
        ...(acct === '-' ? {} : { account: base.account }),
      };
    }
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      return { ...base, kind: action, amount: usd(t[4] as string) };
    case 'dividend':
      return { ...base, kind: 'dividend', symbol: sym, amount: usd(t[5] as string) };
    case 'transfer_in':
      return {
        ...base,
        kind: 'transfer_in',
        symbol: sym,
        shares: shares(t[5] as string),
        basis: usd(opt('basis') as string),
        acquired: day(opt('acquired') as string),
      };
    case 'transfer': {
      const lots = opt('lots');
      return { ...base, kind: 'transfer', symbol: sym, shares: shares(t[5] as string), toAccount: accountId(opt('to') as string), ...(lots ? { selection: specific(lots) } : {}) };
    }
    case 'transfer_out':
      return { ...base, kind: 'transfer_out', symbol: sym, shares: shares(t[5] as string) };
    default:
      throw new Error(`unknown action ${action}`);
  }
}
