/**
 * Household: accounts, open lots with unrealized gain or loss and term, the wash-sale calendar,
 * harvest history (proposals and loss sales), Harvesting Yield by year, and the Form 8949 CSV.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { all, download, get, type GainsResponse, type HouseholdDetail, type LotsResponse, type Proposal, type WashCalendar } from '../api.js';
import type { BarChartSpec } from '../chart.js';
import { calendarDate, cents, count, percent, price, shares } from '../format.js';
import { balance, harvestingYieldByYear, lossesByYear, statusLabel, washCalendar, type YieldYear } from '../summary.js';
import { moneyCell, numCell, Page, when, type Load } from '../ui.js';

/** Beginning balances are looked up for at most this many recent years (one request each). */
const YIELD_YEARS = 8;

interface History {
  readonly gains: GainsResponse;
  readonly proposals: readonly Proposal[];
  readonly yields: readonly YieldYear[];
}

class Household extends Page {
  static override properties = {
    householdId: { type: String },
    detail: { state: true },
    lots: { state: true },
    wash: { state: true },
    history: { state: true },
    csvYear: { state: true },
    csvMessage: { state: true },
  };
  declare householdId: string;
  declare detail: Load<HouseholdDetail> | undefined;
  declare lots: Load<LotsResponse> | undefined;
  declare wash: Load<WashCalendar> | undefined;
  declare history: Load<History> | undefined;
  declare csvYear: string;
  declare csvMessage: string;

