/**
 * Backtests: submit a config (as data/backtest-default.json) as a job, follow its progress, read
 * its report: each strategy's Harvesting Yield as a chart and a table.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { get, post, type BacktestJob } from '../api.js';
import { progressFraction, strategyYields, type BacktestReportJson } from '../backtestReport.js';
import type { BarChartSpec } from '../chart.js';
import { calendarDate, count, percent } from '../format.js';
import { navigate } from '../router.js';
import { errorText, Page, when, type Load } from '../ui.js';

const JOBS = 'lotsmith.backtests';

/** A small run that finishes in seconds; the full default is `npm run backtest`'s. */
const STARTER = {
  window: { from: '2019-01-02' },
  split: '2022-01-03',
  calibrate: false,
  verify: false,
  strategies: ['none', 'year_end', 'daily_5pct', 'daily_cost_benefit'],
  focusStrategy: 'daily_cost_benefit',
  accounts: { count: 12, vintages: { from: 2019, to: 2023 }, riskScores: [2, 5, 8], initialDeposit: { min: 10000, max: 250000 }, seed: 1 },
  profiles: [
    { id: 'single-120k-CA', filingStatus: 'single', grossOrdinaryIncome: 120000, state: 'CA' },
    { id: 'mfj-250k-NY', filingStatus: 'married_filing_jointly', grossOrdinaryIncome: 250000, state: 'NY' },
  ],
  focusRiskScore: 8,
};

const jobIds = (): string[] => JSON.parse(sessionStorage.getItem(JOBS) ?? '[]') as string[];

class Backtests extends Page {
  static override properties = { jobId: { type: String }, canTrade: { type: Boolean }, job: { state: true }, report: { state: true }, submitError: { state: true } };
  declare jobId: string;
  declare canTrade: boolean;
  declare job: Load<BacktestJob> | undefined;
  declare report: Load<BacktestReportJson> | undefined;
  declare submitError: string;
  private timer: number | undefined;

  constructor() {
    super();
    this.jobId = '';
    this.canTrade = false;
    this.submitError = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('jobId')) {
      clearTimeout(this.timer);
      this.job = undefined;
      this.report = undefined;
      if (this.jobId !== '') void this.poll();
    }
  }

  private async poll(): Promise<void> {
    const id = this.jobId;
    try {
      const job = await get<BacktestJob>(`/backtests/${encodeURIComponent(id)}`);
      if (id !== this.jobId) return;
      this.job = { state: 'ready', value: job };
      if (job.status === 'done') void this.track('report', () => get<BacktestReportJson>(`/backtests/${encodeURIComponent(id)}/report`));
      else if (job.status !== 'failed') this.timer = window.setTimeout(() => void this.poll(), 1000);
    } catch (e) {
      this.job = { state: 'error', error: errorText(e) };
    }
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    let config: unknown;
    try {
      config = JSON.parse(String(new FormData(e.target as HTMLFormElement).get('config') ?? ''));
    } catch (err) {
      this.submitError = `The config is not JSON: ${errorText(err)}`;
      return;
    }
    try {
      const job = await post<BacktestJob>('/backtests', { config });
      sessionStorage.setItem(JOBS, JSON.stringify([job.id, ...jobIds().filter((x) => x !== job.id)].slice(0, 20)));
      this.submitError = '';
      navigate(`/backtests/${encodeURIComponent(job.id)}`);
    } catch (err) {
      this.submitError = errorText(err);
    }
  }

  override render() {
    const ids = jobIds();
    return html`
      <h1 tabindex="-1">Backtests</h1>
      ${this.jobId !== '' ? html`<section aria-labelledby="job-h"><h2 id="job-h">Backtest <code>${this.jobId}</code></h2>${when(this.job, (j) => this.status(j))}
        ${this.report !== undefined ? when(this.report, (r) => this.reportView(r), 'Loading the report…') : nothing}</section>` : nothing}
      ${this.canTrade ? html`<section aria-labelledby="submit-h"><h2 id="submit-h">New backtest</h2>
        <form @submit=${(e: SubmitEvent) => void this.submit(e)}>
          <label for="bt-config">Config (JSON, fields as in <code>data/backtest-default.json</code> and docs/backtest.md)</label>
          <textarea id="bt-config" name="config" rows="12" spellcheck="false">${JSON.stringify(STARTER, null, 2)}</textarea>
          ${this.submitError !== '' ? html`<p class="error" role="alert">${this.submitError}</p>` : nothing}
          <button type="submit">Run backtest</button>
        </form></section>` : html`<p class="muted">This key has no <code>trade</code> scope: it can read reports, not start backtests.</p>`}
      ${ids.length > 0 ? html`<section aria-labelledby="jobs-h"><h2 id="jobs-h">Submitted in this session</h2>
        <ul>${ids.map((id) => html`<li><a href="/backtests/${encodeURIComponent(id)}">${id}</a></li>`)}</ul></section>` : nothing}
    `;
  }

  private status(j: BacktestJob) {
    const f = progressFraction(j.progress);
    return html`<p role="status">Status: <strong data-testid="backtest-status">${j.status}</strong>${f !== null && j.status !== 'done' ? ` (${percent(f, 0)})` : ''}</p>
      ${j.status === 'queued' || j.status === 'running' ? html`<progress max="1" .value=${f ?? 0} aria-label="Backtest progress"></progress>` : nothing}
      ${j.error ? html`<p class="error" role="alert">${j.error}</p>` : nothing}`;
  }

  private reportView(r: BacktestReportJson) {
    const rows = strategyYields(r);
    const spec: BarChartSpec = {
      title: 'Average annual Harvesting Yield by strategy',
      categories: rows.map((x) => x.label),
      series: [{ name: 'Harvesting Yield', values: rows.map((x) => x.meanYield) }],
      format: (v) => percent(v),
    };
    return html`
      ${r.window !== undefined ? html`<p>${calendarDate(r.window.from)} to ${calendarDate(r.window.to)} (${count(r.window.tradingDays)} trading days), ${count(r.accounts ?? 0)} accounts, ${count(r.accountDays ?? 0)} account-days.</p>` : nothing}
      <ls-chart class="chart" .spec=${spec}></ls-chart>
      <div class="table-wrap"><table aria-label="Backtest report">
        <thead><tr><th scope="col">Strategy</th><th scope="col" class="num">Average annual Harvesting Yield</th></tr></thead>
        <tbody>${rows.map((x) => html`<tr><td>${x.label}${x.id === r.focusStrategy ? ' (focus)' : ''}</td><td class="num">${x.meanYield === null ? '—' : percent(x.meanYield)}</td></tr>`)}</tbody>
      </table></div>`;
  }
}

customElements.define('ls-backtests', Backtests);
