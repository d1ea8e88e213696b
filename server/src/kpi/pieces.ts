/**
 * Splits time ranges into what the rollups can answer (whole UTC hour/day/month/year buckets,
 * see kpi/sql/tables.sql) and raw edges read from the feed tables.
 *
 * A run of buckets inside one coarser bucket is read as whichever is fewer buckets: the run, or
 * the coarser bucket less the rest of it (bucket pieces are signed). So 26 days of a month cost
 * the month less 4 days, and a year window ending now costs this year less its remaining (empty,
 * future) months and days, not 10 months and 26 days: a window `[a, b)` reads at most
 * ~2 x (12 + 15 + 6) buckets plus the years in between, a prefix `(-inf, t)` at most (years of
 * history) + 6 + 15 + 12. It matters most for the resolve-time histogram, where a month bucket
 * is a row per occupied bin (hundreds) and a day's only tens.
 *
 * A range that ends inside an hour ends, in the commonest query of all, now: today's KPIs, live,
 * every second. Read forwards, its edge `[hour start, now)` is every event of the hour so far,
 * which a busy hour makes thousands of rows. So that edge is read backwards instead: the whole
 * hour's bucket minus the raw events in `[now, hour end)`, which are only those scheduled later
 * in the hour (deadlines falling due), a handful.
 */

export type Grain = 'hour' | 'day' | 'month' | 'year'
const grains: Grain[] = ['hour', 'day', 'month', 'year']

/**
 * Buckets of `grain` whose start is in `[lo, hi)`, counted `sign` times (1, or -1 for the rest
 * of a coarser bucket); `lo` null means from the beginning of time.
 */
export type BucketPiece = { slot: number; grain: Grain; lo: Date | null; hi: Date; sign: number }
/** Feed rows whose events fall in `[lo, hi)`, added (`sign` 1) or taken away (-1). */
export type RawPiece = { slot: number; lo: Date; hi: Date; sign: 1 | -1 }
export type Pieces = { buckets: BucketPiece[]; raw: RawPiece[] }

export function floorTo(grain: Grain, t: Date): Date {
  const d = new Date(t.getTime())
  switch (grain) {
    case 'hour':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()))
    case 'day':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
    case 'year':
      return new Date(Date.UTC(d.getUTCFullYear(), 0, 1))
  }
}

function ceilTo(grain: Grain, t: Date): Date {
  const floor = floorTo(grain, t)
  if (floor.getTime() === t.getTime()) return floor
  const d = floor
  switch (grain) {
    case 'hour':
      return new Date(floor.getTime() + 3_600_000)
    case 'day':
      return new Date(floor.getTime() + 86_400_000)
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
    case 'year':
      return new Date(Date.UTC(d.getUTCFullYear() + 1, 0, 1))
  }
}

/** Adds the pieces of the window `[a, b)` under `slot`: events that happened inside it. */
export function addWindow(into: Pieces, slot: number, a: Date, b: Date): void {
  if (a >= b) return
  let lo = a
  let hi = b
  if (floorTo('hour', b) >= a) {
    // b's hour starts inside the window: its whole bucket, less the events from b to the hour's end.
    hi = ceilTo('hour', b)
    takeAway(into, slot, b, hi)
  }
  const buckets: BucketPiece[] = []
  let level = -1 // -1: raw
  for (const grain of grains) {
    const innerLo = ceilTo(grain, lo)
    const innerHi = floorTo(grain, hi)
    if (innerLo > innerHi) break // [lo, hi) lies inside one bucket of `grain`
    emit(into, buckets, slot, level, lo, innerLo)
    emit(into, buckets, slot, level, innerHi, hi)
    lo = innerLo
    hi = innerHi
    level += 1
  }
  emit(into, buckets, slot, level, lo, hi)
  into.buckets.push(...merged(buckets))
}

