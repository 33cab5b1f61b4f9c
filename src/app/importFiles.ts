/**
 * Importing files into the book: case files and broker exports, parsed by adapters into
 * `ImportBatch`es (importBatch.ts), appended to one household in one transaction.
 *
 *  - Atomic: every file of the request books, or nothing is written (a booking problem anywhere —
 *    an oversell, an unknown lot — rolls the whole import back and is reported where it arose).
 *  - Idempotent: an event whose idempotency key is already in the book is recognized and skipped,
 *    so re-importing a file, or an export overlapping an earlier one, changes nothing.
 *  - Ordered: an event dated before the household's last booked day is refused unless the caller
 *    asks to rebook (`allowBackdated`), since it rewrites history already reported.
 *  - Accounts come from the files: a file's account key (its account number) finds the household's
 *    account held at that custodian under that number, or creates one (typed from the file, else
 *    `accountType`, else taxable). `account` sends every event of a single-account file to one
 *    account instead.
 *  - Splits stated as shares added become ratios from the position held the day before.
 *  - Positions a file states are checked against the booked lots; differences are reported.
 */
import { formatDay, type Day } from '../core/kernel/calendar.js';
import { issue, type Issue, type Result } from '../core/kernel/errors.js';
import { format, type Shares, type Usd } from '../core/kernel/exact.js';
import { book } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import { accountId, eventId, type Account, type AccountId, type AccountType, type Household, type Security, type Symbol } from '../core/ledger/household.js';
import type { Ledger } from '../core/ledger/ledger.js';
import { DEFAULT_ACCOUNT_KEY, type ImportBatch, type ImportedAccount, type SplitByShares } from './importBatch.js';
import type { BookStore, HouseholdId, HouseholdUnit, NewAccount, NewEvent, NewHousehold, StoredEvent, StoredHousehold, TenantId } from './ports.js';

export interface ImportSource {
  readonly batch: ImportBatch;
  /** The file's SHA-256, recorded with the import. */
  readonly sha256: string;
}

export interface ImportRequest {
  readonly tenant: TenantId;
  readonly household: HouseholdId;
  readonly sources: readonly ImportSource[];
  /** Every event of the (single-account) files goes to this account, created if missing. */
  readonly account?: AccountId;
  /** The type of accounts the import creates when the file does not say. */
  readonly accountType?: AccountType;
  /** Allow events dated before the last booked day (the household is rebooked from its events). */
  readonly allowBackdated?: boolean;
  /** The household to create when it does not exist yet (default settings otherwise). */
  readonly create: NewHousehold;
}

export interface AccountCreated {
  readonly id: AccountId;
  readonly type: AccountType;
  readonly custodian: string;
  readonly externalNumber?: string;
}

export interface FileOutcome {
  readonly file: string;
  readonly format: string;
  readonly added: number;
  readonly known: number;
  readonly notes: readonly string[];
}

/** A position a file states that the booked lots do not match. */
export interface Discrepancy {
  readonly file: string;
  readonly row: number | undefined;
  readonly account: AccountId;
  readonly symbol: Symbol;
  readonly asOf: Day;
  readonly statedShares: Shares;
  readonly bookedShares: Shares;
  readonly statedCost: Usd | undefined;
  readonly bookedCost: Usd;
}

export interface ImportSummary {
  readonly household: HouseholdId;
  readonly householdCreated: boolean;
  readonly accountsCreated: readonly AccountCreated[];
  readonly files: readonly FileOutcome[];
  readonly eventsAdded: number;
  readonly discrepancies: readonly Discrepancy[];
}

export async function importFiles(store: BookStore, req: ImportRequest): Promise<Result<ImportSummary>> {
  const existed = (await store.tenant(req.tenant).household(req.household)) !== undefined;
  return store.tenant(req.tenant).change(req.household, (unit) => importInto(unit, req, !existed), { create: req.create });
}

