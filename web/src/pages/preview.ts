/**
 * Tax preview: a hypothetical sale of chosen lots, or a withdrawal of an amount from an account,
 * with the lots it would sell, the short- and long-term gain, the tax before and after, and the
 * wash sales it would cause and why — before anything is traded.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { get, post, type HouseholdSummary, type LotsResponse, type Page as ApiPage, type TaxPreview } from '../api.js';
import { calendarDate, cents, shares, usd } from '../format.js';
import { navigate } from '../router.js';
import { moneyCell, numCell, Page, stat, when, type Load } from '../ui.js';

class Preview extends Page {
  static override properties = {
    household: { type: String },
    households: { state: true },
    lots: { state: true },
    mode: { state: true },
    result: { state: true },
    formError: { state: true },
  };
  declare household: string;
  declare households: Load<readonly HouseholdSummary[]> | undefined;
  declare lots: Load<LotsResponse> | undefined;
  declare mode: 'lots' | 'withdrawal';
  declare result: Load<TaxPreview> | undefined;
  declare formError: string;

  constructor() {
    super();
    this.household = '';
    this.mode = 'lots';
    this.formError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.track('households', async () => (await get<ApiPage<HouseholdSummary>>('/households?limit=500')).items);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('household')) {
      this.result = undefined;
      if (this.household !== '') void this.track('lots', () => get<LotsResponse>(`/households/${encodeURIComponent(this.household)}/lots`));
      else this.lots = undefined;
    }
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    let body: unknown;
    if (this.mode === 'lots') {
      const lots = f.getAll('lot').map(String).map((lotId) => {
        const part = String(f.get(`shares:${lotId}`) ?? '').trim();
        return part === '' ? { lotId } : { lotId, shares: part };
      });
      if (lots.length === 0) {
        this.formError = 'Pick at least one lot.';
        return;
      }
      body = { lots };
    } else {
      const amount = String(f.get('amount') ?? '').trim().replace(/[$,]/g, '');
      if (!/^\d+(\.\d{1,2})?$/.test(amount) || cents(amount) <= 0n) {
        this.formError = 'Enter an amount in dollars, such as 25000 or 1234.56.';
        return;
      }
      body = { withdrawal: { account: String(f.get('account') ?? ''), amount } };
    }
    this.formError = '';
    void this.track('result', () => post<TaxPreview>(`/households/${encodeURIComponent(this.household)}/tax-preview`, body));
  }

  override render() {
    return html`
      <h1 tabindex="-1">Tax preview</h1>
      <p class="muted">What a sale would do to this year's taxes, before trading. Nothing is changed.</p>
      ${when(this.households, (list) => html`<div class="inline-form">
        <label for="pv-household">Household</label>
        <select id="pv-household" @change=${(e: Event) => navigate(`/preview?household=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
          <option value="" ?selected=${this.household === ''}>Choose…</option>
          ${list.map((h) => html`<option value=${h.id} ?selected=${h.id === this.household}>${h.name} (${h.id})</option>`)}
        </select>
      </div>`)}
      ${this.household !== '' ? when(this.lots, (l) => this.form(l)) : nothing}
      ${this.result !== undefined ? html`<section aria-labelledby="pv-result-h" aria-live="polite"><h2 id="pv-result-h">Result</h2>${when(this.result, (r) => this.outcome(r), 'Computing…')}</section>` : nothing}
    `;
  }

  private form(l: LotsResponse) {
    const accounts = [...new Set([...l.openLots.map((x) => x.account), ...Object.keys(l.cash)])];
    return html`<form @submit=${this.submit} aria-label="Hypothetical sale">
      <fieldset class="inline-form">
        <legend>Sell</legend>
        <label><input type="radio" name="mode" value="lots" .checked=${this.mode === 'lots'} @change=${() => (this.mode = 'lots')} /> Specific lots</label>
        <label><input type="radio" name="mode" value="withdrawal" .checked=${this.mode === 'withdrawal'} @change=${() => (this.mode = 'withdrawal')} /> An amount to withdraw</label>
      </fieldset>
      ${this.mode === 'lots' ? html`<div class="table-wrap"><table class="dense">
        <thead><tr><th scope="col">Sell</th><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col">Lot</th><th scope="col" class="num">Shares held</th><th scope="col" class="num">Shares to sell</th><th scope="col">Term</th><th scope="col" class="num">Unrealized</th></tr></thead>
        <tbody>${l.openLots.map((x) => html`<tr>
          <td><input type="checkbox" name="lot" value=${x.lotId} aria-label="Sell lot ${x.lotId} (${x.symbol} in ${x.account})" /></td>
          <td>${x.account}</td><td>${x.symbol}</td><td><code>${x.lotId}</code></td>${numCell(shares(x.shares))}
          <td class="num"><input class="shares" name="shares:${x.lotId}" inputmode="decimal" placeholder="all" aria-label="Shares of lot ${x.lotId} to sell (blank: all)" /></td>
          <td>${x.term ?? '—'}</td>${moneyCell(x.unrealizedGainLoss, true)}</tr>`)}</tbody>
      </table></div>` : html`<div class="inline-form">
        <label for="pv-account">From account</label>
        <select id="pv-account" name="account">${accounts.map((a) => html`<option value=${a}>${a}</option>`)}</select>
        <label for="pv-amount">Amount ($)</label>
        <input id="pv-amount" name="amount" inputmode="decimal" required placeholder="25,000.00" />
      </div>`}
      ${this.formError !== '' ? html`<p class="error" role="alert">${this.formError}</p>` : nothing}
      <button type="submit">Preview taxes</button>
    </form>`;
  }

  private outcome(r: TaxPreview) {
    const change = r.tax === null ? null : cents(r.tax.change);
    return html`
      <p class="muted">Sold at the closes of ${calendarDate(r.tradingDay)} for ${usd(r.proceeds)}.</p>
      <div class="stats">
        ${stat('Short-term gain', usd(r.realized.shortTerm))}
        ${stat('Long-term gain', usd(r.realized.longTerm))}
        ${r.tax === null || change === null
          ? stat('Tax', 'not computed', 'the household has no tax profile')
          : html`${stat(`Tax for ${r.tax.year}`, usd(r.tax.after), `before the sale ${usd(r.tax.before)}`)}
            ${stat(change < 0n ? 'Tax saved' : 'Added tax', usd(change < 0n ? -change : change))}`}
      </div>
      <div class="table-wrap"><table class="dense" aria-label="Lots sold">
        <thead><tr><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col">Lot</th><th scope="col" class="num">Shares</th><th scope="col">Term</th><th scope="col" class="num">Proceeds</th><th scope="col" class="num">Basis</th><th scope="col" class="num">Gain</th><th scope="col" class="num">Disallowed</th></tr></thead>
        <tbody>${r.sales.map((s) => html`<tr><td>${s.account}</td><td>${s.symbol}</td><td><code>${s.lotId}</code></td>${numCell(shares(s.shares))}<td>${s.term}</td>${moneyCell(s.proceeds)}${moneyCell(s.basis)}${moneyCell(s.gain, true)}${moneyCell(s.disallowed)}</tr>`)}</tbody>
      </table></div>
      <h3>Wash sales</h3>
      ${r.washSales.length === 0 ? html`<p>None: no loss in this sale would be disallowed by a purchase within 30 days before it.</p>` : html`<ul class="wash">${r.washSales.map((w) => html`<li>
        <strong>${w.symbol}</strong> lot <code>${w.lotId}</code> in ${w.account}: loss ${usd(w.loss)}, ${usd(w.disallowed)} disallowed${w.permanent ? ' permanently' : ''}. ${w.why}</li>`)}</ul>`}
      ${r.washWindowEnd !== null ? html`<p>Buying any security sold here at a loss (or one substantially identical), in any account of the household, through <strong>${calendarDate(r.washWindowEnd)}</strong> would wash the loss.</p>` : nothing}
      ${r.notes.length > 0 ? html`<ul class="notes">${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
    `;
  }
}

customElements.define('ls-preview', Preview);

