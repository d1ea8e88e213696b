import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { localParts } from '@citydeck/shared/time'
import { repoRoot } from '../src/config'

const run = promisify(execFile)
const importBin = path.join(repoRoot, 'server/bin/citydeck-import.mjs')
/** The bench city's zone (server/profiles/phan-thiet): the CSV's times are its wall clock. */
const timeZone = 'Asia/Ho_Chi_Minh'

const pad = (n: number) => String(n).padStart(2, '0')
const cityTime = (ms: number) => {
  const p = localParts(new Date(ms), timeZone)
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
}
const comma = (n: number) => n.toFixed(4).replace('.', ',')

/**
 * The ingest bench's tickets as a city's staff export them from Excel in the Vietnamese locale:
 * a BOM, `;` between cells, `28/11/2026 08:00:00` city times, decimal commas, CRLF.
 */
export function excelCsv(rows: number, serial: string, now: number): string {
  const lines = ['source;ref;updatedAt;category;title;location.lat;location.lng;status;receivedAt;channel']
  for (let i = 0; i < rows; i++) {
    const at = cityTime(now - (i % 3600) * 1000)
    const lat = comma(10.9 + (i % 100) / 1000)
    const lng = comma(108.05 + (i % 97) / 1000)
    lines.push(
      `bench;csv${serial}-${i};${at};waste;Rác tồn đọng trên đường số ${i};${lat};${lng};received;${at};app`,
    )
  }
  return `\ufeff${lines.join('\r\n')}\r\n`
}

/** CPU ms of this process's finished children (Linux /proc: cutime + cstime; 0 elsewhere). */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return 0
  }
}

/**
 * Imports `rows` Excel-style rows with the real command (`server/bin/citydeck-import.mjs`, a
 * process of its own, as a city runs it) into the bench server's database, while the server
 * runs. The rate is the command's own (from reading the file to its last commit), without
 * the second or so node takes to start, which a backfill of years pays once.
 */
export async function importCsvPhase(dbUrl: string, rows: number, serial: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'citydeck-ingest-csv-'))
  try {
    const file = path.join(dir, 'tickets.csv')
    await writeFile(file, excelCsv(rows, serial, Date.now()))
    const cpuBefore = childrenCpuMs()
    const started = performance.now()
    const { stdout } = await run(process.execPath, [importBin, 'tickets', file], {
      env: { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' },
    })
    const wallSeconds = (performance.now() - started) / 1000
    const m = /^(\d+) rows in [\d.]+ s \((\d+) rows\/s\): (\d+) created/m.exec(stdout)
    if (!m || Number(m[3]) !== rows) throw new Error(`the CSV import did not store every row: ${stdout}`)
    const rowsPerSecond = Number(m[2])
    return {
      rows,
      format: '; separator, dd/mm/yyyy HH:MM:SS city times, decimal commas, BOM, CRLF',
      seconds: +(rows / rowsPerSecond).toFixed(2),
      rowsPerSecond,
      commandWallSeconds: +wallSeconds.toFixed(2),
      importerCpuMs: childrenCpuMs() - cpuBefore,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
