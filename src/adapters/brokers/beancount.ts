/**
 * Beancount ledgers, so a beancount or fava user can hand their book to Lotsmith (and take it back:
 * src/adapters/render/beancount.ts writes one). No beancount parser is kept on npm (the one
 * package, a WebAssembly build of rustledger, is GPL-3.0), so beancountSyntax.ts parses the subset
 * investments use; what it does not support is a located error, never skipped.
 *
 *   accounts     each Assets account holding commodities at cost is an account; one whose last
 *                component is the commodity it holds (`Assets:Vanguard:VOO`) belongs to its parent
 *                (`Assets:Vanguard`), and cash accounts under it (`Assets:Vanguard:Cash`) with it;
 *                `lotsmith-account: "name"` on the open directive sets the key. Type from
 *                `lotsmith-type: "traditional_ira"` or the name (a component with "Roth" -> roth_ira,
 *                "IRA" -> traditional_ira, "401k"/"403b" -> 401k, "HSA" -> hsa), else left to the
 *                import (taxable)
 *   securities   commodities held at cost; `lotsmith-symbol`, `cusip` or `isin` metadata on the
 *                commodity directive (the export renames tickers beancount cannot spell, like "F")
 *   events       beancountTransactions.ts, in beancount's order (by date, then file order)
 *   positions    `balance` assertions on securities in investment accounts (as of the day before)
 *   options      operating_currency must be USD; booking_method sets the default booking; other
 *                options do not affect lots. `include` is refused (pass one file); plugins are not
 *                run (noted); price, note, document, event, query, custom, close, pad are counted.
 */
import { addDays, type Day } from '../../core/kernel/calendar.js';
import type { Issue, Result } from '../../core/kernel/errors.js';
import { ACCOUNT_TYPES, symbol as toSymbol, type AccountType, type Symbol } from '../../core/ledger/household.js';
import type { FileFormat, ImportBatch } from '../../app/importBatch.js';
import { BrokerBatch } from './brokerBatch.js';
import { brokerDecimal, cusipOfIsin, isCusip } from './brokerNumbers.js';
import { Inventory, type Booking } from './beancountInventory.js';
import { parseBeancount, type Directive, type Meta, type MetaEntry } from './beancountSyntax.js';
import { bookBeanTransaction, type BeanContext } from './beancountTransactions.js';

export const beancountLedger: FileFormat = {
  id: 'beancount',
  custodian: 'beancount',
  description: 'beancount ledger: lots held at cost with their dates, sales by lot, income and cash',
  sniff: (_name, text) => /^(\d{4}[-/]\d{1,2}[-/]\d{1,2}\s+(open|commodity|balance|price|txn|\*|!)\s|option\s+"|plugin\s+")/m.test(text.slice(0, 16_384)) && !text.trimStart().startsWith('<'),
  parse: parseBeancountLedger,
};

const BOOKINGS = new Set<Booking>(['STRICT', 'STRICT_WITH_SIZE', 'FIFO', 'LIFO', 'HIFO', 'NONE', 'AVERAGE']);
const ORDER: Readonly<Record<string, number>> = { open: -2, balance: -1, document: 1, close: 2 };

interface OpenInfo {
  readonly date: Day;
  readonly line: number;
  readonly booking: Booking | undefined;
  readonly meta: Meta;
}