  constructor() {
    super();
    this.householdId = '';
    this.csvYear = '';
    this.csvMessage = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('householdId') && this.householdId !== '') this.load();
  }

  private path(rest = ''): string {
    return `/households/${encodeURIComponent(this.householdId)}${rest}`;
  }

  private load(): void {
    void this.track('detail', () => get<HouseholdDetail>(this.path()));
    void this.track('lots', () => get<LotsResponse>(this.path('/lots')));
    void this.track('wash', () => get<WashCalendar>(this.path('/wash-sales')));
    void this.track('history', async () => {
      const [gains, proposals] = await Promise.all([
        get<GainsResponse>(this.path('/gains')),
        all<Proposal>(`/proposals?household=${encodeURIComponent(this.householdId)}`),
      ]);
      const losses = lossesByYear(gains.dispositions).slice(-YIELD_YEARS);
      const beginning = new Map<number, bigint>();
      await Promise.all(losses.map(async ({ year }) => {
        // A year the book's closes do not reach has no beginning balance (and so no yield), not an error.
        const l = await get<LotsResponse>(this.path(`/lots?date=${year}-01-01`)).catch(() => undefined);
        const b = l === undefined ? null : balance(l.openLots, l.cash);
        if (b !== null) beginning.set(year, b);
      }));
      const last = losses.at(-1);
      if (this.csvYear === '' && last !== undefined) this.csvYear = String(last.year);
      return { gains, proposals, yields: harvestingYieldByYear(losses, beginning) };
    });
  }

  private async downloadCsv(): Promise<void> {
    this.csvMessage = '';
    try {
      const { text, filename } = await download(this.path(`/gains.csv${this.csvYear !== '' ? `?year=${this.csvYear}` : ''}`));
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `${this.householdId}-form8949${this.csvYear !== '' ? `-${this.csvYear}` : ''}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.csvMessage = `Downloaded ${a.download} (${count(Math.max(0, text.trimEnd().split('\n').length - 1))} rows).`;
    } catch (e) {
      this.csvMessage = e instanceof Error ? e.message : String(e);
    }
  }

  override render() {
    const name = this.detail?.state === 'ready' ? this.detail.value.name : this.householdId;
    return html`
      <h1 tabindex="-1">${name}</h1>
      <p class="actions"><a class="button" href="/preview?household=${encodeURIComponent(this.householdId)}">Tax preview</a>
        <a class="button" href="/proposals?status=&household=${encodeURIComponent(this.householdId)}">Proposals</a></p>
      <section aria-labelledby="accounts-h"><h2 id="accounts-h">Accounts</h2>${when(this.detail, (d) => this.accounts(d))}</section>
      <section aria-labelledby="lots-h"><h2 id="lots-h">Open lots</h2>${when(this.lots, (l) => this.lotsTable(l))}</section>
      <section aria-labelledby="wash-h"><h2 id="wash-h">Wash-sale calendar</h2>${when(this.wash, (w) => this.calendar(w))}</section>
      <section aria-labelledby="yield-h"><h2 id="yield-h">Harvesting Yield by year</h2>${when(this.history, (h) => this.yieldChart(h.yields))}</section>
      <section aria-labelledby="history-h"><h2 id="history-h">Harvest history</h2>${when(this.history, (h) => this.historyTables(h))}</section>
    `;
  }

  private accounts(d: HouseholdDetail) {
    const cash = this.lots?.state === 'ready' ? this.lots.value.cash : {};
    return html`<div class="table-wrap"><table>
      <thead><tr><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Owner</th><th scope="col">Lot method</th><th scope="col">Custodian</th><th scope="col" class="num">Cash</th></tr></thead>
      <tbody>${d.accounts.map((a) => html`<tr>
        <td><code>${a.id}</code>${a.title ? html` ${a.title}` : nothing}</td><td>${a.type}</td><td>${a.owner ?? '—'}</td><td>${a.lotMethod ?? '—'}</td><td>${a.custodian ?? '—'}</td>${moneyCell(cash[a.id] ?? null)}
      </tr>`)}</tbody></table></div>`;
  }

  private lotsTable(l: LotsResponse) {
    if (l.openLots.length === 0) return html`<p>No open lots.</p>`;
    return html`
      ${l.openLots.some((x) => x.marketValue === null)
        ? html`<p class="muted">Not valued${(l.notes ?? []).length > 0 ? html`: ${(l.notes ?? []).join('; ')}` : nothing}.</p>`
        : html`<p class="muted">Valued at the closes of ${calendarDate(l.tradingDay ?? l.asOf ?? '')}.</p>`}
      <div class="table-wrap"><table class="dense" aria-labelledby="lots-h">
        <thead><tr><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col">Lot</th><th scope="col" class="num">Shares</th><th scope="col">Acquired</th><th scope="col">Term</th>
          <th scope="col" class="num">Basis</th><th scope="col" class="num">Price</th><th scope="col" class="num">Value</th><th scope="col" class="num">Unrealized</th></tr></thead>
        <tbody>${l.openLots.map((x) => html`<tr>
          <td>${x.account}</td><td>${x.symbol}</td><td><code>${x.lotId}</code></td>${numCell(shares(x.shares))}
          <td>${calendarDate(x.adjustedAcquisitionDate)}</td><td>${x.term ?? '—'}</td>
          ${moneyCell(x.adjustedBasis)}${numCell(x.price === null ? '—' : price(x.price))}${moneyCell(x.marketValue)}${moneyCell(x.unrealizedGainLoss, true)}
        </tr>`)}</tbody>
      </table></div>`;
  }

  private calendar(c: WashCalendar) {
    const rows = washCalendar(c.items, c.date);
    if (rows.length === 0) return html`<p>Nothing is blocked on ${calendarDate(c.date)}: no loss sale or purchase in the 30 days before constrains a trade.</p>`;
    return html`<p class="muted">In force on ${calendarDate(c.date)}; days left count that day.</p><div class="table-wrap"><table aria-labelledby="wash-h">
      <thead><tr><th scope="col">Symbol</th><th scope="col">Account</th><th scope="col">Blocked</th><th scope="col">Through</th><th scope="col" class="num">Days left</th><th scope="col">Why</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr><td>${r.symbol}</td><td>${r.account}</td><td>${r.blocks === 'loss_sale' ? 'selling at a loss' : 'buying'}</td><td>${calendarDate(r.blockedThrough)}</td>${numCell(count(r.daysLeft))}<td class="why">${r.reason}</td></tr>`)}</tbody>
    </table></div>`;
  }

  private yieldChart(years: readonly YieldYear[]) {
    if (years.length === 0) return html`<p>No sales yet, so no harvested losses.</p>`;
    const spec: BarChartSpec = {
      title: 'Harvesting Yield by year: realized losses over the beginning-of-year balance',
      categories: years.map((y) => String(y.year)),
      series: [{ name: 'Harvesting Yield', values: years.map((y) => y.harvestingYield) }],
      format: (v) => percent(v),
    };
    return html`
      <p class="muted">Losses realized in the year over the household's value at its start (the seed paper's Harvesting Yield).</p>
      <ls-chart class="chart" .spec=${spec}></ls-chart>
      <div class="table-wrap"><table aria-labelledby="yield-h">
        <thead><tr><th scope="col">Year</th><th scope="col" class="num">Losses realized</th><th scope="col" class="num">Beginning balance</th><th scope="col" class="num">Harvesting Yield</th></tr></thead>
        <tbody>${years.map((y) => html`<tr><td>${y.year}</td>${moneyCell(y.loss)}${moneyCell(y.beginningBalance > 0n ? y.beginningBalance : null)}${numCell(y.harvestingYield === null ? '—' : percent(y.harvestingYield))}</tr>`)}</tbody>
      </table></div>`;
  }

  private historyTables(h: History) {
    const years = [...new Set(h.gains.dispositions.map((d) => d.dateSold.slice(0, 4)))].sort().reverse();
    const losses = h.gains.dispositions.filter((d) => cents(d.realizedGainLoss) < 0n).slice().sort((a, b) => b.dateSold.localeCompare(a.dateSold));
    return html`
      <h3 id="hh-proposals-h">Proposals</h3>
      ${h.proposals.length === 0 ? html`<p>No proposals for this household yet.</p>` : html`<div class="table-wrap"><table aria-labelledby="hh-proposals-h">
        <thead><tr><th scope="col">Run date</th><th scope="col">Status</th><th scope="col">Harvests</th><th scope="col" class="num">Benefit</th></tr></thead>
        <tbody>${h.proposals.map((p) => html`<tr><td>${calendarDate(p.runDate)}</td><td><span class="status status-${p.status}">${statusLabel(p.status)}</span></td>
          <td>${[...new Set(p.candidates.filter((c) => c.verdict === 'harvest').map((c) => c.symbol))].join(', ') || '—'}</td>${moneyCell(p.benefit)}</tr>`)}</tbody>
      </table></div>`}
      <h3 id="hh-losses-h">Loss sales</h3>
      ${losses.length === 0 ? html`<p>No sale has realized a loss.</p>` : html`<div class="table-wrap"><table class="dense" aria-labelledby="hh-losses-h">
        <thead><tr><th scope="col">Sold</th><th scope="col">Account</th><th scope="col">Symbol</th><th scope="col" class="num">Shares</th><th scope="col">Term</th><th scope="col" class="num">Proceeds</th><th scope="col" class="num">Basis</th><th scope="col" class="num">Loss</th><th scope="col" class="num">Disallowed</th></tr></thead>
        <tbody>${losses.map((d) => html`<tr><td>${calendarDate(d.dateSold)}</td><td>${d.account}</td><td>${d.symbol}</td>${numCell(shares(d.shares))}<td>${d.term}</td>
          ${moneyCell(d.proceeds)}${moneyCell(d.costBasis)}${moneyCell(d.realizedGainLoss, true)}${moneyCell(d.disallowedLoss)}</tr>`)}</tbody>
      </table></div>`}
      <h3>Form 8949</h3>
      <div class="inline-form">
        <label for="csv-year">Tax year</label>
        <select id="csv-year" .value=${this.csvYear} @change=${(e: Event) => (this.csvYear = (e.target as HTMLSelectElement).value)}>
          ${years.map((y) => html`<option value=${y} ?selected=${y === this.csvYear}>${y}</option>`)}
          <option value="" ?selected=${this.csvYear === ''}>All years</option>
        </select>
        <button type="button" @click=${() => void this.downloadCsv()}>Download Form 8949 CSV</button>
      </div>
      ${this.csvMessage !== '' ? html`<p role="status">${this.csvMessage}</p>` : nothing}
    `;
  }
}

customElements.define('ls-household', Household);
