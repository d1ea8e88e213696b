/**
 * One point of a trend. `partial`: a day (or month) not over yet (shared `isPartialBucket`), only
 * ever the last point; it is drawn hollow on a dashed stretch and labelled, so today's
 * half-counted figure at 1 am does not read as a fall.
 */
export type TrendPoint = { label: string; value: number | null; partial?: boolean }

/** True when the last point is partial and drawn as such (a lone point is just drawn). */
export function hasPartialLast(points: readonly TrendPoint[]): boolean {
  return points.length > 1 && points.at(-1)!.partial === true
}

/**
 * How the leader's ECharts trend lines draw a partial last point (the wall's SVG trend draws it
 * the same way, trendLayout.ts): the complete points as one line (`whole`), and `tail`, an extra
 * dashed series from the last complete point to the hollow, labelled partial one (none when the
 * last point is complete).
 */
export function partialTail(
  points: readonly TrendPoint[],
  style: {
    color: string
    /** The chart's text size in px: symbols and dashes scale with it. */
    size: number
    text: Record<string, unknown>
    labelColor: string
    /** The panel's colour behind the label, so the dashed line never runs through its words. */
    labelBackground: string
    label?: string
  },
) {
  const last = points.length - 1
  const partial = hasPartialLast(points)
  const whole = points.map((p, i) => (partial && i === last ? null : p.value))
  if (!partial) return { whole, tail: [] }
  const { color, size, text, labelColor, labelBackground, label } = style
  const tail = {
    type: 'line',
    data: points.map((p, i) =>
      i === last
        ? {
            value: p.value,
            symbol: 'emptyCircle',
            symbolSize: size * 0.9,
            label: {
              show: !!label,
              ...text,
              color: labelColor,
              backgroundColor: labelBackground,
              padding: [1, 3],
              borderRadius: 2,
              position: 'top',
              align: 'right',
              formatter: label ?? '',
            },
          }
        : { value: i === last - 1 ? p.value : null, symbol: 'none' },
    ),
    connectNulls: false,
    showSymbol: true,
    lineStyle: { color, width: Math.max(2, size * 0.14), type: 'dashed' },
    itemStyle: { color, borderWidth: Math.max(2, size * 0.14) },
    z: 3,
  }
  return { whole, tail: [tail] }
}
