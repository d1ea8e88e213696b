import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

// Tree-shaken: the leader view draws bars and a line (registration is idempotent with the wall's).
use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer])

/** Chart text colours per theme: ECharts draws on canvas and cannot read CSS variables. */
export const leaderChartColours = {
  dark: { text: '#eef3fb', dim: '#9fb3d1', line: '#26406b' },
  light: { text: '#13243f', dim: '#4a5d7a', line: '#c9d4e5' },
} as const
