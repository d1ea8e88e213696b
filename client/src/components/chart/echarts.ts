import { BarChart, GaugeChart, LineChart } from 'echarts/charts'
import { GridSimpleComponent, MarkLineComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

// The one ECharts registration of the client, tree-shaken (STYLE: charts): only the charts and
// components the screens draw. The simple grid leaves out the axis pointer, which only follows
// a mouse: the wall has none (the leader's screens add it, echartsInteractive.ts).
use([BarChart, LineChart, GaugeChart, GridSimpleComponent, MarkLineComponent, CanvasRenderer])

/** Chart text and line colours per theme: ECharts draws on canvas and cannot read CSS variables. */
export const chartThemes = {
  dark: { text: '#eef3fb', dim: '#9fb3d1', faint: '#6f86a8', line: '#26406b', panel: '#12264a' },
  light: { text: '#13243f', dim: '#4a5d7a', faint: '#6b7c96', line: '#c9d4e5', panel: '#ffffff' },
} as const

/** The wall's colours (dark theme) with one accent per feed, matching base.css. */
export const chartColours = {
  tickets: '#4cc9f0',
  dossiers: '#f4b942',
  satisfaction: '#8bd17c',
  tasks: '#c3a6ff',
  ...chartThemes.dark,
  target: '#eef3fb',
} as const

/** Options every chart shares: no animation (a wall redraws for weeks), transparent background. */
export const baseOption = { animation: false, backgroundColor: 'transparent' } as const
