import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addPrefix, addWindow, emptyPieces, type Pieces } from './pieces'

const d = (iso: string) => new Date(iso)
const describePieces = (p: Pieces) => [
  ...p.raw.map((r) => `${r.sign < 0 ? '-' : ''}raw ${r.lo.toISOString()}..${r.hi.toISOString()}`),
  ...p.buckets.map(
    (b) => `${b.sign < 0 ? '-' : ''}${b.grain} ${b.lo?.toISOString() ?? '-inf'}..${b.hi.toISOString()}`,
  ),
]

/**
 * How many times the pieces count an event at `t`: a bucket piece counts the whole buckets whose
 * start lies in its range (the pieces' ranges are bucket-aligned), each piece its `sign`.
 */
function timesCounted(p: Pieces, t: number): number {
  const inside = (lo: number, hi: number) => t >= lo && t < hi
  let n = 0
  for (const b of p.buckets)
    if (inside(b.lo?.getTime() ?? Number.NEGATIVE_INFINITY, b.hi.getTime())) n += b.sign
  for (const r of p.raw) if (inside(r.lo.getTime(), r.hi.getTime())) n += r.sign
  return n
}

const hour = 3_600_000
const from2020 = Date.UTC(2020, 0, 1)
const to2027 = Date.UTC(2027, 0, 1)
const instant = fc.integer({ min: from2020, max: to2027 })
const day = 24 * hour
/**
 * Instants near a and b, on hour/day/month/year boundaries around them, and in the rest of their
 * day, month and year (which a bucket less its rest reads): where tiling mistakes show.
 */
const probes = (a: number, b: number) =>
  [a, b].flatMap((x) => {
    const floor = Math.floor(x / hour) * hour
    const t = new Date(x)
    const month = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1)
    const nextMonth = Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)
    const year = Date.UTC(t.getUTCFullYear(), 0, 1)
    const nextYear = Date.UTC(t.getUTCFullYear() + 1, 0, 1)
    return [
      ...[x - 1, x, x + 1, floor - 1, floor, floor + hour - 1, floor + hour, x - day, x + day],
      ...[x - 12 * hour, x + 12 * hour, x - 15 * day, x + 15 * day, x - 180 * day, x + 180 * day],
      ...[month - 1, month, nextMonth - 1, nextMonth, year - 1, year, nextYear - 1, nextYear],
    ]
  })

