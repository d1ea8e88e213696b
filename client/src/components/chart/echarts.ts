import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

/**
 * The one ECharts registration of the client, tree-shaken (STYLE: charts): the leader's
 * interactive charts, with the axis pointer and tooltips a mouse uses. The wall draws its charts
 * as SVG (ChartBars, ChartGauge, ChartTrend) and never imports this module, which keeps ECharts
 * out of its JavaScript budget (issue #21).
 */
export function registerLeaderCharts(): void {
  use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer])
}
