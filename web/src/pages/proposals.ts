/**
 * Proposals: each with its orders and, for every lot at a loss, the verdict, the loss, the tax
 * benefit, the spread, the opportunity cost and the sentence that explains the decision; approve
 * or reject one by one or the selected ones together.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { all, post, type Proposal, type ProposalCandidate } from '../api.js';
import { calendarDate, count, plural, price, shares, usd } from '../format.js';
import { householdHref, navigate } from '../router.js';
import { statusLabel } from '../summary.js';
import { errorText, moneyCell, numCell, Page, when, type Load } from '../ui.js';

const STATUSES = ['proposed', 'approved', 'sent', 'partially_filled', 'filled', 'rejected', 'expired', 'superseded', 'cancelled'];

class Proposals extends Page {
  static override properties = {
    status: { type: String },
    household: { type: String },
    canTrade: { type: Boolean },
    list: { state: true },
    selected: { state: true },
    messages: { state: true },
    working: { state: true },
  };
  declare status: string;
  declare household: string;
  declare canTrade: boolean;
  declare list: Load<Proposal[]> | undefined;
  declare selected: ReadonlySet<string>;
  declare messages: ReadonlyMap<string, string>;
  declare working: boolean;

  constructor() {
    super();
    this.status = 'proposed';
    this.household = '';
    this.canTrade = false;
    this.selected = new Set();
    this.messages = new Map();
    this.working = false;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('status') || changed.has('household')) {
      const q = new URLSearchParams();
      if (this.status !== '') q.set('status', this.status);
      if (this.household !== '') q.set('household', this.household);
      this.selected = new Set();
      void this.track('list', () => all<Proposal>(`/proposals?${q.toString()}`));
    }
  }

  private filter(e: SubmitEvent): void {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    navigate(`/proposals?status=${encodeURIComponent(String(f.get('status') ?? ''))}&household=${encodeURIComponent(String(f.get('household') ?? '').trim())}`);
  }

  /** Approves or rejects each proposal in turn; each answer replaces its proposal in the list. */
  private async act(ids: readonly string[], action: 'approve' | 'reject', reason = ''): Promise<void> {
    if (this.list?.state !== 'ready') return;
    this.working = true;
    let list: Proposal[] = this.list.value;
    const messages = new Map(this.messages);
    for (const id of ids) {
      const p: Proposal | undefined = list.find((x) => x.id === id);
      if (p === undefined) continue;
      try {
        const updated: Proposal = await post<Proposal>(`/proposals/${encodeURIComponent(id)}/${action}`, action === 'approve' ? { version: p.version } : { reason, version: p.version });
        list = list.map((x) => (x.id === id ? updated : x));
        this.list = { state: 'ready', value: list };
        messages.set(id, updated.status === (action === 'approve' ? 'approved' : 'rejected') ? `${statusLabel(updated.status)}.` : `now ${statusLabel(updated.status)}${updated.reason !== null ? `: ${updated.reason}` : ''}`);
      } catch (e) {
        messages.set(id, errorText(e));
      }
      this.messages = new Map(messages);
    }
    this.selected = new Set();
    this.working = false;
  }

  private toggle(id: string, on: boolean): void {
    const s = new Set(this.selected);
    if (on) s.add(id);
    else s.delete(id);
    this.selected = s;
  }

  override render() {
    return html`
      <h1 tabindex="-1">Proposals</h1>
      <form class="inline-form" @submit=${this.filter} aria-label="Filter proposals">
        <label for="f-status">Status</label>
        <select id="f-status" name="status">
          <option value="" ?selected=${this.status === ''}>any</option>
          ${STATUSES.map((s) => html`<option value=${s} ?selected=${s === this.status}>${statusLabel(s)}</option>`)}
        </select>
        <label for="f-household">Household</label>
        <input id="f-household" name="household" .value=${this.household} placeholder="any" />
        <button type="submit">Filter</button>
      </form>
      ${when(this.list, (list) => this.body(list))}
    `;
  }

  private body(list: readonly Proposal[]) {
    if (list.length === 0) return html`<p>No proposals match.</p>`;
    const open = list.filter((p) => p.status === 'proposed');
    return html`
      ${this.canTrade && open.length > 0 ? this.bulkBar(open) : nothing}
      ${!this.canTrade ? html`<p class="muted">This key has no <code>trade</code> scope: proposals can be read, not approved.</p>` : nothing}
      <p class="muted">${plural(list.length, 'proposal')}.</p>
      ${list.map((p) => this.card(p))}
    `;
  }

  private bulkBar(open: readonly Proposal[]) {
    const ids = [...this.selected];
    return html`<form class="bulk inline-form" aria-label="Selected proposals" @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      void this.act(ids, 'reject', String(new FormData(e.target as HTMLFormElement).get('reason') ?? ''));
    }}>
      <label><input type="checkbox" .checked=${open.length > 0 && open.every((p) => this.selected.has(p.id))}
        @change=${(e: Event) => (this.selected = (e.target as HTMLInputElement).checked ? new Set(open.map((p) => p.id)) : new Set())} /> Select all awaiting (${count(open.length)})</label>
      <button type="button" ?disabled=${ids.length === 0 || this.working} @click=${() => void this.act(ids, 'approve')}>Approve selected (${count(ids.length)})</button>
      <label for="bulk-reason">Reason</label><input id="bulk-reason" name="reason" required placeholder="why not" />
      <button type="submit" ?disabled=${ids.length === 0 || this.working}>Reject selected</button>
    </form>`;
  }

  private card(p: Proposal) {
    const message = this.messages.get(p.id);
    const headingId = `p-${p.id}`;
    return html`<article class="proposal" aria-labelledby=${headingId} data-proposal=${p.id}>
      <header>
        ${this.canTrade && p.status === 'proposed' ? html`<input type="checkbox" aria-label="Select proposal ${p.id}" .checked=${this.selected.has(p.id)} @change=${(e: Event) => this.toggle(p.id, (e.target as HTMLInputElement).checked)} />` : nothing}
        <h2 id=${headingId}><a href=${householdHref(p.household)}>${p.household}</a> · ${calendarDate(p.runDate)}</h2>
        <span class="status status-${p.status}" data-testid="status">${statusLabel(p.status)}</span>
        <span class="benefit">benefit <strong class="num">${usd(p.benefit)}</strong></span>
      </header>
      ${p.reason !== null ? html`<p class="muted">Reason: ${p.reason}</p>` : nothing}
      ${this.canTrade && p.status === 'proposed' ? html`<form class="inline-form" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.act([p.id], 'reject', String(new FormData(e.target as HTMLFormElement).get('reason') ?? ''));
      }}>
        <button type="button" ?disabled=${this.working} @click=${() => void this.act([p.id], 'approve')}>Approve</button>
        <label class="visually-hidden" for="r-${p.id}">Reason to reject ${p.id}</label>
        <input id="r-${p.id}" name="reason" required placeholder="reason to reject" />
        <button type="submit" ?disabled=${this.working}>Reject</button>
      </form>` : nothing}
      ${message !== undefined ? html`<p role="status" class="message">${message}</p>` : nothing}
      ${this.orders(p)}
      ${this.candidates(p.candidates)}
      ${p.notes.length > 0 ? html`<ul class="notes">${p.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
    </article>`;
  }

  private orders(p: Proposal) {
    if (p.orders.length === 0) return nothing;
    return html`<div class="table-wrap"><table class="dense">
      <caption>Orders</caption>
      <thead><tr><th scope="col">Side</th><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col" class="num">Shares</th><th scope="col" class="num">Price</th><th scope="col" class="num">Amount</th><th scope="col">Rule</th></tr></thead>
      <tbody>${p.orders.map((o) => html`<tr><td>${o.side}</td><td>${o.account}</td><td>${o.symbol}</td>${numCell(shares(o.shares))}${numCell(price(o.price))}${moneyCell(o.amount)}<td>${o.rule}${o.lossSale ? ' (loss sale)' : ''}</td></tr>`)}</tbody>
    </table></div>`;
  }

  private candidates(list: readonly ProposalCandidate[]) {
    if (list.length === 0) return nothing;
    return html`<div class="table-wrap"><table class="dense candidates">
      <caption>Lots at a loss and the decision on each</caption>
      <thead><tr><th scope="col">Verdict</th><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col" class="num">Loss</th><th scope="col" class="num">Benefit</th>
        <th scope="col" class="num">Spread</th><th scope="col" class="num">Opportunity cost</th><th scope="col" class="num">Net</th><th scope="col">Why</th></tr></thead>
      <tbody>${list.map((c) => html`<tr>
        <td><span class="verdict verdict-${c.verdict}">${statusLabel(c.verdict)}</span></td><td>${c.account}</td><td>${c.symbol}${c.replacement ? html` → ${c.replacement}` : nothing}</td>
        ${moneyCell(c.loss)}${moneyCell(c.economics?.benefit)}${moneyCell(c.economics?.spreadCost)}${moneyCell(c.economics?.opportunityCost)}${moneyCell(c.economics?.net)}
        <td class="why">${c.why}</td></tr>`)}</tbody>
    </table></div>`;
  }
}

customElements.define('ls-proposals', Proposals);
