import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { FeedName } from '@citydeck/shared'
import { parse } from 'csv-parse'
import { type DateOrder, detectDelimiter } from './csv-dialect'
import { type ListedRow, RejectsFile, rejectsPathFor } from './csv-rejects'
import { createRowReader, withHint } from './csv-row'
import { type IngestDeps, type Normalized, prepareItems, store } from './ingest'

export { rejectsPathFor } from './csv-rejects'

export type ImportProgress = { bytes: number; totalBytes: number; rows: number }
export type ImportOptions = {
  /** What separates cells; detected from the header line when not given. */
  delimiter?: string
  /** How `28/11/2026`-like dates read; day first unless told. */
  dateOrder?: DateOrder
  onProgress?: (p: ImportProgress) => void
}
export type ImportSummary = {
  rows: number
  created: number
  updated: number
  ignored: number
  rejected: number
  warnings: number
  seconds: number
  delimiter: string
  /** Where the rejected and warned rows went (with line, outcome, field and reason), or null when none were. */
  rejectsFile: string | null
}

/** Rows validated at a time; each chunk's good items go to the store while the next is read. */
const chunkRows = 1_000
/** Rows per transaction: a batch request's worth (batch.ts requestLimits), so a backfill commits as it goes. */
const segmentRows = 10_000

type Row = { cells: string[]; line: number }
type Skipped = { line: number; reason: string; cells: readonly string[] }

/**
 * Streams a CSV backfill through the same validation and the same batch write path as an
 * NDJSON batch (store.ts, given a stream of chunks): each segment of `segmentRows` rows is one
 * transaction, written while its later rows are still being parsed. A file of any size runs
 * in constant memory, and re-running one is safe: repeats are ignored.
 */
export async function importCsv(
  deps: IngestDeps,
  feed: FeedName,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now()
  const totalBytes = (await stat(file)).size
  const delimiter = options.delimiter ?? (await detectDelimiter(file))
  const dialect = {
    delimiter,
    dateOrder: options.dateOrder ?? 'day first',
    timeZone: deps.city.profile.timeZone,
  }
  const rejects = new RejectsFile(rejectsPathFor(file), delimiter)
  await rejects.clear()
  const summary: ImportSummary = {
    rows: 0,
    created: 0,
    updated: 0,
    ignored: 0,
    rejected: 0,
    warnings: 0,
    seconds: 0,
    delimiter,
    rejectsFile: null,
  }

  const input = createReadStream(file)
  let bytes = 0
  input.on('data', (chunk) => (bytes += chunk.length))
  const parser = input.pipe(
    parse({
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  )
  // A row that is not CSV is skipped by the parser as it reads, ahead of the rows being
  // validated: it waits here to be listed in line order.
  const skipped: Skipped[] = []
  parser.on('skip', (error: Error & { code?: string; lines?: number; record?: string[] }) => {
    skipped.push({ line: error.lines ?? 0, reason: notCsv(error, delimiter), cells: error.record ?? [] })
  })
  const rows = (async function* (): AsyncGenerator<Row> {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { lines: number }
    }>)
      yield { cells: record, line: info.lines }
  })()

  const first = await rows.next()
  if (first.done) return finish()
  rejects.header = first.value.cells.map((h) => h.trim())
  const readRow = createRowReader(feed, rejects.header, dialect)

  /** Lists a chunk's rows (and the unparsable ones before its end) in line order. */
  const list = (listed: ListedRow[], upTo: number) => {
    while (skipped.length && skipped[0]!.line <= upTo) {
      const s = skipped.shift()!
      summary.rows++
      summary.rejected++
      listed.push({ ...s, outcome: 'rejected', field: '' })
    }
    listed.sort((a, b) => a.line - b.line)
    for (const row of listed) rejects.list(row)
  }

  /** Up to `segmentRows` rows, validated a chunk at a time: the good items of each chunk. */
  let more = true
  async function* segment(): AsyncGenerator<Normalized[]> {
    let inSegment = 0
    while (inSegment < segmentRows) {
      const chunk: Row[] = []
      while (chunk.length < chunkRows) {
        const next = await rows.next()
        if (next.done) {
          more = false
          break
        }
        chunk.push(next.value)
      }
      inSegment += chunk.length
      const listed: ListedRow[] = []
      const items: Record<string, unknown>[] = []
      const itemRows: Row[] = []
      for (const row of chunk) {
        const reading = readRow(row.cells)
        if (reading.ok) {
          items.push(reading.item)
          itemRows.push(row)
        } else {
          listed.push({ ...row, outcome: 'rejected', field: reading.field, reason: reading.reason })
        }
      }
      const prepared = prepareItems(deps, feed, items)
      for (const r of prepared.rejected) {
        const row = itemRows[r.index]!
        listed.push({
          ...row,
          outcome: 'rejected',
          field: r.field,
          reason: withHint(feed, r.field, r.message, dialect),
        })
      }
      for (const w of prepared.warnings) {
        const row = itemRows[w.index]!
        listed.push({ ...row, outcome: 'stored', field: w.field, reason: w.message })
      }
      summary.rows += chunk.length
      summary.rejected += chunk.length - prepared.accepted.length
      summary.warnings += prepared.warnings.length
      list(listed, more ? (chunk.at(-1)?.line ?? 0) : Number.POSITIVE_INFINITY)
      options.onProgress?.({ bytes, totalBytes, rows: summary.rows })
      if (prepared.accepted.length) yield prepared.accepted
      if (!more) return
    }
  }

  try {
    while (more) {
      const stored = await store(deps, feed, segment())
      summary.created += stored.created
      summary.updated += stored.updated
      summary.ignored += stored.ignored
    }
  } catch (error) {
    // The segments committed so far stay (running the file again is safe); so do their rows' reasons.
    await rejects.close().catch(() => {})
    input.destroy()
    throw error
  }
  return finish()

  async function finish(): Promise<ImportSummary> {
    list([], Number.POSITIVE_INFINITY)
    summary.rejectsFile = await rejects.close()
    summary.seconds = (performance.now() - started) / 1000
    return summary
  }
}

/** Why the parser could not read a row, saying what to send; always starts "not valid CSV". */
function notCsv(error: Error & { code?: string; record?: string[] }, delimiter: string): string {
  const shown = delimiter === '\t' ? 'a tab' : `"${delimiter}"`
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return `not valid CSV: this row has ${error.record?.length ?? 'another number of'} cells, not as many as the header: put a cell that holds ${shown} in double quotes`
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'not valid CSV: a double quote is not closed: end the quoted cell with " (and write "" for a quote inside it)'
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'not valid CSV: a double quote inside a cell: put the whole cell in double quotes and write the quote as ""'
    default:
      return `not valid CSV: ${error.message}`
  }
}
