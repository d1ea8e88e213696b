import { GridComponent, TooltipComponent } from 'echarts/components'
import { use } from 'echarts/core'

/**
 * Screens used with a mouse (the leader view) add the full grid (its axis pointer) and tooltips.
 * A module of its own, imported only by those screens: in echarts.ts, which the wall imports too,
 * the bundler put them in the chunk every wall downloads (about 25 KB gzip it never runs).
 */
export function registerInteractiveCharts(): void {
  use([GridComponent, TooltipComponent])
}
