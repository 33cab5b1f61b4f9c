/**
 * Helpers for the importer tests: fixtures by name, events as one readable line each (so a test
 * states exactly what a file books), and the reconciliation of a batch with the positions it states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDay } from '../../core/kernel/calendar.js';
import { describeIssue, type Result } from '../../core/kernel/errors.js';
import { format } from '../../core/kernel/exact.js';
import type { LedgerEvent } from '../../core/ledger/events.js';
import type { ImportBatch } from '../../app/importBatch.js';

export const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'brokers');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** `2024-01-05 buy Z123 VOO 10 @ 430.12345679 fees 0.00 [ofx:Z123:B1]` */
export function eventLine(e: LedgerEvent): string {
  const parts: string[] = [formatDay(e.date), e.kind];
  if (e.account !== undefined) parts.push(e.account);
  if ('toAccount' in e) parts.push(`-> ${e.toAccount}`);
  if ('symbol' in e) parts.push(e.symbol);
  if ('shares' in e) parts.push(format('shares', e.shares));
  if ('price' in e) parts.push(`@ ${format('price', e.price)}`);
  if ('fees' in e) parts.push(`fees ${format('usd', e.fees)}`);
  if ('amount' in e) parts.push(format('usd', e.amount));
  if (e.kind === 'transfer_in') {
    parts.push(`basis ${format('usd', e.basis)} acquired ${formatDay(e.acquired)}`);
    if (e.adjustedAcquired !== undefined) parts.push(`held from ${formatDay(e.adjustedAcquired)}`);
    if (e.washAdjustment !== undefined) parts.push(`wash ${format('usd', e.washAdjustment)}`);
  }
  if (e.kind === 'split') parts.push(`${e.to} for ${e.from}`);
  if ('selection' in e && e.selection !== undefined) {
    parts.push(e.selection.method === 'SPECIFIC' ? `lots ${e.selection.lots.map((l) => `${l.lot}${l.shares !== undefined ? `:${format('shares', l.shares)}` : ''}`).join(',')}` : e.selection.method);
  }
  parts.push(`[${e.id}]`);
  return parts.join(' ');
}

export function lines(batch: ImportBatch): string[] {
  return batch.events.map((e) => eventLine(e.event));
}

export function unwrap(r: Result<ImportBatch>): ImportBatch {
  if (!r.ok) throw new Error(r.issues.map(describeIssue).join('\n'));
  return r.value;
}

export function issuesOf(r: Result<ImportBatch>): string[] {
  if (r.ok) throw new Error('expected the file to be refused');
  return r.issues.map(describeIssue);
}

/**
 * For each stated position, the shares it holds beyond what the file's own events add up to: the
 * holding the statement started from (zero when the file covers the whole history, never negative).
 */
export function openingHoldings(batch: ImportBatch): Map<string, number> {
  const net = new Map<string, number>();
  const add = (k: string, v: number): void => void net.set(k, (net.get(k) ?? 0) + v);
  for (const { event: e } of batch.events) {
    if (!('symbol' in e) || e.account === undefined) continue;
    const k = `${e.account}|${e.symbol}`;
    if (e.kind === 'buy' || e.kind === 'dividend_reinvest' || e.kind === 'transfer_in') add(k, e.shares);
    if (e.kind === 'sell' || e.kind === 'transfer_out' || e.kind === 'transfer') add(k, -e.shares);
    if (e.kind === 'transfer') add(`${e.toAccount}|${e.symbol}`, e.shares);
  }
  const out = new Map<string, number>();
  for (const p of batch.positions) out.set(`${p.accountKey}|${p.symbol}`, p.shares - (net.get(`${p.accountKey}|${p.symbol}`) ?? 0));
  return out;
}
