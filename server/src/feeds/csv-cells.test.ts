import { describe, expect, it } from 'vitest'
import { dateExample, readBoolean, readDateTime, readNumber } from './csv-cells'
import { type CellDialect, delimiterOf } from './csv-dialect'

const vi: CellDialect = { delimiter: ';', dateOrder: 'day first', timeZone: 'Asia/Ho_Chi_Minh' }
const comma: CellDialect = { ...vi, delimiter: ',' }
const us: CellDialect = { ...comma, dateOrder: 'month first', timeZone: 'America/New_York' }
const value = (reading: ReturnType<typeof readNumber>) => (reading.ok ? reading.value : reading.reason)

describe('CSV cells', () => {
  it('reads decimal commas when cells are not separated by commas, and says to use a point when they are', () => {
    expect(value(readNumber('10,93', vi))).toBe(10.93)
    expect(value(readNumber('-108,1', vi))).toBe(-108.1)
    expect(value(readNumber('10.93', vi))).toBe(10.93)
    expect(value(readNumber('10,93', comma))).toBe('use a decimal point: 10.93')
    expect(value(readNumber('1.234,5', vi))).toBe('"1.234,5" is not a number: send one such as 10,93')
    expect(value(readNumber('abc', comma))).toBe('"abc" is not a number: send one such as 10.93')
  })

  it('reads dd/mm/yyyy [HH:MM[:SS]] and zone-less ISO times as the city clock; keeps ISO with an offset', () => {
    expect(value(readDateTime('28/11/2026 08:00', vi))).toBe('2026-11-28T01:00:00.000Z')
    expect(value(readDateTime('28/11/2026 8:05:09', vi))).toBe('2026-11-28T01:05:09.000Z')
    expect(value(readDateTime('28/11/2026', vi))).toBe('2026-11-27T17:00:00.000Z')
    expect(value(readDateTime('1.2.2026 02:30 CH', vi))).toBe('2026-02-01T07:30:00.000Z')
    expect(value(readDateTime('28-11-2026 12:00 SA', vi))).toBe('2026-11-27T17:00:00.000Z')
    expect(value(readDateTime('2026-11-28 08:00', vi))).toBe('2026-11-28T01:00:00.000Z')
    expect(value(readDateTime('2026-11-28T08:00:00.250', vi))).toBe('2026-11-28T01:00:00.250Z')
    expect(value(readDateTime('2026-11-28T08:00:00+07:00', vi))).toBe('2026-11-28T08:00:00+07:00')
    // Month first, and a zone with daylight saving: 8:00 in March is EDT (-4), in January EST (-5).
    expect(value(readDateTime('03/28/2026 08:00', us))).toBe('2026-03-28T12:00:00.000Z')
    expect(value(readDateTime('01/28/2026 08:00', us))).toBe('2026-01-28T13:00:00.000Z')
  })

  it('refuses dates that do not exist, saying what to send in the city offset', () => {
    const send = 'send a date such as 28/11/2026 08:00 or 2026-11-28T08:00:00+07:00'
    expect(value(readDateTime('31/02/2026', vi))).toBe(`"31/02/2026" is not a date: ${send}`)
    expect(value(readDateTime('29/02/2026', vi))).toBe(`"29/02/2026" is not a date: ${send}`)
    expect(value(readDateTime('29/02/2028', vi))).toBe('2028-02-28T17:00:00.000Z')
    expect(value(readDateTime('28/11/2026 24:00', vi))).toBe(`"28/11/2026 24:00" is not a date: ${send}`)
    expect(value(readDateTime('13/28/2026', us))).toContain('11/28/2026 08:00 or 2026-11-28T08:00:00-05:00')
    expect(dateExample(vi)).toBe('a date such as 28/11/2026 08:00 or 2026-11-28T08:00:00+07:00')
    // Not a form read here: left to the schema, which refuses it (and the import adds what to send).
    expect(value(readDateTime('hôm qua', vi))).toBe('hôm qua')
  })

  it('reads yes and no in English and Vietnamese', () => {
    expect(value(readBoolean('Có'))).toBe(true)
    expect(value(readBoolean('không'))).toBe(false)
    expect(value(readBoolean('maybe'))).toContain('send true or false')
  })

  it('finds the separator from the header line, outside quotes', () => {
    expect(delimiterOf('\uFEFFsource;ref;location.lat\r\nx,y;1;2')).toBe(';')
    expect(delimiterOf('"a;b",c,d\n')).toBe(',')
    expect(delimiterOf('a\tb\tc')).toBe('\t')
    expect(delimiterOf('single')).toBe(',')
  })
})
