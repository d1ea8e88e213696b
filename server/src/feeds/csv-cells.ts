import { fromLocal } from '@citydeck/shared/time'
import type { CellDialect } from './csv-dialect'

/**
 * Reading one CSV cell as the feed's field wants it, the way a city's staff export it from
 * Excel in the Vietnamese locale (docs/design.md §2): `;` between cells and a decimal comma,
 * `28/11/2026 08:00` for a time, in the city's zone. When a cell cannot be read, the reason
 * says what to send instead.
 */

export type CellReading = { ok: true; value: unknown } | { ok: false; reason: string }

const read = (value: unknown): CellReading => ({ ok: true, value })
const refuse = (reason: string): CellReading => ({ ok: false, reason })

const plainNumber = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/
const commaNumber = /^([+-]?\d+),(\d+)$/

/** A number: a decimal point always, a decimal comma when the cells are not separated by commas. */
export function readNumber(cell: string, dialect: CellDialect): CellReading {
  if (plainNumber.test(cell)) return read(Number(cell))
  const comma = commaNumber.exec(cell)
  if (comma) {
    const pointed = `${comma[1]}.${comma[2]}`
    // With `,` between cells, "10,93" may be a thousands separator (1093): say which to send.
    return dialect.delimiter === ',' ? refuse(`use a decimal point: ${pointed}`) : read(Number(pointed))
  }
  return refuse(
    `"${cell}" is not a number: send one such as ${dialect.delimiter === ',' ? '10.93' : '10,93'}`,
  )
}

const trueWords = new Set(['true', '1', 'yes', 'có'])
const falseWords = new Set(['false', '0', 'no', 'không'])

export function readBoolean(cell: string): CellReading {
  const lower = cell.toLowerCase()
  if (trueWords.has(lower)) return read(true)
  if (falseWords.has(lower)) return read(false)
  return refuse(`"${cell}" is not yes or no: send true or false (or có / không)`)
}

/** A list (`media`): items separated by spaces or `|`. */
export const readList = (cell: string): CellReading => read(cell.split(/[\s|]+/).filter(Boolean))

// `28/11/2026`, `28/11/2026 08:00`, `28/11/2026 8:00:05`, `28-11-2026 08:00 SA` (SA/CH: Vietnamese AM/PM).
const slashDate =
  /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(AM|PM|SA|CH))?)?$/i
// `2026-11-28`, `2026-11-28 08:00`, `2026-11-28T08:00:00.5`: ISO 8601 without an offset.
const isoLocal = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?$/

/**
 * A time: ISO 8601 with an offset as it is (the schema checks it); without one, or written the
 * spreadsheet way (`28/11/2026 08:00`), it is the city's wall clock. A date alone is its midnight.
 */
export function readDateTime(cell: string, dialect: CellDialect): CellReading {
  const slash = slashDate.exec(cell)
  if (slash) {
    const [first, second] = [Number(slash[1]), Number(slash[3])]
    const [day, month] = dialect.dateOrder === 'day first' ? [first, second] : [second, first]
    return local(cell, dialect, Number(slash[4]), month, day, slash[5], slash[6], slash[7], slash[8])
  }
  const iso = isoLocal.exec(cell)
  if (iso) {
    const millis = iso[7] ? Math.round(Number(iso[7]) * 1000) : 0
    return local(
      cell,
      dialect,
      Number(iso[1]),
      Number(iso[2]),
      Number(iso[3]),
      iso[4],
      iso[5],
      iso[6],
      undefined,
      millis,
    )
  }
  return read(cell)
}

/** What a time should look like, for a reason: the format read, and ISO 8601 with the city's offset. */
export function dateExample(dialect: CellDialect): string {
  const wall = Date.UTC(2026, 10, 28, 8)
  const offsetMinutes = Math.round((wall - cityInstant(dialect.timeZone, 2026, 11, 28, 8)) / 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  const spreadsheet = dialect.dateOrder === 'day first' ? '28/11/2026 08:00' : '11/28/2026 08:00'
  return `a date such as ${spreadsheet} or 2026-11-28T08:00:00${offset}`
}

function local(
  cell: string,
  dialect: CellDialect,
  year: number,
  month: number,
  day: number,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  half: string | undefined,
  millis = 0,
): CellReading {
  let hour = Number(hourText ?? 0)
  const minute = Number(minuteText ?? 0)
  const second = Number(secondText ?? 0)
  if (half) {
    if (hour < 1 || hour > 12) return refuse(`"${cell}" is not a date: send ${dateExample(dialect)}`)
    const pm = /^(PM|CH)$/i.test(half)
    hour = (hour % 12) + (pm ? 12 : 0)
  }
  const valid =
    year >= 1000 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  if (!valid) return refuse(`"${cell}" is not a date: send ${dateExample(dialect)}`)
  const instant =
    cityInstant(dialect.timeZone, year, month, day, hour) + minute * 60_000 + second * 1000 + millis
  return read(new Date(instant).toISOString())
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()
const pad = (n: number) => String(n).padStart(2, '0')

// A backfill's rows fall in a few thousand distinct local hours: the zone's offset is looked up
// once for each (Intl is the costly part of reading a time), not once per cell.
const hourStarts = new Map<string, Map<number, number>>()
const hourStartsBound = 100_000

function cityInstant(timeZone: string, year: number, month: number, day: number, hour: number): number {
  let zone = hourStarts.get(timeZone)
  if (!zone) {
    zone = new Map()
    hourStarts.set(timeZone, zone)
  }
  const key = ((year * 16 + month) * 32 + day) * 32 + hour
  let at = zone.get(key)
  if (at === undefined) {
    if (zone.size >= hourStartsBound) zone.clear()
    at = fromLocal(timeZone, year, month, day, hour).getTime()
    zone.set(key, at)
  }
  return at
}
