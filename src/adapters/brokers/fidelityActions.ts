/**
 * Fidelity's Action column is free text: a verb phrase, the security's (truncated) name, its
 * symbol and the account type in parentheses — `YOU BOUGHT VANGUARD INTL EQUITY INDEX FDS TT WR...
 * (VT) (Cash)`, `INTEREST EARNED as of Dec-30-2025 (Cash)`, ` DIRECT DEBIT COMCAST (Cash)`. The verb
 * phrase decides the booking (docs/imports.md, "Fidelity history"); the phrases below are those
 * seen in real exports and named in Fidelity's activity view. A phrase not listed stops the import.
 */
import { BONDS_WHY, corporateActionWhy, OPTIONS_WHY, returnOfCapitalWhy, sharesMovedWhy, stockDividendWhy } from './unsupported.js';

export type FidelityBooking =
  | { readonly kind: 'buy' | 'sell' }
  /** REINVESTMENT: the purchase made with a dividend whose own DIVIDEND RECEIVED row books the income. */
  | { readonly kind: 'reinvest' }
  | { readonly kind: 'income'; readonly capitalGain?: boolean }
  | { readonly kind: 'interest' | 'cash' | 'fee' | 'cashInLieu' }
  /** Moves between cash and the core money market (the account's cash itself). */
  | { readonly kind: 'sweep' }
  | { readonly kind: 'stop'; readonly why: string };

const SNAPSHOT = 'a snapshot of its open lots (a beancount ledger or a case file with acquisition dates and basis)';

const RULES: readonly (readonly [RegExp, FidelityBooking])[] = [
  [/^YOU (BOUGHT|SOLD)\b.*\b(OPENING|CLOSING) TRANSACTION\b/, { kind: 'stop', why: OPTIONS_WHY }],
  [/\bSHORT (SALE|COVER|VS BOX)\b/, { kind: 'stop', why: OPTIONS_WHY }],
  [/^(EXPIRED|ASSIGNED|EXERCISED)\b/, { kind: 'stop', why: OPTIONS_WHY }],
  [/^(PURCHASE INTO|REDEMPTION FROM) CORE ACCOUNT\b/, { kind: 'sweep' }],
  [/^YOU BOUGHT\b/, { kind: 'buy' }],
  [/^YOU SOLD\b/, { kind: 'sell' }],
  [/^REINVESTMENT\b/, { kind: 'reinvest' }],
  [/^(DIVIDEND RECEIVED|MUNI EXEMPT INT|FOREIGN DIVIDEND)\b/, { kind: 'income' }],
  [/^(LONG-TERM CAP GAIN|SHORT-TERM CAP GAIN|CAPITAL GAIN)\b/, { kind: 'income', capitalGain: true }],
  [/^(INTEREST EARNED|INTEREST)\b/, { kind: 'interest' }],
  [/^(NON-RESIDENT TAX|FOREIGN TAX PAID|FOREIGN TAX|ADR FEE|FEE CHARGED|MARGIN INTEREST|TAX WITHHELD|FED TAX W\/H|STATE TAX W\/H)\b/, { kind: 'fee' }],
  [/^(IN LIEU OF FRX SHARE|CASH IN LIEU)\b/, { kind: 'cashInLieu' }],
  [
    /^(TRANSFERRED FROM|TRANSFERRED TO|DIRECT DEPOSIT|DIRECT DEBIT|CHECK RECEIVED|CHECK PAID|ELECTRONIC FUNDS TRANSFER|EFT|WIRE TRANSFER|BILL PAYMENT|DEBIT CARD|ATM|CASH CONTRIBUTION|CONTRIBUTION|PARTIAL DISTRIBUTION|NORMAL DISTR|DEPOSIT|WITHDRAWAL|JOURNALED)\b/,
    { kind: 'cash' },
  ],
  [/^REDEMPTION PAYOUT\b/, { kind: 'stop', why: BONDS_WHY }],
  [/^(STOCK DIVIDEND|STOCK DIST)\b/, { kind: 'stop', why: stockDividendWhy(SNAPSHOT) }],
  [/^(MERGER|REVERSE SPLIT|DISTRIBUTION|SPIN ?OFF|EXCHANGE|CONVERSION|NAME CHANGE|TENDERED|REORGANIZATION)\b/, { kind: 'stop', why: corporateActionWhy(SNAPSHOT) }],
  [/^RETURN OF CAPITAL\b/, { kind: 'stop', why: returnOfCapitalWhy(SNAPSHOT) }],
  [/^(TRANSFER OF ASSETS|RECEIVED FROM YOU|DELIVERED)\b/, { kind: 'stop', why: sharesMovedWhy(SNAPSHOT) }],
];

export const FIDELITY_SHARES_MOVED = sharesMovedWhy(SNAPSHOT);

export function fidelityBooking(action: string): FidelityBooking | undefined {
  const text = action.replace(/\s+/g, ' ').trim().toUpperCase();
  for (const [pattern, booking] of RULES) if (pattern.test(text)) return booking;
  return undefined;
}

/** The verb phrase of an action, for notes: "YOU BOUGHT", "INTEREST EARNED". */
export function verbPhrase(action: string): string {
  const text = action.replace(/\s+/g, ' ').trim();
  const upper = text.toUpperCase();
  for (const [pattern] of RULES) {
    const m = pattern.exec(upper);
    if (m !== null && m.index === 0) return text.slice(0, m[0].length);
  }
  return text;
}

/**
 * Fidelity's core money-market positions: the account's cash is held in them, so buying, selling
 * or reinvesting into them moves no lots (their dividends are still income).
 */
export const CORE_MONEY_MARKETS: ReadonlySet<string> = new Set(['SPAXX', 'FDRXX', 'FZFXX', 'SPRXX', 'FCASH', 'CORE']);