async function importInto(unit: HouseholdUnit, req: ImportRequest, created: boolean): Promise<Result<ImportSummary>> {
  const current = unit.current;
  const existing = await unit.events();
  const accounts = mapAccounts(current, req);
  if (!accounts.ok) return accounts;
  const { byBatch, created: newAccounts } = accounts.value;
  const household: Household = { ...current.household, accounts: [...current.household.accounts, ...newAccounts.map((a) => a.account)] };
  const known = new Map(existing.map((s) => [s.key, s]));
  const ids = new Map(existing.map((s) => [s.event.id as string, s]));
  const issues: Issue[] = [];
  const perFile: { added: NewEvent[]; known: number; splits: SplitByShares[]; accountOf: (key: string) => AccountId }[] = [];
  req.sources.forEach(({ batch }, b) => {
    const accountOf = (key: string): AccountId => byBatch[b]?.get(key) ?? accountId(key);
    const added: NewEvent[] = [];
    let knownCount = 0;
    // A file that names no account can go to several accounts (--account): its keys and ids are
    // qualified by the account they went to, so each account's copy is its own event.
    const qualify = (key: string, accountKey: string | undefined): string => (accountKey === DEFAULT_ACCOUNT_KEY ? `${key}@${accountOf(accountKey)}` : key);
    for (const imported of batch.events) {
      const key = qualify(imported.key, imported.event.account);
      if (known.has(key)) {
        knownCount++;
        continue;
      }
      // Booking problems must point at the file and row the event came from.
      const located = { ...imported.event, ...(imported.source.file !== undefined ? { file: imported.source.file } : {}), ...(imported.source.row !== undefined ? { row: imported.source.row } : {}) };
      const remapped = remap(located, accountOf);
      const event = key === imported.key ? remapped : { ...remapped, id: eventId(key) };
      const clash = ids.get(event.id);
      if (clash !== undefined) {
        issues.push(issue('CONFLICT', `event id "${event.id}" is already in the book with different content (appended as #${clash.seq + 1})`, { ...imported.source, field: 'id' }));
        continue;
      }
      ids.set(event.id, { event, key, seq: -1 });
      known.set(key, { event, key, seq: -1 });
      added.push({ event, key, ...(imported.brokerAction !== undefined ? { brokerAction: imported.brokerAction } : {}) });
    }
    const splits = batch.splits.map((x) => ({ ...x, key: qualify(x.key, x.accountKey) })).filter((x) => !known.has(x.key));
    perFile.push({ added, known: knownCount + (batch.splits.length - splits.length), splits, accountOf });
  });
  if (issues.length > 0) return { ok: false, issues };
  const fresh = perFile.flatMap((f) => f.added);
  const backdated = req.allowBackdated === true || current.lastEventDate === undefined ? [] : fresh.filter((n) => n.event.date < (current.lastEventDate as Day));
  if (backdated.length > 0) {
    return {
      ok: false,
      issues: backdated.map((n) =>
        issue('OUT_OF_ORDER', `dated ${formatDay(n.event.date)}, before the household's last booked day ${formatDay(current.lastEventDate as Day)}: import with --rebook to insert it and rebook the household`, {
          ...(n.event.file !== undefined ? { file: n.event.file } : {}),
          ...(n.event.row !== undefined ? { row: n.event.row } : {}),
          eventId: n.event.id,
          field: 'date',
        }),
      ),
    };
  }
  const ordered = sortByDate(fresh);
  const withSplits = resolveSplits(household, existing, ordered, perFile);
  if (!withSplits.ok) return withSplits;
  const all = merge(existing.map((s) => s.event), withSplits.value.map((n) => n.event));
  const ledger = book(household, all);
  if (!ledger.ok) return ledger;
  const discrepancies = reconcile(household, all, ledger.value, req.sources, perFile.map((f) => f.accountOf));
  if (withSplits.value.length > 0 || newAccounts.length > 0) {
    await unit.addAccounts(newAccounts);
    await unit.addSecurities(newSecurities(current.household, req.sources.map((s) => s.batch)));
    for (let b = 0; b < req.sources.length; b++) {
      const source = req.sources[b] as ImportSource;
      const mine = new Set((perFile[b]?.added ?? []).map((n) => n.key).concat((perFile[b]?.splits ?? []).map((s) => s.key)));
      const events = withSplits.value.filter((n) => mine.has(n.key));
      await unit.appendEvents(events, {
        fileName: source.batch.file,
        format: source.batch.format,
        sha256: source.sha256,
        eventsAdded: events.length,
        eventsKnown: perFile[b]?.known ?? 0,
      });
    }
    await unit.writeBook(ledger.value);
  }
  return {
    ok: true,
    value: {
      household: current.id,
      householdCreated: created,
      accountsCreated: newAccounts.map((a) => ({
        id: a.account.id,
        type: a.account.type,
        custodian: a.info.custodian ?? '',
        ...(a.info.externalNumber !== undefined ? { externalNumber: a.info.externalNumber } : {}),
      })),
      files: req.sources.map((s, b) => ({
        file: s.batch.file,
        format: s.batch.format,
        added: (perFile[b]?.added.length ?? 0) + (perFile[b]?.splits.length ?? 0),
        known: perFile[b]?.known ?? 0,
        notes: s.batch.notes,
      })),
      eventsAdded: withSplits.value.length,
      discrepancies,
    },
  };
}

