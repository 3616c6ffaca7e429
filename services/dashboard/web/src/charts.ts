// Apache ECharts, only the parts this page uses. Tooltips render as rich
// text, never HTML, so names from data cannot inject markup there either.
// Drawn as SVG: axis labels are text in the page, which screen readers and
// the browser tests can read (a canvas is one picture).
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const live = new Map<HTMLElement, echarts.ECharts>();

export interface Line {
  name: string;
  values: (number | null)[];
  kind?: 'bar' | 'line';
  dashed?: boolean;
}

export interface ChartOptions {
  // Slanted category labels, every one shown (long names such as provinces).
  slantLabels?: boolean;
}

export function drawChart(node: HTMLElement, categories: string[], lines: Line[], options: ChartOptions = {}): void {
  let chart = live.get(node);
  if (!chart) {
    chart = echarts.init(node, undefined, { renderer: 'svg' });
    live.set(node, chart);
  }
  chart.setOption(
    {
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 0, data: lines.map((l) => l.name) },
      grid: { left: 60, right: 16, top: 32, bottom: options.slantLabels ? 8 : 28, containLabel: !!options.slantLabels },
      xAxis: {
        type: 'category',
        data: categories,
        // Always an object: an explicit `undefined` replaces ECharts' default
        // axisLabel, and the axis then has no labels at all.
        axisLabel: options.slantLabels
          ? { show: true, interval: 0, rotate: 35, width: 110, overflow: 'truncate' }
          : { show: true, hideOverlap: true },
      },
      yAxis: { type: 'value' },
      series: lines.map((l) => ({
        name: l.name,
        type: l.kind ?? 'line',
        data: l.values,
        connectNulls: false,
        lineStyle: l.dashed ? { type: 'dashed' } : undefined,
      })),
    },
    true,
  );
}

export function disposeCharts(): void {
  for (const chart of live.values()) chart.dispose();
  live.clear();
}

window.addEventListener('resize', () => {
  for (const chart of live.values()) chart.resize();
});
