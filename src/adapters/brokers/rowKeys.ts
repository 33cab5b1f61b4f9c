/**
 * Idempotency keys for broker rows. Broker CSV exports carry no transaction ids, so a row is known
 * by its own content: the account the file names, the date(s), the action, the symbol and the
 * quantity, price and amount as exact values (so `$1,259.59` and `1259.59` agree, and a sale's
 * quantity is the same whether a generation signs it or not), plus the row's occurrence number
 * among identical rows of that account in the file — two identical buys on one day stay two events.
 *
 * The same row therefore gets the same key on every re-import and in every overlapping export of
 * the account; descriptions, which brokers re-word between generations, are left out.
 *
 * Example: the first `Buy 10 VT $142.035 -$1,420.35` on 12/24/2025 in account Z123 is
 * `fidelity:` + the first 16 hex digits of sha256("Z123␟2025-12-24␟YOU BOUGHT ...␟VT␟10␟142.035␟-1420.35␟0").
 */
import { createHash } from 'node:crypto';

const SEPARATOR = '\u001f';

export class RowKeys {
  private readonly seen = new Map<string, number>();

  constructor(private readonly prefix: string) {}

  next(accountKey: string, parts: readonly string[]): string {
    const content = [accountKey, ...parts].join(SEPARATOR);
    const occurrence = this.seen.get(content) ?? 0;
    this.seen.set(content, occurrence + 1);
    const hash = createHash('sha256').update(`${content}${SEPARATOR}${occurrence}`).digest('hex');
    return `${this.prefix}:${hash.slice(0, 16)}`;
  }
}

/** Action text as a key part: trimmed, spaces collapsed, upper case. */
export function actionKeyPart(action: string): string {
  return action.replace(/\s+/g, ' ').trim().toUpperCase();
}
