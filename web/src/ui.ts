/** Shared pieces of the pages: async state, error and loading blocks, numeric cells. */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { ApiError } from './api.js';
import { cents, usd, type Decimal } from './format.js';

export type Load<T> = { readonly state: 'loading' } | { readonly state: 'error'; readonly error: string } | { readonly state: 'ready'; readonly value: T };

export const errorText = (e: unknown): string =>
  e instanceof ApiError ? `${e.message}${e.path !== undefined ? ` (${e.path})` : ''} [${e.status} ${e.code}]` : e instanceof Error ? e.message : String(e);

/** Pages render into the light DOM so the page stylesheet applies and tests find elements by role. */
export class Page extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Runs `fetcher`, storing its progress in the property `key` and re-rendering. */
  protected async track<T>(key: string, fetcher: () => Promise<T>): Promise<void> {
    const self = this as unknown as Record<string, Load<T>>;
    self[key] = { state: 'loading' };
    try {
      self[key] = { state: 'ready', value: await fetcher() };
    } catch (e) {
      self[key] = { state: 'error', error: errorText(e) };
    }
  }
}

export function when<T>(l: Load<T> | undefined, ready: (v: T) => TemplateResult | typeof nothing, label = 'Loading…'): TemplateResult | typeof nothing {
  if (l === undefined || l.state === 'loading') return html`<p class="muted" role="status">${label}</p>`;
  if (l.state === 'error') return html`<p class="error" role="alert">${l.error}</p>`;
  return ready(l.value);
}

/** A money cell, right-aligned; a gain or loss (`signed`) is coloured too, besides its sign. */
export function moneyCell(v: Decimal | bigint | null | undefined, signed = false): TemplateResult {
  if (v === null || v === undefined) return html`<td class="num muted">—</td>`;
  const c = typeof v === 'bigint' ? v : cents(v);
  return html`<td class="num ${signed ? (c < 0n ? 'neg' : c > 0n ? 'pos' : '') : ''}">${usd(c)}</td>`;
}

export const numCell = (text: string): TemplateResult => html`<td class="num">${text}</td>`;

export function stat(label: string, value: string, detail?: TemplateResult | string): TemplateResult {
  return html`<div class="stat"><div class="stat-label">${label}</div><div class="stat-value num">${value}</div>${detail !== undefined ? html`<div class="stat-detail">${detail}</div>` : nothing}</div>`;
}