export function parseBeancountLedger(file: string, text: string): Result<ImportBatch> {
  const issues: Issue[] = [];
  const directives = parseBeancount(text, file, issues);
  if (issues.length > 0) return { ok: false, issues };
  const b = new BrokerBatch('beancount', file);
  const effective = new Map<Directive, Meta>();
  const opens = new Map<string, OpenInfo>();
  const commodityMeta = new Map<string, Meta>();
  const operating = 'USD';
  const operatingGiven: MetaEntry[] = [];
  let defaultBooking: Booking = 'STRICT';
  let autoAccounts = false;
  const pushed = new Map<string, MetaEntry>();
  for (const d of directives) {
    const arg = (i: number): string | undefined => d.args[i]?.text;
    switch (d.type) {
      case 'option': {
        const [name, value] = [arg(0), arg(1) ?? ''];
        if (name === 'operating_currency') operatingGiven.push({ value, line: d.line });
        else if (name === 'booking_method') {
          if (!BOOKINGS.has(value as Booking)) b.fail('BAD_VALUE', `unknown booking method "${value}"`, d.line, 'booking_method');
          else defaultBooking = value as Booking;
        } else if (name !== undefined && /^name_/.test(name)) {
          b.fail('UNKNOWN_ACTION', `option ${name} renames the root accounts, which is not supported`, d.line, name);
        } else b.count('options that do not affect lots read and ignored');
        break;
      }
      case 'include':
        b.fail('UNKNOWN_ACTION', `include "${arg(0) ?? ''}" is not followed: import a single file (e.g. concatenate the included files)`, d.line, 'include');
        break;
      case 'plugin':
        if (/auto_accounts/.test(arg(0) ?? '')) autoAccounts = true;
        b.note(`plugin ${arg(0) ?? ''} not run: the ledger is read as written`);
        break;
      case 'pushmeta':
        if (d.args[0]?.kind === 'key') pushed.set(d.args[0].text, { value: d.args.slice(1).map((t) => t.text).join(' '), line: d.line });
        break;
      case 'popmeta':
        pushed.delete(d.args[0]?.text ?? '');
        break;
      case 'pushtag':
      case 'poptag':
        break;
      case 'open': {
        const account = arg(0);
        if (account === undefined || d.args[0]?.kind !== 'account') {
          b.fail('PARSE', 'open needs an account', d.line, 'account');
          break;
        }
        if (opens.has(account)) b.fail('DUPLICATE_ID', `account ${account} is opened twice (first on line ${opens.get(account)?.line})`, d.line, 'account');
        const quoted = d.args.find((t) => t.kind === 'string')?.text;
        if (quoted !== undefined && !BOOKINGS.has(quoted as Booking)) b.fail('BAD_VALUE', `unknown booking method "${quoted}"`, d.line, 'booking');
        opens.set(account, { date: d.date as Day, line: d.line, booking: quoted as Booking | undefined, meta: d.meta });
        break;
      }
      case 'commodity':
        if (arg(0) !== undefined) commodityMeta.set(arg(0) as string, d.meta);
        break;
      default:
        if (d.type === 'txn' && pushed.size > 0) effective.set(d, new Map([...pushed, ...d.meta]));
    }
  }
  if (operatingGiven.length > 0 && !operatingGiven.some((o) => o.value === operating)) {
    const first = operatingGiven[0] as MetaEntry;
    b.fail('BAD_VALUE', `operating currency ${first.value}: Lotsmith books lots with costs in US dollars`, first.line, 'operating_currency');
  }
  const securities = securityCommodities(directives, commodityMeta, operating);
  const keys = accountKeys(directives, opens, securities);
  const symbolOf = (currency: string): Symbol | undefined => {
    if (!securities.has(currency)) return undefined;
    const meta = commodityMeta.get(currency);
    const s = toSymbol(meta?.get('lotsmith-symbol')?.value ?? currency);
    const cusip = meta?.get('cusip')?.value ?? cusipOfIsin(meta?.get('isin')?.value ?? '');
    b.addSecurity({ symbol: s, ...(cusip !== undefined && isCusip(cusip) ? { cusip } : {}) });
    return s;
  };
  for (const [key, names] of keys.accounts) {
    const type = accountTypeOf(key, names, opens, b);
    b.addAccount({ key, custodian: 'beancount', title: key.startsWith('Assets:') ? key : (names[0] as string), ...(type !== undefined ? { type } : {}) });
  }
  const ctx: BeanContext = {
    b,
    inventory: new Inventory(),
    operating,
    keyOf: keys.keyOf,
    bookingOf: (account) => opens.get(account)?.booking ?? defaultBooking,
    securityOf: symbolOf,
    symbolInAccount: (account) => {
      const hit = account.split(':').slice(1).find((c) => securities.has(c) || [...securities].some((s) => s.replace(/[^A-Za-z0-9-]/g, '-') === c));
      if (hit === undefined) return undefined;
      const currency = securities.has(hit) ? hit : [...securities].find((s) => s.replace(/[^A-Za-z0-9-]/g, '-') === hit);
      return currency === undefined ? undefined : symbolOf(currency);
    },
    isOpen: (account, date) => autoAccounts || (opens.get(account)?.date ?? Infinity) <= date,
  };
  const dated = directives.filter((d) => d.date !== undefined).sort((x, y) => (x.date as Day) - (y.date as Day) || (ORDER[x.type] ?? 0) - (ORDER[y.type] ?? 0) || x.line - y.line);
  for (const d of dated) {
    switch (d.type) {
      case 'txn':
        bookBeanTransaction(ctx, d, effective.get(d) ?? d.meta);
        break;
      case 'balance':
        balance(ctx, d, symbolOf);
        break;
      case 'open':
      case 'commodity':
        break;
      default:
        b.count(`${d.type} directives with no effect on lots`);
    }
  }
  return b.build();
}

