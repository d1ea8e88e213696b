import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CsvRecord, CsvRecords } from './csv-records'

/** Reads `text` cut into pieces at `at` (as a file arrives in chunks). */
function read(text: string, delimiter = ',', at: number[] = [], max?: number): CsvRecord[] {
  const reader = new CsvRecords(delimiter, max)
  const points = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b)
  const records: CsvRecord[] = []
  let from = 0
  for (const p of points) {
    records.push(...reader.read(text.slice(from, p)))
    from = p
  }
  records.push(...reader.read(text.slice(from), true))
  return records
}

describe('CsvRecords', () => {
  it('reads what Excel writes: BOM, ;, CRLF, quoted separators, quotes and line breaks, with start lines', () => {
    const text = '\uFEFFa;b;c\r\n1;"x;y";"say ""hi"""\r\n2;"two\r\nlines";\r\n\r\n3;;z\r\n'
    expect(read(text, ';')).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x;y', 'say "hi"'] },
      { line: 3, cells: ['2', 'two\r\nlines', ''] },
      { line: 6, cells: ['3', '', 'z'] },
    ])
  })

  it('skips empty lines and rows of empty cells; reads LF, CR and a last line without a break', () => {
    expect(read('a,b\n\n,\n"",\n1,2\r3,4', ',')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 5, cells: ['1', '2'] },
      { line: 6, cells: ['3', '4'] },
    ])
  })

  it('rejects only the broken line and reads on: a quote never closed, a stray quote, a row too long', () => {
    expect(read('a,b\n1,"open\n2,x\n3,y"z\n4,5 "inch"\n5,ok\n6,"never', ',')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      // The quote on line 2 closes on line 4 after a "y": a stray quote, reported where the row began.
      { line: 2, problem: 'quote inside a cell' },
      { line: 5, problem: 'quote inside a cell' },
      { line: 6, cells: ['5', 'ok'] },
      { line: 7, problem: 'quote not closed' },
    ])
    const long = `a,b\n1,"${'x'.repeat(300)}\n2,ok\n3,${'y'.repeat(300)}\n4,ok\n`
    expect(read(long, ',', [50, 100, 150, 200, 250, 320, 400, 450, 500, 600], 100)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, problem: 'quote not closed' },
      { line: 3, cells: ['2', 'ok'] },
      { line: 4, problem: 'row too long' },
      { line: 5, cells: ['4', 'ok'] },
    ])
  })

  it('reads any well-formed CSV as csv-parse does, however the text is cut', () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', ';', ',', '"', '\n', '\r', ' ', '1') }),
      fc.string(),
    )
    const quote = (c: string) => (/[;,"\r\n]/.test(c) || c.trim() === '' ? `"${c.replaceAll('"', '""')}"` : c)
    fc.assert(
      fc.property(
        fc.constantFrom(',', ';', '\t'),
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (delimiter, rows, eol, at) => {
          const kept = rows.filter((r) => r.some((c) => c.trim() !== ''))
          const lines = kept.map((r) => r.map(quote).join(delimiter) + eol)
          const text = lines.join('')
          const ours = read(text, delimiter, at)
          expect(ours.map((r) => ('cells' in r ? r.cells : r))).toEqual(
            parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }),
          )
          // A row starts on the line after every line break before it (CRLF as one).
          const breaks = (t: string) => t.match(/\r\n|\r|\n/g)?.length ?? 0
          expect(ours.map((r) => r.line)).toEqual(lines.map((_, i) => 1 + breaks(lines.slice(0, i).join(''))))
        },
      ),
      { numRuns: 300 },
    )
  })
})
