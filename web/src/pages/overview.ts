/**
 * Overview: the tenant's households, this year's harvested losses and estimated tax saved (from the
 * proposals the adviser committed to), proposals awaiting approval and the last daily run.
 */
import { html, nothing } from 'lit';
import { all, get, type HouseholdSummary, type Page as ApiPage, type Proposal, type Run } from '../api.js';
import { calendarDate, count, plural, timestamp, usd } from '../format.js';
import { householdHref } from '../router.js';
import { harvestTotals, statusLabel, type HarvestTotals } from '../summary.js';
import { Page, stat, when, type Load } from '../ui.js';

const PAGE_SIZE = 25;

class Overview extends Page {
  static override properties = { households: { state: true }, totals: { state: true }, lastRun: { state: true } };
  declare households: Load<ApiPage<HouseholdSummary> & { readonly from: number }> | undefined;
  declare totals: Load<HarvestTotals> | undefined;
  declare lastRun: Load<Run | null> | undefined;
  private cursors: (string | null)[] = [null];
  /** The book's year: that of the last run (a book replayed on past prices lives in its own year), else the calendar's. */
  private year = new Date().getFullYear();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadHouseholds(0);
    const lastRun = get<ApiPage<Run>>('/runs?limit=1').then((p) => p.items[0] ?? null);
    void this.track('lastRun', () => lastRun);
    void this.track('totals', async () => {
      const [run, proposals] = await Promise.all([lastRun.catch(() => null), all<Proposal>('/proposals')]);
      if (run !== null) this.year = Number(run.runDate.slice(0, 4));
      return harvestTotals(proposals, this.year);
    });
  }

  private async loadHouseholds(index: number): Promise<void> {
    const after = this.cursors[index] ?? null;
    await this.track('households', async () => {
      const page = await get<ApiPage<HouseholdSummary>>(`/households?limit=${PAGE_SIZE}${after !== null ? `&after=${encodeURIComponent(after)}` : ''}`);
      this.cursors[index + 1] = page.next;
      return { ...page, from: index };
    });
  }

  override render() {
    return html`
      <h1 tabindex="-1">Overview</h1>
      <section class="stats" aria-label="This year">
        ${when(this.totals, (t) => html`
          ${stat(`Losses harvested in ${this.year}`, usd(t.harvestedLoss), `from ${plural(t.committed, 'approved or executed proposal')}`)}
          ${stat('Estimated tax saved', usd(t.taxSaved), 'the run\'s estimate for those proposals')}
          ${stat('Awaiting approval', count(t.awaiting), html`<a href="/proposals?status=proposed">Review proposals</a>`)}
        `)}
        ${when(this.lastRun, (r) => (r === null ? stat('Last run', 'none', 'no daily run yet') : stat('Last run', statusLabel(r.status), html`
          for ${calendarDate(r.runDate)}, started ${timestamp(r.startedAt)}${r.finishedAt !== null ? html`, finished ${timestamp(r.finishedAt)}` : nothing};
          ${plural(r.totals.proposals, 'proposal')}, ${plural(r.totals.errors, 'error')}`)))}
      </section>
      <section aria-labelledby="households-h">
        <h2 id="households-h">Households</h2>
        ${when(this.households, (page) => this.householdsTable(page))}
      </section>
    `;
  }

  private householdsTable(page: ApiPage<HouseholdSummary> & { readonly from: number }) {
    if (page.items.length === 0 && page.from === 0) return html`<p>No households yet: import one with <code>lotsmith import</code> or the API.</p>`;
    return html`
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">Household</th><th scope="col">Id</th><th scope="col">Filing status</th><th scope="col" class="num">Accounts</th><th scope="col" class="num">Events</th><th scope="col">Last event</th></tr></thead>
          <tbody>
            ${page.items.map((h) => html`<tr>
              <td><a href=${householdHref(h.id)}>${h.name}</a></td>
              <td><code>${h.id}</code></td>
              <td>${h.filingStatus === null ? '—' : statusLabel(h.filingStatus)}</td>
              <td class="num">${count(typeof h.accounts === 'number' ? h.accounts : h.accounts.length)}</td>
              <td class="num">${count(h.eventCount)}</td>
              <td>${h.lastEventDate === null ? '—' : calendarDate(h.lastEventDate)}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <button type="button" ?disabled=${page.from === 0} @click=${() => void this.loadHouseholds(page.from - 1)}>Previous</button>
        <span>Page ${page.from + 1}</span>
        <button type="button" ?disabled=${page.next === null} @click=${() => void this.loadHouseholds(page.from + 1)}>Next</button>
      </div>
    `;
  }
}

customElements.define('ls-overview', Overview);
