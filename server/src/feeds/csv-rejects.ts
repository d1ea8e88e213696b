import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { stringify } from 'csv-stringify'

/** `tickets.csv` → `tickets.rejects.csv`, beside the input. */
export const rejectsPathFor = (file: string) => `${file.replace(/\.csv$/i, '')}.rejects.csv`

/** A row listed in the rejects file: refused, or stored with a warning (e.g. without a ward). */
export type ListedRow = {
  line: number
  outcome: 'rejected' | 'stored'
  field: string
  reason: string
  cells: readonly string[]
}

/**
 * The rejects file beside the input: every row rejected or stored with a warning, with its
 * cells, then `line`, `outcome`, `field` and `reason`. Written with the input's separator, as
 * UTF-8 with a BOM, so Excel opens it in columns with its diacritics; a fixed copy can be
 * imported again (those four columns are not feed fields). Created with the first listed row.
 */
export class RejectsFile {
  private out: ReturnType<typeof stringify> | null = null
  private finished: Promise<unknown> = Promise.resolve()
  private failure: Error | null = null
  header: readonly string[] = []

  constructor(
    readonly path: string,
    private readonly delimiter: string,
  ) {}

  /** Removes the file a previous run left. */
  clear(): Promise<void> {
    return rm(this.path, { force: true })
  }

  list(row: ListedRow): void {
    if (!this.out) {
      this.out = stringify({ bom: true, delimiter: this.delimiter, record_delimiter: 'windows' })
      // A failure writing the file ends the import with it (at close), never the process.
      this.out.on('error', (error) => (this.failure ??= error))
      const file = createWriteStream(this.path)
      file.on('error', (error) => (this.failure ??= error))
      this.out.pipe(file)
      this.finished = once(file, 'close')
      this.out.write([...this.header, 'line', 'outcome', 'field', 'reason'])
    }
    const cells = this.header.map((_, i) => row.cells[i] ?? '')
    this.out.write([...cells, String(row.line), row.outcome, row.field, row.reason])
  }

  /** Finishes the file; its path when rows were listed, else null. Throws what writing it threw. */
  async close(): Promise<string | null> {
    if (!this.out) return null
    this.out.end()
    if (!this.failure) await this.finished.catch(() => {})
    if (this.failure) throw this.failure
    return this.path
  }
}
