/** How the backtest report prints numbers and tables for people (HTML and the terminal). */
export const pct = (x: number | undefined, digits = 2): string => (x === undefined ? '—' : `${(x * 100).toFixed(digits)} %`);
const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
export const usd = (x: number | undefined): string => (x === undefined ? '—' : USD.format(x));
export const times = (x: number): string => `${x.toFixed(1)}×`;
export const count = (x: number): string => x.toLocaleString('en-US');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** A table whose first `labels` columns are text and the rest numbers (right-aligned). */
export function htmlTable(caption: string, head: readonly string[], rows: readonly (readonly string[])[], labels = 1): string {
  const cells = (row: readonly string[], tag: 'td' | 'th'): string => row.map((c, i) => `<${tag}${i >= labels ? ' class="n"' : ''}>${esc(c)}</${tag}>`).join('');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

