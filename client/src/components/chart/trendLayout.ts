import { niceTicks } from './niceTicks'
import { hasPartialLast, type TrendPoint } from './partialTail'
import { textWidth } from './text'

export type TrendInput = {
  points: readonly TrendPoint[]
  width: number
  height: number
  /** Text size in px. */
  size: number
  /** Formats a y axis tick. */
  tick: (value: number) => string
  /** Rates: a fixed 0–1 axis in quarters. */
  rate?: boolean
  target?: number | null
}

type Point = { x: number; y: number }
const round = (n: number) => Math.round(n * 10) / 10
const pathThrough = (points: readonly Point[]) =>
  points.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)},${round(p.y)}`).join('')

/**
 * The geometry of a trend line in a `width` x `height` box: a category x axis (points at the
 * middle of their band, labels thinned so they do not overlap), a value y axis of about four
 * round ticks, the line and its area across missing days (nulls are joined, not gaps), and a
 * partial last point split off as a dashed tail to a hollow point (partialTail.ts says why).
 */
export function layoutTrend({ points, width, height, size, tick, rate, target }: TrendInput) {
  const partial = hasPartialLast(points)
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]))
  if (target != null) values.push(target)
  const ticks = rate ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(Math.min(0, ...values), Math.max(0, ...values), 4)
  const low = ticks[0]!
  const high = ticks.at(-1)!
  const tickLabels = ticks.map(tick)

  // Room for the tick labels on the left, the x labels below, the partial label above.
  // Gaps in proportion to the text, so a 4K wall keeps the spacing of a Full HD one.
  const gap = Math.max(8, size * 0.5)
  const left = gap + Math.max(...tickLabels.map((t) => textWidth(t, size))) + gap
  const right = width - size * 2
  const top = size * 1.5
  const bottom = height - 4 - size * 1.3 - gap
  const band = (right - left) / Math.max(1, points.length)
  const xAt = (i: number) => left + band * (i + 0.5)
  const yAt = (v: number) => bottom - ((v - low) / (high - low || 1)) * (bottom - top)

  const labelWidth = Math.max(0, ...points.map((p) => textWidth(p.label, size)))
  const every = Math.max(1, Math.ceil((labelWidth + size * 0.8) / Math.max(1, band)))
  const drawn = points.map((p, i) => (p.value === null ? null : { x: xAt(i), y: yAt(p.value) }))
  const whole = (partial ? drawn.slice(0, -1) : drawn).filter((p): p is Point => p !== null)
  const base = yAt(Math.min(Math.max(0, low), high))
  const first = whole[0]
  const last = whole.at(-1)
  const end = partial ? drawn.at(-1) : null

  return {
    plot: { left, right, top, bottom, gap },
    yTicks: ticks.map((v, i) => ({ y: yAt(v), label: tickLabels[i]! })),
    xLabels: points.flatMap((p, i) => (i % every === 0 ? [{ x: xAt(i), label: p.label }] : [])),
    axisY: base,
    line: whole.length > 1 ? pathThrough(whole) : null,
    area:
      first && last && whole.length > 1
        ? `${pathThrough(whole)}L${round(last.x)},${round(base)}L${round(first.x)},${round(base)}Z`
        : null,
    dots: whole,
    tail: end ? { point: end, path: last ? pathThrough([last, end]) : null } : null,
    target: target == null ? null : { y: yAt(target) },
  }
}
