/**
 * The one rule for field names in every input format — JSON case files, CSV headers, settings,
 * harvest inputs, the universe file and backtest configs:
 *
 *  - a known field may be written in camelCase or snake_case (`lotMethod` / `lot_method`);
 *  - a field of the user's own starts with `x_` or `x-` (`x_note`, `x-broker-ref`): it stays in the
 *    file and Lotsmith ignores it;
 *  - any other name is an error that names the field as written and, when a known field is
 *    close (edit distance at most 2), suggests it: a misspelt `feez` column must not drop a fee.
 */
import { distance } from 'fastest-levenshtein';
import { issue, type Issue } from '../../core/kernel/errors.js';
import type { SourceRef } from '../../core/ledger/events.js';

/** `lot_method` → `lotMethod`; camelCase names are unchanged. */
export function camelField(name: string): string {
  return name.trim().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `lotMethod` → `lot_method`. */
export function snakeField(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A user's own field, carried and ignored: `x_note`, `x-ref`. */
export function isExtraField(name: string): boolean {
  const c = name.charCodeAt(0);
  const d = name.charCodeAt(1);
  return name.length > 2 && (c === 120 || c === 88) && (d === 95 || d === 45);
}

const fold = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');

/** The known field closest to `name`, spelt in the style the user wrote, when it is close enough. */
export function suggestField(name: string, known: Iterable<string>): string | undefined {
  const wanted = fold(name);
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(wanted, fold(k));
    if (d < bestDistance && d * 2 < Math.max(wanted.length, 2)) {
      best = k;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  return name.includes('_') && !/[A-Z]/.test(name) ? snakeField(best) : best;
}

export function unknownFieldMessage(name: string, known: Iterable<string>): string {
  const suggestion = suggestField(name, known);
  return `unknown field${suggestion !== undefined ? ` (did you mean "${suggestion}"?)` : ''}; a field of your own must start with "x_"`;
}

/** The issue for an unknown field; `at.field` is its path as written (e.g. `settings.lotSelecton`). */
export function unknownFieldIssue(name: string, known: Iterable<string>, at: SourceRef): Issue {
  return issue('UNKNOWN_FIELD', unknownFieldMessage(name, known), at);
}
