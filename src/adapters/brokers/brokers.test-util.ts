/**
 * Broker-import tests read fixtures written in the real layouts (test/fixtures/brokers) and compare
 * what was booked as one readable line per event: `2021-01-20 buy VTI 10 @ 200 fees 0.00 (line 9)`.
 */
import { readFileSync } from 'node:fs';
import { formatDay } from '../../core/kernel/calendar.js';
import { describeIssue, type Result } from '../../core/kernel/errors.js';
import { formatPrice, formatShares, formatUsd } from '../../core/kernel/exact.js';
import type { ImportBatch, ImportedEvent, SplitByShares, StatedPosition } from '../../app/importBatch.js';

export const FIXTURES = new URL('../../../test/fixtures/brokers/', import.meta.url);

export function fixture(name: string): { file: string; text: string } {
  const url = new URL(name, FIXTURES);
  return { file: `test/fixtures/brokers/${name}`, text: readFileSync(url, 'utf8') };
}

export function eventLine(i: ImportedEvent): string {
  const e = i.event;
  const day = formatDay(e.date);
  const at = `(line ${i.source.row})`;
  switch (e.kind) {
    case 'buy':
    case 'sell':
    case 'dividend_reinvest':
      return `${day} ${e.kind} ${e.symbol} ${formatShares(e.shares)} @ ${formatPrice(e.price)} fees ${formatUsd(e.fees)} ${at}`;
    case 'dividend':
      return `${day} dividend ${e.symbol} ${formatUsd(e.amount)} ${at}`;
    case 'deposit':
    case 'withdrawal':
    case 'fee':
      return `${day} ${e.kind} ${formatUsd(e.amount)} ${at}`;
    case 'transfer_in': {
      const held = e.adjustedAcquired !== undefined ? ` held from ${formatDay(e.adjustedAcquired)}` : '';
      const wash = e.washAdjustment !== undefined ? ` wash ${formatUsd(e.washAdjustment)}` : '';
      return `${day} transfer_in ${e.symbol} ${formatShares(e.shares)} basis ${formatUsd(e.basis)} acquired ${formatDay(e.acquired)}${held}${wash} ${at}`;
    }
    default:
      return `${day} ${e.kind} ${at}`;
  }
}

export function splitLine(s: SplitByShares): string {
  return `${formatDay(s.date)} split ${s.symbol} ${formatShares(s.sharesAdded)} shares added in "${s.accountKey}" (line ${s.source.row})`;
}

export function positionLine(p: StatedPosition): string {
  const cost = p.costBasis === undefined ? 'no cost basis' : `cost ${formatUsd(p.costBasis)}`;
  return `${formatDay(p.asOf)} ${p.accountKey} ${p.symbol} ${formatShares(p.shares)} ${cost} (line ${p.source.row})`;
}

/** The batch, or a failure naming every issue. */
export function parsed(r: Result<ImportBatch>): ImportBatch {
  if (!r.ok) throw new Error(`expected a batch, got:\n${r.issues.map(describeIssue).join('\n')}`);
  return r.value;
}

/** The issues, described as the CLI prints them. */
export function problems(r: Result<ImportBatch>): string[] {
  if (r.ok) throw new Error(`expected issues, got a batch of ${r.value.events.length} events`);
  return r.issues.map(describeIssue);
}
