/** `lotsmith import` output: what was added, what was already there, and stated positions that differ. */
import type { Discrepancy, ImportSummary } from '../../app/importFiles.js';
import { formatDay } from '../../core/kernel/calendar.js';
import { format } from '../../core/kernel/exact.js';

export function discrepancyText(d: Discrepancy): string {
  const stated = `${format('shares', d.statedShares)} ${d.symbol}${d.statedCost !== undefined ? ` at a cost of $${format('usd', d.statedCost)}` : ''}`;
  const where = `${d.file}${d.row !== undefined ? `, row ${d.row}` : ''}`;
  return `${where}: the file states ${stated} in account ${d.account} on ${formatDay(d.asOf)}; the book holds ${format('shares', d.bookedShares)} at a cost of $${format('usd', d.bookedCost)}`;
}

export function importJson(s: ImportSummary): string {
  const doc = {
    household: s.household,
    householdCreated: s.householdCreated,
    eventsAdded: s.eventsAdded,
    accountsCreated: s.accountsCreated,
    files: s.files,
    discrepancies: s.discrepancies.map((d) => ({
      file: d.file,
      row: d.row ?? null,
      account: d.account,
      symbol: d.symbol,
      asOf: formatDay(d.asOf),
      statedShares: format('shares', d.statedShares),
      bookedShares: format('shares', d.bookedShares),
      statedCost: d.statedCost === undefined ? null : format('usd', d.statedCost),
      bookedCost: format('usd', d.bookedCost),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function importText(s: ImportSummary): string {
  const lines = [`household ${s.household}${s.householdCreated ? ' (created)' : ''}: ${s.eventsAdded} event${s.eventsAdded === 1 ? '' : 's'} added`];
  for (const a of s.accountsCreated) lines.push(`  account ${a.id} created: ${a.type}${a.custodian !== '' ? `, ${a.custodian}` : ''}${a.externalNumber !== undefined ? ` ${a.externalNumber}` : ''}`);
  for (const f of s.files) {
    lines.push(`  ${f.file} (${f.format}): ${f.added} added, ${f.known} already in the book`);
    for (const n of f.notes) lines.push(`    ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
