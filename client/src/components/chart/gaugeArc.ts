/** The gauge's arc: from 210° (lower left) clockwise over the top to -30° (lower right). */
export const gaugeStart = 210
export const gaugeSweep = 240

/** The point at `degrees` (counter-clockwise from 3 o'clock, as in maths) on a circle, in SVG's y-down space. */
export function pointAt(cx: number, cy: number, r: number, degrees: number): [number, number] {
  const rad = (degrees * Math.PI) / 180
  return [cx + r * Math.cos(rad), cy - r * Math.sin(rad)]
}

/** An SVG path for the arc from the start through `share` (0–1) of the sweep; null for nothing to draw. */
export function gaugeArc(cx: number, cy: number, r: number, share: number): string | null {
  const sweep = gaugeSweep * Math.min(1, Math.max(0, share))
  if (!(sweep > 0)) return null
  const [x1, y1] = pointAt(cx, cy, r, gaugeStart)
  const [x2, y2] = pointAt(cx, cy, r, gaugeStart - sweep)
  const round = (n: number) => Math.round(n * 100) / 100
  return `M${round(x1)},${round(y1)}A${round(r)},${round(r)} 0 ${sweep > 180 ? 1 : 0} 1 ${round(x2)},${round(y2)}`
}

/**
 * Where a gauge sits in a box: as large as fits (the open arc is 1.5 radii tall), centred on
 * what it draws rather than on its circle, so the gap at the bottom does not push it up.
 */
export function gaugeFit(width: number, height: number, stroke: number) {
  const outer = Math.max(0, Math.min(width / 2, height / 1.5) * 0.94)
  const r = Math.max(0, outer - stroke / 2)
  return { cx: width / 2, cy: (height - 1.5 * outer) / 2 + outer, r, outer }
}