/** Commodities held at cost somewhere in the file, or declared with Lotsmith metadata. */
function securityCommodities(directives: readonly Directive[], commodityMeta: ReadonlyMap<string, Meta>, operating: string): Set<string> {
  const out = new Set<string>();
  for (const d of directives) for (const p of d.postings) if (p.cost !== undefined && p.units !== undefined) out.add(p.units.currency);
  for (const [c, meta] of commodityMeta) if (meta.has('lotsmith-symbol') || meta.has('cusip')) out.add(c);
  out.delete(operating);
  return out;
}

interface AccountKeys {
  readonly accounts: Map<string, string[]>;
  keyOf(account: string): string | undefined;
}

function accountKeys(directives: readonly Directive[], opens: ReadonlyMap<string, OpenInfo>, securities: ReadonlySet<string>): AccountKeys {
  const holding = new Map<string, Set<string>>();
  for (const d of directives) {
    for (const p of d.postings) {
      if (p.units === undefined || !securities.has(p.units.currency) || !p.account.startsWith('Assets:')) continue;
      holding.set(p.account, (holding.get(p.account) ?? new Set()).add(p.units.currency));
    }
  }
  for (const [account, info] of opens) if (info.meta.has('lotsmith-account') && !holding.has(account)) holding.set(account, new Set());
  const direct = new Map<string, string>();
  const grouped = new Map<string, string>();
  const accounts = new Map<string, string[]>();
  const parent = (a: string): string => a.slice(0, Math.max(0, a.lastIndexOf(':')));
  for (const [account, held] of holding) {
    const given = opens.get(account)?.meta.get('lotsmith-account')?.value;
    const leaf = account.slice(account.lastIndexOf(':') + 1);
    const byCommodity = given === undefined && held.size === 1 && held.has(leaf) && parent(account).includes(':');
    const key = given ?? (byCommodity ? parent(account) : account);
    direct.set(account, key);
    if (byCommodity) grouped.set(parent(account), key);
    accounts.set(key, [...(accounts.get(key) ?? []), account]);
  }
  const line = (names: readonly string[]): number => Math.min(...names.map((n) => opens.get(n)?.line ?? Infinity));
  const ordered = new Map([...accounts].sort((a, b) => line(a[1]) - line(b[1])));
  const keyOf = (account: string): string | undefined =>
    direct.get(account) ?? opens.get(account)?.meta.get('lotsmith-account')?.value ?? direct.get(parent(account)) ?? grouped.get(parent(account)) ?? grouped.get(account);
  return { accounts: ordered, keyOf };
}

function accountTypeOf(key: string, names: readonly string[], opens: ReadonlyMap<string, OpenInfo>, b: BrokerBatch): AccountType | undefined {
  for (const name of names) {
    const given = opens.get(name)?.meta.get('lotsmith-type');
    if (given === undefined) continue;
    if ((ACCOUNT_TYPES as readonly string[]).includes(given.value)) return given.value as AccountType;
    b.fail('BAD_VALUE', `lotsmith-type must be one of ${ACCOUNT_TYPES.join(', ')}, got "${given.value}"`, given.line, 'lotsmith-type');
    return undefined;
  }
  const components = [key, ...names].flatMap((n) => n.split(':'));
  if (components.some((c) => /roth/i.test(c))) return 'roth_ira';
  if (components.some((c) => /IRA/.test(c) || /^ira$/i.test(c))) return 'traditional_ira';
  if (components.some((c) => /^(401-?k|403-?b)$/i.test(c) || /401k|403b/i.test(c))) return '401k';
  if (components.some((c) => /^hsa$/i.test(c) || /HSA/.test(c))) return 'hsa';
  return undefined;
}

function balance(ctx: BeanContext, d: Directive, symbolOf: (c: string) => Symbol | undefined): void {
  const account = d.args[0]?.text ?? '';
  const number = d.args.find((t) => t.kind === 'number')?.text;
  const currency = d.args.find((t) => t.kind === 'currency')?.text;
  const key = ctx.keyOf(account);
  const sym = currency === undefined ? undefined : symbolOf(currency);
  if (key === undefined || sym === undefined || number === undefined) return ctx.b.count('balance assertions on cash or other accounts not checked');
  const shares = brokerDecimal('shares', number.replace(/,/g, ''));
  if (!shares.ok) return void ctx.b.fail('BAD_NUMBER', shares.reason, d.line, 'amount');
  ctx.b.addPosition({ accountKey: key, symbol: sym, asOf: addDays(d.date as Day, -1), shares: shares.value, source: ctx.b.at(d.line, 'balance') });
  ctx.b.count('balance assertions on securities kept as stated positions');
}