describe('rollup pieces', () => {
  it('reads a local day of a whole-hour zone as whole UTC buckets and no raw rows', () => {
    const p = emptyPieces()
    addWindow(p, 0, d('2026-02-28T17:00:00Z'), d('2026-03-01T17:00:00Z'))
    expect(p.raw).toEqual([])
    // The 17 hours of 1 March as that day less its last 7 hours.
    expect(describePieces(p)).toEqual([
      'hour 2026-02-28T17:00:00.000Z..2026-03-01T00:00:00.000Z',
      '-hour 2026-03-01T17:00:00.000Z..2026-03-02T00:00:00.000Z',
      'day 2026-03-01T00:00:00.000Z..2026-03-02T00:00:00.000Z',
    ])
  })

  it('tiles a long unaligned window with a raw lower edge and coarser buckets inside', () => {
    const p = emptyPieces()
    addWindow(p, 0, d('2021-06-15T10:20:30.123Z'), d('2026-03-02T05:00:00.001Z'))
    expect(
      p.buckets.filter((x) => x.grain === 'year').map((x) => [x.lo!.toISOString(), x.hi.toISOString()]),
    ).toEqual([['2022-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']])
    expect(describePieces(p).filter((x) => x.includes('raw'))).toEqual([
      '-raw 2026-03-02T05:00:00.001Z..2026-03-02T06:00:00.000Z',
      'raw 2021-06-15T10:20:30.123Z..2021-06-15T11:00:00.000Z',
    ])
  })

  it("reads a window ending now as whole hours less the rest of now's hour, not the hour so far", () => {
    const p = emptyPieces()
    addWindow(p, 0, d('2026-03-14T17:00:00Z'), d('2026-03-15T10:20:00Z'))
    expect(describePieces(p)).toEqual([
      '-raw 2026-03-15T10:20:00.000Z..2026-03-15T11:00:00.000Z',
      'hour 2026-03-14T17:00:00.000Z..2026-03-15T11:00:00.000Z',
    ])
  })

  it('reads a window inside one hour forwards', () => {
    const p = emptyPieces()
    addWindow(p, 0, d('2026-03-15T10:05:00Z'), d('2026-03-15T10:20:00Z'))
    expect(describePieces(p)).toEqual(['raw 2026-03-15T10:05:00.000Z..2026-03-15T10:20:00.000Z'])
  })

  it('reads most of a coarser bucket as that bucket less the rest, and what cancels not at all', () => {
    // The bench's year window, ending at a local midnight (UTC+7) near the end of the year.
    const p = emptyPieces()
    addWindow(p, 0, d('2025-11-27T17:00:00Z'), d('2026-11-27T17:00:00Z'))
    expect(p.raw).toEqual([])
    expect(describePieces(p)).toEqual([
      'hour 2025-11-27T17:00:00.000Z..2025-11-28T00:00:00.000Z',
      '-hour 2026-11-27T17:00:00.000Z..2026-11-28T00:00:00.000Z',
      'day 2025-11-28T00:00:00.000Z..2025-12-01T00:00:00.000Z',
      '-day 2026-11-28T00:00:00.000Z..2026-12-01T00:00:00.000Z',
      'month 2025-12-01T00:00:00.000Z..2026-01-01T00:00:00.000Z',
      '-month 2026-12-01T00:00:00.000Z..2027-01-01T00:00:00.000Z',
      'year 2026-01-01T00:00:00.000Z..2027-01-01T00:00:00.000Z',
    ])
  })

  it('reads a prefix late in the year as the years to its end, less the rest', () => {
    const p = emptyPieces()
    addPrefix(p, 1, d('2026-11-27T17:00:00Z'))
    expect(describePieces(p)).toEqual([
      '-hour 2026-11-27T17:00:00.000Z..2026-11-28T00:00:00.000Z',
      '-day 2026-11-28T00:00:00.000Z..2026-12-01T00:00:00.000Z',
      '-month 2026-12-01T00:00:00.000Z..2027-01-01T00:00:00.000Z',
      'year -inf..2027-01-01T00:00:00.000Z',
    ])
  })

  it('reads a prefix as years, months, days and the hours up to the end of its hour, less the rest', () => {
    const p = emptyPieces()
    addPrefix(p, 3, d('2026-03-15T10:20:00Z'))
    expect(describePieces(p)).toEqual([
      '-raw 2026-03-15T10:20:00.000Z..2026-03-15T11:00:00.000Z',
      'hour 2026-03-15T00:00:00.000Z..2026-03-15T11:00:00.000Z',
      'day 2026-03-01T00:00:00.000Z..2026-03-15T00:00:00.000Z',
      'month 2026-01-01T00:00:00.000Z..2026-03-01T00:00:00.000Z',
      'year -inf..2026-01-01T00:00:00.000Z',
    ])
    expect(new Set([...p.raw, ...p.buckets].map((x) => x.slot))).toEqual(new Set([3]))
  })

  it('counts every instant of a window once and none outside it', () => {
    fc.assert(
      fc.property(instant, instant, (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x]
        const p = emptyPieces()
        addWindow(p, 0, new Date(a), new Date(b))
        for (const t of probes(a, b)) expect(timesCounted(p, t)).toBe(t >= a && t < b ? 1 : 0)
      }),
    )
  })

  it('counts every instant before a prefix end once and none after it', () => {
    fc.assert(
      fc.property(instant, (t0) => {
        const p = emptyPieces()
        addPrefix(p, 0, new Date(t0))
        for (const t of [...probes(t0, t0), from2020 - 1]) expect(timesCounted(p, t)).toBe(t < t0 ? 1 : 0)
      }),
    )
  })
})
