/**
 * <ls-chart>: an ECharts bar chart (tree-shaken core, canvas renderer) sized to its box and resized
 * with it; the same figures are always also in a table beside it for screen readers.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export interface BarSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface BarChartSpec {
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  /** Axis and tooltip text of a value. */
  readonly format: (v: number) => string;
}

export class ChartElement extends HTMLElement {
  private chart: echarts.ECharts | undefined;
  private observer: ResizeObserver | undefined;
  private pending: BarChartSpec | undefined;

  set spec(s: BarChartSpec) {
    this.pending = s;
    if (this.isConnected) this.draw();
  }

  connectedCallback(): void {
    this.setAttribute('role', 'img');
    this.chart = echarts.init(this, undefined, { renderer: 'canvas' });
    this.observer = new ResizeObserver(() => this.chart?.resize());
    this.observer.observe(this);
    this.draw();
  }

  disconnectedCallback(): void {
    this.observer?.disconnect();
    this.chart?.dispose();
    this.chart = undefined;
  }

  private draw(): void {
    const s = this.pending;
    if (s === undefined || this.chart === undefined) return;
    this.setAttribute('aria-label', s.title);
    this.chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        grid: { left: 8, right: 8, top: s.series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
        legend: s.series.length > 1 ? { top: 0 } : { show: false },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? s.format(v) : '—') },
        xAxis: { type: 'category', data: [...s.categories] },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => s.format(v) } },
        series: s.series.map((x) => ({ type: 'bar', name: x.name, data: [...x.values] })),
      },
      true,
    );
  }
}

customElements.define('ls-chart', ChartElement);
