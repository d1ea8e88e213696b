type Cell = string | number | null | undefined

// OWASP "CSV Injection": a spreadsheet runs text that starts with = + - @ (or a tab, CR or LF
// before one) as a formula. Such text gets a leading apostrophe, so it is shown, never run.
// Numbers are written as numbers; text that is only a negative number ("-12", "-0,5") is a
// number to a spreadsheet, not a formula, so it is left as it is (docs/security.md).
const formulaStart = /^[=+\-@\t\r\n]/
const negativeNumber = /^-\d+(?:[.,]\d+)?$/

export function neutralise(text: string): string {
  return formulaStart.test(text) && !negativeNumber.test(text) ? `'${text}` : text
}

/** RFC 4180 CSV; a leading BOM so spreadsheet programs read Vietnamese as UTF-8. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutralise(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`
}

export function download(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