/** Which household account each file account key goes to, and the accounts to create. */
function mapAccounts(current: StoredHousehold, req: ImportRequest): Result<{ byBatch: Map<string, AccountId>[]; created: NewAccount[] }> {
  const taken = new Set<string>(current.household.accounts.map((a) => a.id));
  const created: NewAccount[] = [];
  const byBatch: Map<string, AccountId>[] = [];
  const issues: Issue[] = [];
  const create = (id: AccountId, imported: ImportedAccount | undefined): void => {
    const type = imported?.type ?? req.accountType ?? 'taxable';
    const account: Account = { id, type, owner: imported?.owner ?? 'self', ...(imported?.lotMethod !== undefined ? { lotMethod: imported.lotMethod } : {}) };
    created.push({
      account,
      info: {
        ...(imported !== undefined && imported.custodian !== 'case' ? { custodian: imported.custodian } : {}),
        ...(imported !== undefined && imported.key !== DEFAULT_ACCOUNT_KEY && imported.custodian !== 'case' ? { externalNumber: imported.key } : {}),
        ...(imported?.title !== undefined ? { title: imported.title } : {}),
      },
    });
    taken.add(id);
  };
  for (const { batch } of req.sources) {
    const map = new Map<string, AccountId>();
    byBatch.push(map);
    if (req.account !== undefined) {
      if (batch.accounts.length > 1) {
        issues.push(issue('BAD_VALUE', `--account names one account but the file holds ${batch.accounts.length} (${batch.accounts.map((a) => a.key || '(unnamed)').join(', ')}); import it without --account`, { file: batch.file, field: 'account' }));
        continue;
      }
      if (!taken.has(req.account)) create(req.account, batch.accounts[0]);
      for (const a of batch.accounts) map.set(a.key, req.account);
      continue;
    }
    for (const imported of batch.accounts) {
      if (imported.custodian === 'case') {
        if (!taken.has(imported.key)) create(accountId(imported.key), imported);
        map.set(imported.key, accountId(imported.key));
        continue;
      }
      const external = imported.key === DEFAULT_ACCOUNT_KEY ? undefined : imported.key;
      const match = [...current.accountInfo.entries()].find(([, info]) => info.custodian === imported.custodian && info.externalNumber === external);
      const madeNow = created.find((c) => c.info.custodian === imported.custodian && c.info.externalNumber === external);
      const id = match?.[0] ?? madeNow?.account.id;
      if (id !== undefined) {
        map.set(imported.key, id);
        continue;
      }
      const fresh = freshAccountId(imported, taken);
      create(fresh, imported);
      map.set(imported.key, fresh);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { byBatch, created } };
}

/** "schwab-4321" from a custodian and the last digits of the account number; unique in the household. */
function freshAccountId(a: ImportedAccount, taken: ReadonlySet<string>): AccountId {
  const digits = a.key.replace(/[^0-9A-Za-z]/g, '').slice(-4);
  const base = digits === '' ? a.custodian : `${a.custodian}-${digits.toLowerCase()}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return accountId(id);
}

function remap(e: LedgerEvent, accountOf: (key: string) => AccountId): LedgerEvent {
  if (e.kind === 'split') return e.account === undefined ? e : { ...e, account: accountOf(e.account) };
  if (e.kind === 'transfer') return { ...e, account: accountOf(e.account), toAccount: accountOf(e.toAccount) };
  return { ...e, account: accountOf(e.account) };
}

function sortByDate(list: readonly NewEvent[]): NewEvent[] {
  return list.map((n, i) => ({ n, i })).sort((a, b) => a.n.event.date - b.n.event.date || a.i - b.i).map((x) => x.n);
}

/** Existing events (booking order) followed by new ones, merged by date; ties keep existing first. */
function merge(existing: readonly LedgerEvent[], fresh: readonly LedgerEvent[]): LedgerEvent[] {
  const out: LedgerEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < existing.length || j < fresh.length) {
    const a = existing[i];
    const b = fresh[j];
    if (b === undefined || (a !== undefined && a.date <= b.date)) {
      out.push(a as LedgerEvent);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}

/**
 * Turns each split stated as shares added into a ratio of the position held at the end of the day
 * before, and places it first among the new events of its day.
 */
function resolveSplits(
  household: Household,
  existing: readonly StoredEvent[],
  fresh: readonly NewEvent[],
  perFile: readonly { splits: readonly SplitByShares[]; accountOf: (key: string) => AccountId }[],
): Result<NewEvent[]> {
  const splits = perFile.flatMap((f) => f.splits.map((s) => ({ s, account: f.accountOf(s.accountKey) }))).sort((a, b) => a.s.date - b.s.date);
  if (splits.length === 0) return { ok: true, value: [...fresh] };
  let list = [...fresh];
  for (const { s, account } of splits) {
    const before = merge(existing.map((x) => x.event), list.map((n) => n.event)).filter((e) => e.date < s.date);
    const ledger = book(household, before);
    if (!ledger.ok) return ledger;
    const held = ledger.value.openLots.filter((l) => l.account === account && l.symbol === s.symbol).reduce((sum, l) => sum + l.shares, 0);
    if (held <= 0 || held + s.sharesAdded <= 0) {
      return {
        ok: false,
        issues: [issue('BAD_VALUE', `a split of ${s.symbol} adding ${format('shares', s.sharesAdded)} shares on ${formatDay(s.date)}, but account ${account} held ${format('shares', held)} shares the day before`, { ...s.source, field: 'Quantity' })],
      };
    }
    const event: LedgerEvent = { kind: 'split', id: eventId(s.key), date: s.date, account, symbol: s.symbol, from: held, to: held + s.sharesAdded, ...(s.source.file !== undefined ? { file: s.source.file } : {}), ...(s.source.row !== undefined ? { row: s.source.row } : {}) };
    const at = list.findIndex((n) => n.event.date >= s.date);
    list = at < 0 ? [...list, { event, key: s.key }] : [...list.slice(0, at), { event, key: s.key }, ...list.slice(at)];
  }
  return { ok: true, value: list };
}

function reconcile(
  household: Household,
  all: readonly LedgerEvent[],
  full: Ledger,
  sources: readonly ImportSource[],
  accountOf: readonly ((key: string) => AccountId)[],
): Discrepancy[] {
  const out: Discrepancy[] = [];
  const ledgers = new Map<Day, Ledger>();
  const last = all[all.length - 1]?.date;
  const ledgerAt = (asOf: Day): Ledger | undefined => {
    if (last === undefined || asOf >= last) return full;
    if (!ledgers.has(asOf)) {
      const r = book(household, all, { through: asOf });
      if (r.ok) ledgers.set(asOf, r.value);
    }
    return ledgers.get(asOf);
  };
  sources.forEach(({ batch }, b) => {
    for (const p of batch.positions) {
      const account = (accountOf[b] as (key: string) => AccountId)(p.accountKey);
      const ledger = ledgerAt(p.asOf);
      if (ledger === undefined) continue;
      const lots = ledger.openLots.filter((l) => l.account === account && l.symbol === p.symbol);
      const shares = lots.reduce((s, l) => s + l.shares, 0) as Shares;
      const cost = lots.reduce((s, l) => s + l.basis, 0) as Usd;
      const costOff = p.costBasis !== undefined && Math.abs(p.costBasis - cost) > 1;
      if (shares !== p.shares || costOff) {
        out.push({ file: batch.file, row: p.source.row, account, symbol: p.symbol, asOf: p.asOf, statedShares: p.shares, bookedShares: shares, statedCost: p.costBasis, bookedCost: cost });
      }
    }
  });
  return out;
}

function newSecurities(h: Household, batches: readonly ImportBatch[]): Security[] {
  const known = new Set<string>(h.securities.map((s) => s.symbol));
  const out: Security[] = [];
  for (const b of batches) {
    for (const s of b.securities) {
      if (known.has(s.symbol)) continue;
      known.add(s.symbol);
      out.push(s);
    }
  }
  return out;
}
