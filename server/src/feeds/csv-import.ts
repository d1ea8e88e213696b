import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { FeedName } from '@citydeck/shared'
import { type CellDialect, type DateOrder, detectDelimiter } from './csv-dialect'
import { type CsvProblem, type CsvRecord, CsvRecords } from './csv-records'
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

type Chunk = { rows: number; accepted: Normalized[] }

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
  const batches = recordBatches(input, delimiter, (n) => (bytes += n))
  let batch: CsvRecord[] = []
  let taken = 0
  /** The next record of the file, or null at its end. */
  const nextRecord = async (): Promise<CsvRecord | null> => {
    while (taken >= batch.length) {
      const next = await batches.next()
      if (next.done) return null
      batch = next.value
      taken = 0
    }
    return batch[taken++]!
  }

  let first = await nextRecord()
  // A broken line before the header is a row that could not be read.
  while (first && 'problem' in first) {
    summary.rows++
    summary.rejected++
    listRows([
      {
        line: first.line,
        cells: [],
        outcome: 'rejected',
        field: '',
        reason: notCsv(first.problem, dialect, 0),
      },
    ])
    first = await nextRecord()
  }
  if (!first) return finish()
  rejects.header = first.cells.map((h) => h.trim())
  const readRow = createRowReader(feed, rejects.header, dialect)

  function listRows(listed: ListedRow[]) {
    listed.sort((a, b) => a.line - b.line)
    for (const row of listed) rejects.list(row)
  }

  /** The next `chunkRows` rows, validated: how many there were and the good items (null at the end). */
  async function readChunk(): Promise<Chunk | null> {
    const listed: ListedRow[] = []
    const items: Record<string, unknown>[] = []
    const itemRows: Array<{ line: number; cells: string[] }> = []
    let rows = 0
    while (rows < chunkRows) {
      const record = await nextRecord()
      if (!record) break
      rows++
      if ('problem' in record) {
        const reason = notCsv(record.problem, dialect, 0)
        listed.push({ line: record.line, cells: [], outcome: 'rejected', field: '', reason })
        continue
      }
      if (record.cells.length !== rejects.header.length) {
        const reason = notCsv('cells', dialect, record.cells.length, rejects.header.length)
        listed.push({ ...record, outcome: 'rejected', field: '', reason })
        continue
      }
      const reading = readRow(record.cells)
      if (reading.ok) {
        items.push(reading.item)
        itemRows.push(record)
      } else {
        listed.push({ ...record, outcome: 'rejected', field: reading.field, reason: reading.reason })
      }
    }
    if (rows === 0) return null
    const prepared = prepareItems(deps, feed, items)
    for (const r of prepared.rejected) {
      const reason = withHint(feed, r.field, r.message, dialect)
      listed.push({ ...itemRows[r.index]!, outcome: 'rejected', field: r.field, reason })
    }
    for (const w of prepared.warnings) {
      listed.push({ ...itemRows[w.index]!, outcome: 'stored', field: w.field, reason: w.message })
    }
    summary.rows += rows
    summary.rejected += rows - prepared.accepted.length
    summary.warnings += prepared.warnings.length
    listRows(listed)
    options.onProgress?.({ bytes, totalBytes, rows: summary.rows })
    return { rows, accepted: prepared.accepted }
  }

  let more = true
  /** The chunk read while the previous segment commits. */
  let ahead: Promise<Chunk | null> | null = null
  /** Up to `segmentRows` rows, a chunk at a time: the good items of each, for store() to write as they come. */
  async function* segment(): AsyncGenerator<Normalized[]> {
    let inSegment = 0
    while (inSegment < segmentRows) {
      const chunk = await (ahead ?? readChunk())
      ahead = null
      if (!chunk) {
        more = false
        return
      }
      inSegment += chunk.rows
      if (chunk.accepted.length) yield chunk.accepted
    }
    // The segment goes to its commit: read the next chunk meanwhile, once the commit is sent
    // (setImmediate runs after the microtasks that send it).
    ahead = new Promise((resolve) => setImmediate(resolve)).then(readChunk)
    ahead.catch(() => {}) // its failure surfaces when the next segment awaits it
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
    summary.rejectsFile = await rejects.close()
    summary.seconds = (performance.now() - started) / 1000
    return summary
  }
}

/** Why a row is not CSV, saying what to send; always starts "not valid CSV". */
function notCsv(problem: CsvProblem | 'cells', dialect: CellDialect, cells: number, headerCells = 0): string {
  const delimiter = dialect.delimiter === '\t' ? 'a tab' : `"${dialect.delimiter}"`
  switch (problem) {
    case 'cells':
      return `not valid CSV: this row has ${cells} cells and the header ${headerCells}: put a cell that holds ${delimiter} or a line break in double quotes`
    case 'quote not closed':
      return 'not valid CSV: a double quote is not closed: end the quoted cell with " (and write "" for a quote inside it)'
    case 'quote inside a cell':
      return 'not valid CSV: a double quote inside a cell: put the whole cell in double quotes and write the quote as ""'
    case 'row too long':
      return 'not valid CSV: the row runs on past a million characters: check that its double quotes are closed'
  }
}

/** The file's records, a batch per chunk read: decoded as UTF-8 (a bad byte reads as U+FFFD). */
async function* recordBatches(
  input: AsyncIterable<Buffer>,
  delimiter: string,
  onBytes: (n: number) => void,
): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8')
  const records = new CsvRecords(delimiter)
  for await (const chunk of input) {
    onBytes(chunk.length)
    const batch = records.read(decoder.decode(chunk, { stream: true }))
    if (batch.length) yield batch
  }
  yield records.read(decoder.decode(), true)
}
