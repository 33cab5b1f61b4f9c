/**
 * A household case (JSON or CSV, caseFile.ts) as an import batch: its accounts keep their ids,
 * its events their ids, and each event's idempotency key is its id plus a hash of its content, so
 * re-importing the case changes nothing and a changed event under a known id is a conflict.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/kernel/canonicalJson.js';
import type { ImportBatch, ImportedEvent } from '../../app/importBatch.js';
import type { NewHousehold } from '../../app/ports.js';
import { sourceOf, type LedgerEvent } from '../../core/ledger/events.js';
import type { Case } from './caseFile.js';

export function caseBatch(c: Case): ImportBatch {
  const file = c.files[0] ?? '';
  return {
    format: 'case',
    file,
    accounts: c.household.accounts.map((a) => ({
      key: a.id,
      type: a.type,
      custodian: 'case',
      owner: a.owner,
      ...(a.lotMethod !== undefined ? { lotMethod: a.lotMethod } : {}),
    })),
    securities: c.household.securities,
    events: c.events.map((e): ImportedEvent => ({ key: `case:${e.id}:${contentHash(e)}`, event: e, source: sourceOf(e) })),
    splits: [],
    positions: [],
    notes: [],
  };
}

/** The household a case creates when it is imported into a household that does not exist yet. */
export function caseHousehold(c: Case, name: string): NewHousehold {
  const d = c.document;
  return {
    name,
    settings: c.household.settings,
    documents: {
      ...(d['taxProfile'] !== undefined ? { taxProfile: d['taxProfile'] } : {}),
      ...(d['targets'] !== undefined ? { targets: d['targets'] } : {}),
      ...(d['harvest'] !== undefined ? { harvest: d['harvest'] } : {}),
    },
  };
}

function contentHash(e: LedgerEvent): string {
  const { file: _f, row: _r, ...content } = e;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16);
}
