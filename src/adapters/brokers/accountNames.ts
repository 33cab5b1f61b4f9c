/**
 * Accounts as broker files name them: a nickname and a masked number in a title
 * ("Intelligent XXXX-4321", "General Investing ...XXX", "Individual ...123"), or a number column.
 * The masked number is the account's key when there is one (it is what every file of that account
 * repeats); the nickname is its title. An account type is read only from words that say it
 * ("Roth Contributory IRA", "ROLLOVER IRA", "Health Savings Account"); anything else is left to
 * `--account-type` or the household's default.
 */
import type { AccountType } from '../../core/ledger/household.js';

export interface NamedAccount {
  readonly key: string;
  readonly title?: string;
  readonly type?: AccountType;
}

const MASKED = /(?:^|\s)((?:X{2,}-?[0-9X]{2,})|(?:\.{3}[0-9X]{2,}))$/;

/** "Intelligent XXXX-4321" -> key "XXXX-4321", title "Intelligent"; "Brokerage" -> key "Brokerage". */
export function namedAccount(label: string): NamedAccount {
  const text = label.replace(/\s+/g, ' ').trim();
  const m = MASKED.exec(text);
  const key = m === null ? text : (m[1] as string);
  const title = m === null ? text : text.slice(0, m.index).trim();
  const type = accountTypeFromName(text);
  return { key, ...(title !== '' ? { title } : {}), ...(type !== undefined ? { type } : {}) };
}

export function accountTypeFromName(name: string): AccountType | undefined {
  const n = name.toUpperCase();
  if (/\bROTH\b/.test(n)) return 'roth_ira';
  if (/\bHSA\b|HEALTH SAVINGS/.test(n)) return 'hsa';
  if (/\b401\s*\(?K\)?/.test(n)) return '401k';
  if (/\b(IRA|SEP-IRA|ROLLOVER)\b/.test(n)) return 'traditional_ira';
  return undefined;
}
