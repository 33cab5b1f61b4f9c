/**
 * Households of the book as a client edits them: create one (empty, with its settings and
 * documents), rename it or change its settings and documents (naming the version it saw), add an
 * account. A settings change re-books the household's events under the new settings in the same
 * transaction (a lot method or an identical-securities group changes lots and wash sales); if
 * they no longer book, nothing changes and the booking problem is returned.
 */
import { issue, type Result } from '../core/kernel/errors.js';
import { book } from '../core/ledger/booking.js';
import type { Account } from '../core/ledger/household.js';
import type { AccountInfo, BookStore, HouseholdId, HouseholdPatch, NewHousehold, StoredHousehold, TenantId } from './ports.js';

const notFound = <T>(id: string): Result<T> => ({ ok: false, issues: [issue('NOT_FOUND', `no household "${id}"`, { field: 'id' })] });

export async function createHousehold(store: BookStore, tenant: TenantId, id: HouseholdId, fields: NewHousehold): Promise<Result<StoredHousehold>> {
  const book = store.tenant(tenant);
  if ((await book.household(id)) !== undefined) return { ok: false, issues: [issue('CONFLICT', `household "${id}" exists already`, { field: 'id' })] };
  return book.change(id, async (unit) => ({ ok: true, value: unit.current }), { create: fields });
}

export async function updateHousehold(store: BookStore, tenant: TenantId, id: HouseholdId, version: number, patch: HouseholdPatch): Promise<Result<StoredHousehold>> {
  const tb = store.tenant(tenant);
  if ((await tb.household(id)) === undefined) return notFound(id);
  const changed = await tb.change(id, async (unit) => {
    if (unit.current.version !== version) {
      return { ok: false, issues: [issue('CONFLICT', `household "${id}" is at version ${unit.current.version}, not ${version}: read it again`, { field: 'version' })] };
    }
    await unit.update(patch);
    if (patch.settings !== undefined) {
      const events = (await unit.events()).map((s) => s.event);
      const ledger = book({ ...unit.current.household, settings: patch.settings }, events);
      if (!ledger.ok) return ledger;
      await unit.writeBook(ledger.value);
    }
    return { ok: true, value: undefined };
  });
  if (!changed.ok) return changed;
  const now = await tb.household(id);
  return now === undefined ? notFound(id) : { ok: true, value: now };
}

export async function addAccount(store: BookStore, tenant: TenantId, id: HouseholdId, account: Account, info: AccountInfo): Promise<Result<StoredHousehold>> {
  const tb = store.tenant(tenant);
  if ((await tb.household(id)) === undefined) return notFound(id);
  const added = await tb.change(id, async (unit) => {
    if (unit.current.household.accounts.some((a) => a.id === account.id)) {
      return { ok: false, issues: [issue('CONFLICT', `household "${id}" already has an account "${account.id}"`, { field: 'id' })] };
    }
    await unit.addAccounts([{ account, info }]);
    return { ok: true, value: undefined };
  });
  if (!added.ok) return added;
  const now = await tb.household(id);
  return now === undefined ? notFound(id) : { ok: true, value: now };
}
