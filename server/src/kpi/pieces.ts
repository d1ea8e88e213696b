/**
 * Splits time ranges into what the rollups can answer (whole UTC hour/day/month/year buckets,
 * see kpi/sql/tables.sql) and raw edges read from the feed tables. A
 * window `[a, b)` costs at most ~2 x (23 + 30 + 11) buckets plus the years in between; a prefix
 * `(-inf, t)` at most (years of history) + 11 + 30 + 24.
 *
 * A range that ends inside an hour ends, in the commonest query of all, now: today's KPIs, live,
 * every second. Read forwards, its edge `[hour start, now)` is every event of the hour so far,
 * which a busy hour makes thousands of rows. So that edge is read backwards instead: the whole
 * hour's bucket minus the raw events in `[now, hour end)`, which are only those scheduled later
 * in the hour (deadlines falling due), a handful.
 */

export type Grain = 'hour' | 'day' | 'month' | 'year'
const grains: Grain[] = ['hour', 'day', 'month', 'year']

/** Buckets of `grain` whose start is in `[lo, hi)`; `lo` null means from the beginning of time. */
export type BucketPiece = { slot: number; grain: Grain; lo: Date | null; hi: Date }
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
  let level = -1 // -1: raw
  for (const grain of grains) {
    const innerLo = ceilTo(grain, lo)
    const innerHi = floorTo(grain, hi)
    if (innerLo >= innerHi) break
    emit(into, slot, level, lo, innerLo)
    emit(into, slot, level, innerHi, hi)
    lo = innerLo
    hi = innerHi
    level += 1
  }
  emit(into, slot, level, lo, hi)
}

/** Adds the pieces of `(-inf, t)` under `slot`: everything that happened before `t`. */
export function addPrefix(into: Pieces, slot: number, t: Date): void {
  into.buckets.push({ slot, grain: 'year', lo: null, hi: floorTo('year', t) })
  emit(into, slot, 2, floorTo('year', t), floorTo('month', t))
  emit(into, slot, 1, floorTo('month', t), floorTo('day', t))
  emit(into, slot, 0, floorTo('day', t), ceilTo('hour', t))
  takeAway(into, slot, t, ceilTo('hour', t))
}

function emit(into: Pieces, slot: number, level: number, lo: Date, hi: Date): void {
  if (lo >= hi) return
  if (level < 0) into.raw.push({ slot, lo, hi, sign: 1 })
  else into.buckets.push({ slot, grain: grains[level]!, lo, hi })
}

/** The raw events of `[lo, hi)`, counted negatively. */
function takeAway(into: Pieces, slot: number, lo: Date, hi: Date): void {
  if (lo < hi) into.raw.push({ slot, lo, hi, sign: -1 })
}

export const emptyPieces = (): Pieces => ({ buckets: [], raw: [] })