/** Adds the pieces of `(-inf, t)` under `slot`: everything that happened before `t`. */
export function addPrefix(into: Pieces, slot: number, t: Date): void {
  const buckets: BucketPiece[] = [{ slot, grain: 'year', lo: null, hi: floorTo('year', t), sign: 1 }]
  emit(into, buckets, slot, 2, floorTo('year', t), floorTo('month', t))
  emit(into, buckets, slot, 1, floorTo('month', t), floorTo('day', t))
  emit(into, buckets, slot, 0, floorTo('day', t), ceilTo('hour', t))
  takeAway(into, slot, t, ceilTo('hour', t))
  into.buckets.push(...merged(buckets))
}

/**
 * The run `[lo, hi)` of `level`'s buckets (raw below hour), which lies inside one bucket of the
 * next coarser grain: as itself, or as that bucket less the rest of it when that is fewer buckets.
 */
function emit(into: Pieces, buckets: BucketPiece[], slot: number, level: number, lo: Date, hi: Date): void {
  if (lo >= hi) return
  if (level < 0) {
    into.raw.push({ slot, lo, hi, sign: 1 })
    return
  }
  const grain = grains[level]!
  const parent = grains[level + 1]
  if (parent) {
    const outerLo = floorTo(parent, lo)
    const outerHi = ceilTo(parent, hi)
    const rest = bucketCount(grain, outerLo, lo) + bucketCount(grain, hi, outerHi)
    if (1 + rest < bucketCount(grain, lo, hi)) {
      buckets.push({ slot, grain: parent, lo: outerLo, hi: outerHi, sign: 1 })
      if (outerLo < lo) buckets.push({ slot, grain, lo: outerLo, hi: lo, sign: -1 })
      if (hi < outerHi) buckets.push({ slot, grain, lo: hi, hi: outerHi, sign: -1 })
      return
    }
  }
  buckets.push({ slot, grain, lo, hi, sign: 1 })
}

/** How many buckets of `grain` start in `[lo, hi)` (both bucket-aligned). */
function bucketCount(grain: Grain, lo: Date, hi: Date): number {
  switch (grain) {
    case 'hour':
      return (hi.getTime() - lo.getTime()) / 3_600_000
    case 'day':
      return (hi.getTime() - lo.getTime()) / 86_400_000
    case 'month':
      return (hi.getUTCFullYear() - lo.getUTCFullYear()) * 12 + hi.getUTCMonth() - lo.getUTCMonth()
    case 'year':
      return hi.getUTCFullYear() - lo.getUTCFullYear()
  }
}

/**
 * One slot's bucket pieces with what cancels taken out and adjacent runs joined, per grain (a
 * bucket added at one level and taken away at the next is not read at all): the count of each
 * bucket is kept, as the fewest ranges.
 */
function merged(pieces: BucketPiece[]): BucketPiece[] {
  const out: BucketPiece[] = []
  for (const grain of grains) {
    const steps = new Map<number, number>() // bucket start (-Infinity: the beginning) -> change of count
    let slot = 0
    for (const p of pieces) {
      if (p.grain !== grain) continue
      slot = p.slot
      const lo = p.lo ? p.lo.getTime() : Number.NEGATIVE_INFINITY
      steps.set(lo, (steps.get(lo) ?? 0) + p.sign)
      steps.set(p.hi.getTime(), (steps.get(p.hi.getTime()) ?? 0) - p.sign)
    }
    const at = [...steps.keys()].sort((x, y) => x - y)
    let count = 0
    for (let i = 0; i + 1 < at.length; i++) {
      count += steps.get(at[i]!)!
      if (count === 0) continue
      const lo = at[i]!
      const hi = new Date(at[i + 1]!)
      const last = out[out.length - 1]
      if (last && last.grain === grain && last.sign === count && last.hi.getTime() === lo) last.hi = hi
      else
        out.push({ slot, grain, lo: lo === Number.NEGATIVE_INFINITY ? null : new Date(lo), hi, sign: count })
    }
  }
  return out
}

/** The raw events of `[lo, hi)`, counted negatively. */
function takeAway(into: Pieces, slot: number, lo: Date, hi: Date): void {
  if (lo < hi) into.raw.push({ slot, lo, hi, sign: -1 })
}

export const emptyPieces = (): Pieces => ({ buckets: [], raw: [] })
