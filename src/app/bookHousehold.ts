/**
 * Reading a household out of the book: its events booked by the core (the source of truth), and a
 * check that the booked state kept beside the events for fast reads matches a full re-booking.
 */
import { canonicalJson } from '../core/kernel/canonicalJson.js';
import { issue, type Result } from '../core/kernel/errors.js';
import { book, type BookOptions } from '../core/ledger/booking.js';
import type { LedgerEvent } from '../core/ledger/events.js';
import type { Ledger } from '../core/ledger/ledger.js';
import type { BookedState, BookStore, HouseholdId, StoredHousehold, TenantId } from './ports.js';

export interface HouseholdEvents {
  readonly stored: StoredHousehold;
  readonly events: readonly LedgerEvent[];
}

export async function householdEvents(store: BookStore, tenant: TenantId, id: HouseholdId): Promise<Result<HouseholdEvents>> {
  const book = store.tenant(tenant);
  const stored = await book.household(id);
  if (stored === undefined) return { ok: false, issues: [issue('NOT_FOUND', `no household "${id}"`, { field: 'household' })] };
  const events = (await book.events(id)).map((s) => s.event);
  return { ok: true, value: { stored, events } };
}

export async function bookHousehold(store: BookStore, tenant: TenantId, id: HouseholdId, options: BookOptions = {}): Promise<Result<Ledger & { readonly stored: StoredHousehold }>> {
  const found = await householdEvents(store, tenant, id);
  if (!found.ok) return found;
  const ledger = book(found.value.stored.household, found.value.events, options);
  return ledger.ok ? { ok: true, value: { ...ledger.value, stored: found.value.stored } } : ledger;
}

export interface VerifyOutcome {
  readonly household: HouseholdId;
  /** Empty when the kept state equals a full re-booking. */
  readonly differences: readonly string[];
}

/** Re-books every household of the tenant and compares with the booked state kept in the book. */
export async function verifyBook(store: BookStore, tenant: TenantId): Promise<VerifyOutcome[]> {
  const tb = store.tenant(tenant);
  const out: VerifyOutcome[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await tb.listHouseholds({ ...(after !== undefined ? { after } : {}), limit: 500 });
    for (const h of page.items) {
      const ledger = await bookHousehold(store, tenant, h.id);
      const kept = await tb.bookedState(h.id);
      const differences = !ledger.ok ? ledger.issues.map((i) => `its events no longer book: ${i.message}`) : kept === undefined ? ['no booked state'] : compare(ledger.value, kept);
      out.push({ household: h.id, differences });
    }
    if (page.next === undefined) break;
    after = page.next;
  }
  return out;
}

function compare(ledger: Ledger, kept: BookedState): string[] {
  const diffs: string[] = [];
  const same = (what: string, a: readonly unknown[], b: readonly unknown[]): void => {
    if (a.length !== b.length) {
      diffs.push(`${what}: ${b.length} kept, ${a.length} on re-booking`);
      return;
    }
    for (let i = 0; i < a.length; i++) {
      if (canonicalJson(a[i]) !== canonicalJson(b[i])) {
        diffs.push(`${what} #${i + 1} differs: kept ${canonicalJson(b[i])}, re-booked ${canonicalJson(a[i])}`);
        return;
      }
    }
  };
  same('open lots', ledger.openLots, kept.openLots);
  same('dispositions', ledger.dispositions, kept.dispositions);
  const cash = (m: ReadonlyMap<string, number>) => [...m.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1));
  same('cash', cash(ledger.cash), cash(kept.cash));
  return diffs;
}

