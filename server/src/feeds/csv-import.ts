import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import type { FeedName } from '@citydeck/shared'
import { parse } from 'csv-parse'
import { stringify } from 'csv-stringify'
import { csvRowToItem } from './csv-row'
import { type IngestDeps, prepareItems, store } from './ingest'

export type ImportProgress = { bytes: number; totalBytes: number; rows: number }
export type ImportSummary = {
  rows: number
  created: number
  updated: number
  ignored: number
  rejected: number
  warnings: number
  seconds: number
  /** Where the rejected rows went (with line, field and reason), or null when none were. */
  rejectsFile: string | null
}

/** Rows validated and stored at a time: each chunk is one transaction. */
const chunkRows = 2_000

/** `tickets.csv` → `tickets.rejects.csv`, beside the input. */
export const rejectsPathFor = (file: string) => `${file.replace(/\.csv$/i, '')}.rejects.csv`

/**
 * Streams a CSV backfill through the same validation and upsert as the HTTP feeds, in chunks,
 * so a file of any size runs in constant memory. Re-running a file is safe: repeats are ignored.
 */
export async function importCsv(
  deps: IngestDeps,
  feed: FeedName,
  file: string,
  onProgress: (p: ImportProgress) => void = () => {},
): Promise<ImportSummary> {
  const started = performance.now()
  const totalBytes = (await stat(file)).size
  const rejectsFile = rejectsPathFor(file)
  await rm(rejectsFile, { force: true })
  const summary: ImportSummary = {
    rows: 0,
    created: 0,
    updated: 0,
    ignored: 0,
    rejected: 0,
    warnings: 0,
    seconds: 0,
    rejectsFile: null,
  }

  let columns: string[] = []
  let rejects: ReturnType<typeof stringify> | null = null
  let rejectsDone: Promise<unknown> = Promise.resolve()
  let rejectsFailed: Error | null = null
  const reject = (record: Record<string, string>, line: number, field: string, reason: string) => {
    summary.rejected++
    if (!rejects) {
      rejects = stringify({ header: true, columns: [...columns, 'line', 'field', 'reason'] })
      // A failure writing the rejects file ends the import with it, never the process.
      rejects.on('error', (error) => (rejectsFailed ??= error))
      const out = createWriteStream(rejectsFile)
      rejects.pipe(out)
      rejectsDone = once(out, 'finish')
      summary.rejectsFile = rejectsFile
    }
    // The row's own cells only: a column named `constructor` or `toString` is not Object's.
    const row: Record<string, unknown> = Object.create(null)
    for (const column of columns) row[column] = Object.hasOwn(record, column) ? record[column] : ''
    Object.assign(row, { line, field, reason })
    rejects.write(row)
  }

  const input = createReadStream(file)
  let bytes = 0
  input.on('data', (chunk) => (bytes += chunk.length))
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
      bom: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  )
  parser.on('skip', (error: Error & { lines?: number }) => {
    summary.rows++
    reject({}, error.lines ?? 0, '', `not valid CSV: ${error.message}`)
  })

  let chunk: Array<{ record: Record<string, string>; line: number }> = []
  const flush = async () => {
    const prepared = prepareItems(
      deps,
      feed,
      chunk.map((r) => csvRowToItem(feed, r.record)),
      { firstIndex: 0 },
    )
    for (const r of prepared.rejected)
      reject(chunk[r.index]!.record, chunk[r.index]!.line, r.field, r.message)
    summary.warnings += prepared.warnings.length
    const stored = await store(deps, feed, prepared.accepted)
    summary.created += stored.created
    summary.updated += stored.updated
    summary.ignored += stored.ignored
    summary.rows += chunk.length
    chunk = []
    onProgress({ bytes, totalBytes, rows: summary.rows })
  }
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>
    info: { lines: number }
  }>) {
    chunk.push({ record, line: info.lines })
    if (chunk.length >= chunkRows) await flush()
  }
  await flush()
  if (rejects) {
    ;(rejects as ReturnType<typeof stringify>).end()
    if (!rejectsFailed) await rejectsDone
  }
  if (rejectsFailed) throw rejectsFailed
  summary.seconds = (performance.now() - started) / 1000
  return summary
}
