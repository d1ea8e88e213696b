import { describe, expect, it } from 'vitest'
import { addPrefix, addWindow, emptyPieces, type Pieces } from './pieces'

const d = (iso: string) => new Date(iso)
const describePieces = (p: Pieces) => [
  ...p.raw.map((r) => `raw ${r.lo.toISOString()}..${r.hi.toISOString()}`),
  ...p.buckets.map((b) => `${b.grain} ${b.lo?.toISOString() ?? '-inf'}..${b.hi.toISOString()}`),
]

/** Every millisecond boundary covered once: the pieces tile the window without gaps or overlaps. */
function coverage(p: Pieces): Array<[number, number]> {
  const spans: Array<[number, number]> = [
    ...p.raw.map((r): [number, number] => [r.lo.getTime(), r.hi.getTime()]),
    ...p.buckets.map((b): [number, number] => [b.lo?.getTime() ?? Number.NEGATIVE_INFINITY, b.hi.getTime()]),
  ]
  return spans.sort((a, b) => a[0] - b[0])
}

describe('rollup pieces', () => {
  it('reads a local day of a whole-hour zone as 24 hour buckets and no raw rows', () => {
    const p = emptyPieces()
    addWindow(p, 0, d('2026-02-28T17:00:00Z'), d('2026-03-01T17:00:00Z'))
    expect(p.raw).toEqual([])
    expect(describePieces(p)).toEqual(['hour 2026-02-28T17:00:00.000Z..2026-03-01T17:00:00.000Z'])
  })

  it('tiles a long unaligned window with raw edges and coarser buckets inside', () => {
    const p = emptyPieces()
    const a = d('2021-06-15T10:20:30.123Z')
    const b = d('2026-03-02T05:00:00.001Z')
    addWindow(p, 0, a, b)
    const spans = coverage(p)
    expect(spans[0]![0]).toBe(a.getTime())
    expect(spans.at(-1)![1]).toBe(b.getTime())
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1])
    expect(
      p.buckets.filter((x) => x.grain === 'year').map((x) => [x.lo!.toISOString(), x.hi.toISOString()]),
    ).toEqual([['2022-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']])
    expect(p.raw).toHaveLength(2)
  })

  it('reads a prefix as years, months, days and hours before t plus the raw rest of its hour', () => {
    const p = emptyPieces()
    addPrefix(p, 3, d('2026-03-15T10:20:00Z'))
    expect(describePieces(p)).toEqual([
      'raw 2026-03-15T10:00:00.000Z..2026-03-15T10:20:00.000Z',
      'year -inf..2026-01-01T00:00:00.000Z',
      'month 2026-01-01T00:00:00.000Z..2026-03-01T00:00:00.000Z',
      'day 2026-03-01T00:00:00.000Z..2026-03-15T00:00:00.000Z',
      'hour 2026-03-15T00:00:00.000Z..2026-03-15T10:00:00.000Z',
    ])
    expect(new Set([...p.raw, ...p.buckets].map((x) => x.slot))).toEqual(new Set([3]))
  })
})
