/** One minute's reading of the soaked wall. */
export type Sample = {
  minute: number
  scene: string
  heapMB: number
  nodes: number
  listeners: number
  openTickets: number
}

type Measure = 'heapMB' | 'nodes' | 'listeners'
/**
 * Growth between the soak's first `window` samples from minute 5 and its last `window`, per
 * measure: the least each scene held in each window, for the scene that grew most. A single
 * sample can land mid-transition (two scenes in the DOM for a moment: a fifth more nodes under
 * the same scene's name) and read as a leak or hide one; a transition only ever adds, so the
 * least of a scene's samples is its settled state, and a leak raises that too. `null` where no
 * scene has samples in both windows.
 */
export function windowGrowth(samples: Sample[], window = 10): Record<Measure, number | null> {
  const settled = samples.filter((x) => x.minute >= 5)
  const first = settled.slice(0, window)
  const last = settled.slice(-window)
  const out: Record<Measure, number | null> = { heapMB: null, nodes: null, listeners: null }
  if (settled.length < 2 * window) return out
  for (const key of Object.keys(out) as Measure[]) {
    for (const scene of new Set(settled.map((x) => x.scene))) {
      const before = first.filter((x) => x.scene === scene).map((x) => x[key])
      const after = last.filter((x) => x.scene === scene).map((x) => x[key])
      if (!before.length || !after.length || Math.min(...before) <= 0) continue
      const from = Math.min(...before)
      const growth = Math.round(((Math.min(...after) - from) / from) * 1000) / 10
      out[key] = Math.max(out[key] ?? -Infinity, growth)
    }
  }
  return out
}
