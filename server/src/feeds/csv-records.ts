/**
 * CSV text → records, as Excel and other spreadsheets write it (RFC 4180): cells separated by
 * one character, quoted when they hold it, a quote or a line break (`""` for a quote), lines
 * ended by CRLF, LF or CR, a BOM at the start. Each record carries the line it starts on.
 *
 * Written for a backfill's speed (a general CSV library spent more time here than validating
 * the rows did): it scans the text with indexOf and charCodeAt and slices cells out of it. A
 * broken row costs only itself: a quote never closed, or a row past `maxRecordChars`, rejects
 * the line it starts on, and reading goes on at the next line.
 */

export type CsvProblem = 'quote not closed' | 'quote inside a cell' | 'row too long'
export type CsvRecord = { line: number; cells: string[] } | { line: number; problem: CsvProblem }

const QUOTE = 34
const LF = 10
const CR = 13

/** Longer than any row a feed item fills (a description is at most 10,000 characters). */
const defaultMaxRecordChars = 1 << 20

type Scanned = { record: CsvRecord | null; next: number; lines: number }

export class CsvRecords {
  private buffer = ''
  private line = 1
  private started = false
  /** After a row too long to hold, the rest of its line is dropped as it arrives. */
  private droppingLine = false
  private readonly delimiter: number

  constructor(
    delimiter: string,
    private readonly maxRecordChars = defaultMaxRecordChars,
  ) {
    this.delimiter = delimiter.charCodeAt(0)
  }

  /** The records that `text` completes; with `final`, every record left (the text has ended). */
  read(text: string, final = false): CsvRecord[] {
    let input = text
    if (!this.started && input.length) {
      this.started = true
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1)
    }
    if (this.droppingLine) {
      const end = lineEnd(input, 0)
      if (end < 0) return []
      this.droppingLine = false
      input = input.slice(end)
    }
    const buffer = this.buffer.length ? this.buffer + input : input
    const records: CsvRecord[] = []
    let at = 0
    while (at < buffer.length) {
      const scanned = this.scan(buffer, at, final)
      if (!scanned) break
      at = scanned.next
      this.line += scanned.lines
      if (scanned.record) records.push(scanned.record)
    }
    this.buffer = buffer.slice(at)
    return records
  }

  /** One record from `start`, or null when it is not complete yet. */
  private scan(text: string, start: number, final: boolean): Scanned | null {
    const n = text.length
    const delimiter = this.delimiter
    const cells: string[] = []
    let problem: CsvProblem | null = null
    let lines = 0
    let i = start
    for (;;) {
      if (i < n && text.charCodeAt(i) === QUOTE) {
        let value = ''
        let from = i + 1
        for (;;) {
          const q = text.indexOf('"', from)
          if (q < 0 || (q === n - 1 && !final)) return this.incomplete(text, start, final, 'quote not closed')
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1)
            from = q + 2
            continue
          }
          value += text.slice(from, q)
          i = q + 1
          break
        }
        lines += lineBreaks(value)
        cells.push(value)
        // After the closing quote comes the separator or the line's end; anything else is not CSV.
        let j = i
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === delimiter || c === LF || c === CR) break
          j++
        }
        if (j > i) problem ??= 'quote inside a cell'
        i = j
      } else {
        let j = i
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === delimiter || c === LF || c === CR) break
          if (c === QUOTE) problem ??= 'quote inside a cell'
          j++
        }
        cells.push(text.slice(i, j))
        i = j
      }
      if (i >= n) {
        if (!final) return this.incomplete(text, start, final, 'row too long')
        break
      }
      const c = text.charCodeAt(i)
      if (c === delimiter) {
        i++
        continue
      }
      if (c === CR) {
        if (i + 1 >= n && !final) return this.incomplete(text, start, final, 'row too long')
        i += text.charCodeAt(i + 1) === LF ? 2 : 1
      } else i++
      lines++
      break
    }
    const line = this.line
    if (problem) return { record: { line, problem }, next: i, lines }
    // Empty lines, and the rows of empty cells a spreadsheet writes below its data, are no rows.
    const empty = cells.every((cell) => cell.trim() === '')
    return { record: empty ? null : { line, cells }, next: i, lines }
  }

  /**
   * A record that does not end in the text read so far: wait for more, unless it has run past
   * the limit or the text has ended. Then it is rejected, and reading goes on at its next line.
   */
  private incomplete(text: string, start: number, final: boolean, problem: CsvProblem): Scanned | null {
    if (!final && text.length - start <= this.maxRecordChars) return null
    const record = { line: this.line, problem }
    const end = lineEnd(text, start)
    if (end >= 0) return { record, next: end, lines: 1 }
    // A row past the limit with no line break yet: drop the rest of its line as it arrives.
    this.droppingLine = !final
    return { record, next: text.length, lines: 1 }
  }
}

/** The index just after the first line break at or after `from` (CRLF as one), or -1. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === LF) return i + 1
    if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1
  }
  return -1
}

/** Line breaks in a quoted cell (CRLF as one), so records keep their line numbers. */
function lineBreaks(value: string): number {
  let count = 0
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) count++
  for (let i = value.indexOf('\r'); i >= 0; i = value.indexOf('\r', i + 1))
    if (value.charCodeAt(i + 1) !== LF) count++
  return count
}
