/** Option parsers shared by commands: they turn text into typed values or throw UsageError. */
import { parseDay, type Day } from '../../core/kernel/calendar.js';
import { exact, type Price } from '../../core/kernel/exact.js';
import { symbol, type Symbol } from '../../core/ledger/household.js';
import { UsageError } from './io.js';

export function dayOption(name: string, text: string | undefined): Day | undefined {
  if (text === undefined) return undefined;
  const d = parseDay(text);
  if (d === undefined) throw new UsageError(`--${name}: "${text}" is not a date in YYYY-MM-DD form`);
  return d;
}

export function yearOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}$/.test(text)) throw new UsageError(`--year: "${text}" is not a four-digit year`);
  return Number(text);
}

export function formatOption<F extends string>(text: string | undefined, allowed: readonly F[], fallback: F): F {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--format: "${text}" is not one of ${allowed.join(', ')}`);
  return text as F;
}

/** `--price VTI=231.40` (repeatable) */
export function priceOptions(items: readonly string[]): Map<Symbol, Price> {
  const out = new Map<Symbol, Price>();
  for (const item of items) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    const r = m ? exact('price', (m[2] as string).trim()) : undefined;
    if (!m || !r || !r.ok) throw new UsageError(`--price: "${item}" is not SYMBOL=PRICE`);
    out.set(symbol((m[1] as string).trim()), r.value);
  }
  return out;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
