import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Component, createApp, h } from 'vue'
import ChartBars from './ChartBars.vue'
import ChartGauge from './ChartGauge.vue'
import ChartTrend from './ChartTrend.vue'
import { chartColours } from './colours'
import { pointAt } from './gaugeArc'

/** A ResizeObserver that reports every observed box at 600x300 at once, and counts disconnects. */
const observers = { live: 0 }
class FixedSizeObserver implements ResizeObserver {
  constructor(private readonly report: ResizeObserverCallback) {}
  observe(target: Element) {
    observers.live++
    const box = { contentRect: new DOMRect(0, 0, 600, 300), borderBoxSize: [], contentBoxSize: [] }
    this.report([{ target, ...box, devicePixelContentBoxSize: [] }], this)
  }
  unobserve() {}
  disconnect() {
    observers.live--
  }
}

function mount(component: Component, props: Record<string, unknown>) {
  const host = document.createElement('div')
  document.body.append(host)
  const app = createApp({ render: () => h(component, props) })
  app.mount(host)
  const root = host.querySelector<HTMLElement>('.chart')!
  return {
    root,
    all: (selector: string) => [...root.querySelectorAll(selector)],
    unmount: () => app.unmount(),
  }
}
const numbers = (d: string | null) => (d ?? '').match(/-?\d+(\.\d+)?/g)!.map(Number)
const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`)

describe('the wall charts, drawn as SVG', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FixedSizeObserver))
  afterEach(() => vi.unstubAllGlobals())

  it('bars: one bar and one figure per item, largest first; long names cut with the full name kept', async () => {
    const long = 'Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất thành phố'
    const chart = mount(ChartBars, {
      items: [
        { key: 'a', label: 'Phú Thủy', value: 0.8 },
        { key: 'b', label: long, value: 0.4 },
        { key: 'c', label: 'Đức Long', value: null },
      ],
      color: '#123456',
      format: percent,
      max: 1,
      label: 'Đúng hạn theo đơn vị',
    })
    await Promise.resolve()
    expect(chart.root.getAttribute('role')).toBe('img')
    expect(chart.root.getAttribute('aria-label')).toBe('Đúng hạn theo đơn vị')
    expect(chart.root.dataset.chartPoints).toBe('3')
    const names = chart.all('text[text-anchor="end"]').map((t) => t.textContent)
    expect(names[0]).toBe('Phú Thủy')
    expect(names[1]).toMatch(/^Ban Quản lý.*…$/)
    expect(chart.root.querySelector('title')?.textContent).toBe(long)
    expect(chart.all('text[font-weight="600"]').map((t) => t.textContent)).toEqual(['80%', '40%', '–'])
    // A fixed 0–100% axis: 40% draws half as long as 80%; no bar for no value.
    const widths = chart.all('path').map((p) => numbers(p.getAttribute('d'))[2]! + 3)
    expect(widths).toHaveLength(2)
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.5, 5)
    chart.unmount()
  })

  it('gauge: the progress arc runs the value’s share of 240°, from 210° clockwise', async () => {
    const half = mount(ChartGauge, { value: 5, max: 10, color: '#f4b942', text: '5', label: 'Tiến độ' })
    await Promise.resolve()
    const [track, progress] = half.all('path').map((p) => numbers(p.getAttribute('d')))
    const [x0, y0, r] = [track![0]!, track![1]!, track![2]!]
    // Half of 240° from 210° is 90°: the top of the circle, straight above its centre.
    const cx = 300
    const cy = y0 + r * Math.sin((210 * Math.PI) / 180)
    expect(progress!.slice(0, 2)).toEqual([x0, y0])
    const [topX, topY] = pointAt(cx, cy, r, 90)
    expect(progress![7]).toBeCloseTo(topX, 1)
    expect(progress![8]).toBeCloseTo(topY, 1)
    expect(progress!.slice(5, 7)).toEqual([0, 1]) // 120°: the short way round, clockwise
    expect(half.root.querySelector('.value')?.getAttribute('fill')).toBe(chartColours.text)
    half.unmount()

    const none = mount(ChartGauge, { value: null, max: 10, color: '#f4b942', text: '–', label: 'Tiến độ' })
    await Promise.resolve()
    expect(none.all('path.progress')).toHaveLength(0)
    expect(none.all('path.track')).toHaveLength(1)
    expect(none.root.querySelector('.value')?.getAttribute('fill')).toBe(chartColours.faint)
    expect(none.root.textContent).toContain('/ 10')
    none.unmount()
  })

  it('trend: round ticks, a labelled target line, nulls joined', async () => {
    const chart = mount(ChartTrend, {
      points: [
        { label: '01/12', value: 12 },
        { label: '02/12', value: null },
        { label: '03/12', value: 43 },
        { label: '04/12', value: 30 },
      ],
      color: '#4cc9f0',
      format: (v: number | null) => String(v),
      target: 20,
      targetLabel: 'Mục tiêu 20',
      label: 'Phản ánh theo ngày',
    })
    await Promise.resolve()
    expect(chart.all('.y-axis text').map((t) => t.textContent)).toEqual(['0', '20', '40', '60'])
    expect(chart.all('.x-axis text').map((t) => t.textContent)).toEqual(['01/12', '02/12', '03/12', '04/12'])
    // The line joins the three days with a value across the missing one.
    expect(chart.root.querySelector('path.line')?.getAttribute('d')?.match(/[ML]/g)).toEqual(['M', 'L', 'L'])
    expect(chart.root.querySelector('.target line')?.getAttribute('stroke-dasharray')).toBeTruthy()
    expect(chart.root.querySelector('.target text')?.textContent).toBe('Mục tiêu 20')
    expect(chart.root.dataset.partialLast).toBeUndefined()
    chart.unmount()
  })

  it('trend: a rate has a fixed 0–100% axis; a partial last point is hollow on a dashed tail, labelled', async () => {
    const chart = mount(ChartTrend, {
      points: [
        { label: '10/2026', value: 0.4 },
        { label: '11/2026', value: 0.55 },
        { label: '12/2026', value: 0.2, partial: true },
      ],
      color: '#8bd17c',
      format: percent,
      rate: true,
      label: 'Hài lòng',
      partialLabel: 'tháng này (chưa hết tháng)',
    })
    await Promise.resolve()
    expect(chart.all('.y-axis text').map((t) => t.textContent)).toEqual(['0%', '25%', '50%', '75%', '100%'])
    expect(chart.root.dataset.partialLast).toBe('true')
    expect(chart.root.dataset.partialLabel).toBe('tháng này (chưa hết tháng)')
    // The whole line stops at November; the tail runs dashed from there to December's hollow point.
    expect(chart.root.querySelector('path.line')?.getAttribute('d')?.match(/[ML]/g)).toEqual(['M', 'L'])
    const tail = chart.root.querySelector('.partial path')!
    expect(tail.getAttribute('stroke-dasharray')).toBeTruthy()
    const hollow = chart.root.querySelector('.partial circle')!
    expect(hollow.getAttribute('fill')).toBe(chartColours.panel)
    expect(numbers(tail.getAttribute('d')).slice(2)).toEqual([
      Math.round(Number(hollow.getAttribute('cx')) * 10) / 10,
      Math.round(Number(hollow.getAttribute('cy')) * 10) / 10,
    ])
    expect(chart.root.querySelector('.partial text')?.textContent).toBe('tháng này (chưa hết tháng)')
    chart.unmount()
  })

  it('leaves no ResizeObserver behind on unmount', async () => {
    const before = observers.live
    const charts = [
      mount(ChartGauge, { value: 1, max: 2, color: '#fff', text: '1', label: 'g' }),
      mount(ChartBars, { items: [], color: '#fff', format: percent, label: 'b' }),
      mount(ChartTrend, { points: [], color: '#fff', format: percent, label: 't' }),
    ]
    expect(observers.live).toBe(before + 3)
    for (const chart of charts) chart.unmount()
    expect(observers.live).toBe(before)
  })
})
