import { BarChart, GaugeChart, LineChart } from 'echarts/charts'
import { GridSimpleComponent, MarkLineComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

// Tree-shaken: only the charts and components the screens draw (STYLE: charts). The simple grid
// leaves out the axis pointer, which only follows a mouse: the wall has none.
use([BarChart, LineChart, GaugeChart, GridSimpleComponent, MarkLineComponent, CanvasRenderer])

/** Colours shared by every chart, matching base.css (ECharts draws on canvas, so no CSS variables). */
export const chartColours = {
  tickets: '#4cc9f0',
  dossiers: '#f4b942',
  satisfaction: '#8bd17c',
  text: '#eef3fb',
  dim: '#9fb3d1',
  faint: '#6f86a8',
  line: '#26406b',
  target: '#eef3fb',
} as const

/** Options every chart shares: no animation (a wall redraws for weeks), transparent background. */
export const baseOption = { animation: false, backgroundColor: 'transparent' } as const
