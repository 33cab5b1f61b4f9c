/**
 * What stops an import, and what the user can do instead: the rows whose effect on lots a broker
 * history does not describe. Each message ends with a way forward; `snapshot` names the export of
 * open lots (with dates and basis) that can start the account after the event.
 */

export const OPTIONS_WHY =
  'options and short sales are not tracked as lots: remove these rows from the file (and book any stock bought or sold through an assignment or exercise by hand)';

export const BONDS_WHY =
  'bonds, CDs and other face-amount securities (price per 100 of face) are not tracked as lots: remove their rows from the file and track them elsewhere';

export function corporateActionWhy(snapshot: string): string {
  return (
    'a corporate action that changes which security the lots are in or how their basis is divided (a merger, spin-off, name change or conversion): ' +
    'the file does not say how their basis and acquisition dates carry over. ' +
    `Book it by hand (transfer_out of the old shares and transfer_in of the new ones with the original dates and basis), or start the account from ${snapshot} taken after it and import the history from that date on`
  );
}

export function sharesMovedWhy(snapshot: string): string {
  return (
    'shares moved into or out of the account without their purchase history: ' +
    `start the account from ${snapshot} taken after the move (its lots keep their dates and basis) and import the history from that date on, or book the move by hand as a transfer between your accounts`
  );
}

export function stockDividendWhy(snapshot: string): string {
  return (
    "shares paid as a dividend: the file does not say whether they are the same stock (then the old shares' basis is spread over old and new, as in a split) " +
    `or a taxable distribution (then their basis is their value). Book it by hand as a split or a transfer_in, or start from ${snapshot} taken after it`
  );
}

export function returnOfCapitalWhy(snapshot: string): string {
  return `a return of capital lowers the basis of the lots held: book it by hand against the lots, or start from ${snapshot} taken after it`;
}

/** An option's symbol: Schwab `SPY 03/31/2020 284.00 P`, Fidelity `-AAPL250117C150`. */
export function isOptionSymbol(symbol: string): boolean {
  const s = symbol.trim();
  return /^\S+ \d{2}\/\d{2}\/\d{4} [\d.]+ [CP]$/.test(s) || /^-[A-Z.]+\d{6}[CP][\d.]+$/.test(s);
}

/** A 9-character CUSIP where a ticker would be: bonds, CDs, and the old side of a corporate action. */
export function isCusip(symbol: string): boolean {
  return /^(?=.*\d)[0-9A-Z]{8}\d$/.test(symbol.trim());
}
