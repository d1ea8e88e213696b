import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const run = promisify(execFile)
const repo = path.resolve(__dirname, '../..')
// The command as a city runs it: the package's bin, linked by npm (`npx citydeck-import`).
const bin = path.join(repo, 'node_modules/.bin/citydeck-import')
let db: TestDatabase
let dir: string

beforeAll(async () => {
  db = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'citydeck-import-'))
})
afterAll(async () => {
  await db?.drop()
  await rm(dir, { recursive: true, force: true })
})

type Ran = { code: number; stdout: string; stderr: string }
const settle = (p: Promise<{ stdout: string; stderr: string }>): Promise<Ran> =>
  p.then(
    (r) => ({ code: 0, ...r }),
    (e: Ran) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
const env = (more: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: db.url,
  LOG_LEVEL: 'silent',
  ...more,
})
const importCli = (args: string[], more?: Record<string, string>) =>
  settle(run(bin, args, { env: env(more) }))

/** The rejects file: its raw bytes and its rows. */
async function rejectsOf(file: string, delimiter = ',') {
  const bytes = await readFile(file)
  const rows = parse(bytes, { columns: true, bom: true, delimiter }) as Array<Record<string, string>>
  return { bytes, rows }
}

const header =
  'source,ref,updatedAt,category,title,location.lat,location.lng,status,receivedAt,media,reporter.name'
const row = (ref: string | number, over: Partial<Record<string, string>> = {}) => {
  const v = { category: 'waste', lat: '10.932', title: '"Rác, tồn đọng"', ...over }
  return `csv,${ref},2026-11-28T08:00:00+07:00,${v.category},${v.title},${v.lat},108.1,received,2026-11-28T08:00:00+07:00,https://a.org/1.jpg https://a.org/2.jpg,Chị Lan`
}

// Each test starts the command (node and its TypeScript loader) one to four times: slow on a busy machine.
const processes = 120_000

describe('citydeck-import (CSV backfill)', () => {
  it(
    'streams rows through validation and the batch write path, lists rejects beside the input, and is safe to re-run',
    async () => {
      const lines = [header, ...Array.from({ length: 12_500 }, (_, i) => row(i))]
      lines.splice(3, 0, row('bad-cat', { category: 'karaoke' }), row('bad-lat', { lat: 'abc' }))
      const file = path.join(dir, 'tickets.csv')
      await writeFile(file, `${lines.join('\n')}\n`)

      const first = await importCli(['tickets', file])
      expect(first.code).toBe(3)
      expect(first.stdout).toContain('12502 rows')
      expect(first.stdout).toContain('12500 created, 0 updated, 0 ignored, 2 rejected, 0 warnings')
      const [count] =
        await db.sql`select count(*)::int as n, count(*) filter (where ward_code = '22930')::int as ward from tickets`
      expect(count).toEqual({ n: 12_500, ward: 12_500 })
      const [one] = await db.sql`select title, media, reporter, due_at from tickets where ref = '7'`
      expect(one).toMatchObject({
        title: 'Rác, tồn đọng',
        media: ['https://a.org/1.jpg', 'https://a.org/2.jpg'],
        reporter: { name: 'Chị Lan' },
      })
      expect((one!.due_at as Date).toISOString()).toBe('2026-11-28T09:00:00.000Z')
      // Segments of 10,000 rows are transactions of their own: the change log has every row once.
      expect((await db.sql`select count(*)::int as n from change_log`)[0]!.n).toBe(12_500)

      const { rows } = await rejectsOf(path.join(dir, 'tickets.rejects.csv'))
      expect(rows.map((r) => [r.ref, r.line, r.outcome, r.field])).toEqual([
        ['bad-cat', '4', 'rejected', 'category'],
        ['bad-lat', '5', 'rejected', 'location.lat'],
      ])
      expect(rows[0]!.reason).toContain('karaoke')
      expect(rows[1]!.reason).toBe('location.lat: "abc" is not a number: send one such as 10.93')

      const again = await importCli(['tickets', file])
      expect(again.stdout).toContain('0 created, 0 updated, 12500 ignored, 2 rejected')
      expect((await db.sql`select count(*)::int as n from change_log`)[0]!.n).toBe(12_500)
    },
    processes,
  )

  it(
    "reads Excel's Vietnamese export (BOM, ;, CRLF, dd/mm/yyyy city times, decimal commas) and lists rejected and warned rows for Excel",
    async () => {
      const excel = [
        'source;ref;updatedAt;category;title;location.lat;location.lng;status;receivedAt;resolvedAt',
        'xl;1;28/11/2026 08:00;waste;"Rác; tồn đọng\r\nở chợ";10,932;108,1;resolved;28/11/2026 08:00;29/11/2026 17:30:15',
        'xl;2;2026-11-28 09:15;water;Ngập nước;10,932;108,1;received;28/11/2026;',
        'xl;3;28/11/2026 08:00;waste;Ngoài thành phố;21,0285;105,8542;received;28/11/2026 08:00;',
        'xl;4;31/02/2026 08:00;waste;Ngày sai;10,932;108,1;received;28/11/2026 08:00;',
        'xl;5;28/11/2026 08:00;waste;Thiếu ô;10,932;108,1;received',
        ';;;;;;;;;',
      ]
      const file = path.join(dir, 'excel.csv')
      await writeFile(file, `\uFEFF${excel.join('\r\n')}\r\n`)

      const result = await importCli(['tickets', file])
      expect(result.stderr).not.toContain('npm')
      expect(result.code).toBe(3)
      expect(result.stdout).toContain('5 rows')
      expect(result.stdout).toContain('3 created, 0 updated, 0 ignored, 2 rejected, 1 warnings')
      const stored = await db.sql`
      select ref, title, lat, lng, ward_code, updated_at, received_at, resolved_at
      from tickets where source = 'xl' order by ref`
      expect(stored.map((t) => [t.ref, t.ward_code, t.lat, t.lng])).toEqual([
        ['1', '22930', 10.932, 108.1],
        ['2', '22930', 10.932, 108.1],
        ['3', null, 21.0285, 105.8542],
      ])
      expect(stored[0]!.title).toBe('Rác; tồn đọng\r\nở chợ')
      // Times without an offset are Phan Thiết's clock (UTC+7).
      expect((stored[0]!.updated_at as Date).toISOString()).toBe('2026-11-28T01:00:00.000Z')
      expect((stored[0]!.resolved_at as Date).toISOString()).toBe('2026-11-29T10:30:15.000Z')
      expect((stored[1]!.updated_at as Date).toISOString()).toBe('2026-11-28T02:15:00.000Z')
      expect((stored[1]!.received_at as Date).toISOString()).toBe('2026-11-27T17:00:00.000Z')

      // Beside the input, as Excel reads it: UTF-8 with a BOM, the input's `;`.
      const { bytes, rows } = await rejectsOf(path.join(dir, 'excel.rejects.csv'), ';')
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      expect(bytes.toString('utf8', 3, 40)).toMatch(/^source;ref;updatedAt;/)
      expect(rows.map((r) => [r.ref, r.line, r.outcome, r.field])).toEqual([
        ['3', '5', 'stored', 'location'],
        ['4', '6', 'rejected', 'updatedAt'],
        ['5', '7', 'rejected', ''],
      ])
      expect(rows[0]!.title).toBe('Ngoài thành phố')
      expect(rows[0]!.reason).toContain('stored without a ward')
      expect(rows[1]!.reason).toBe(
        'updatedAt: "31/02/2026 08:00" is not a date: send a date such as 28/11/2026 08:00 or 2026-11-28T08:00:00+07:00',
      )
      expect(rows[2]!.reason).toContain('has 8 cells and the header 10')
    },
    processes,
  )

  it(
    'exits 0 when every row is stored, warned rows included (and still listed)',
    async () => {
      const file = path.join(dir, 'warned.csv')
      await writeFile(file, `${header}\n${row('clean-1')}\n${row('far-1', { lat: '48.85' })}\n`)
      const result = await importCli(['tickets', file])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('2 created, 0 updated, 0 ignored, 0 rejected, 1 warnings')
      const { rows } = await rejectsOf(path.join(dir, 'warned.rejects.csv'))
      expect(rows.map((r) => [r.ref, r.outcome])).toEqual([['far-1', 'stored']])

      const clean = path.join(dir, 'clean.csv')
      await writeFile(clean, `${header}\n${row('clean-2')}\n${row('clean-1')}\n`)
      // The CSV door counted as the server counts the others, in a file for a textfile collector.
      const metricsFile = path.join(dir, 'import.prom')
      expect((await importCli(['tickets', clean, '--metrics-file', metricsFile])).code).toBe(0)
      const prom = await readFile(metricsFile, 'utf8')
      expect(prom).toContain('# TYPE citydeck_ingest_items_total counter')
      expect(prom).toContain('citydeck_ingest_items_total{feed="tickets",outcome="created"} 1')
      expect(prom).toContain('citydeck_ingest_items_total{feed="tickets",outcome="ignored"} 1')
      await expect(stat(path.join(dir, 'clean.rejects.csv'))).rejects.toThrow()
    },
    processes,
  )

  it(
    'takes --delimiter and --date-format, reads times in CITY_TZ, and asks for a decimal point when cells are separated by commas',
    async () => {
      const file = path.join(dir, 'us.tsv.csv')
      const tsv = [
        'source\tref\tupdatedAt\tcategory\ttitle\tlocation.lat\tlocation.lng\tstatus\treceivedAt',
        'us\t1\t11/28/2026 8:00 AM\twaste\tTab\t10.932\t108.1\treceived\t11/28/2026 08:00',
      ]
      await writeFile(file, `${tsv.join('\n')}\n`)
      const result = await importCli(['tickets', file, '--delimiter', 'tab', '--date-format', 'mm/dd/yyyy'], {
        CITY_TZ: 'Asia/Tokyo',
      })
      expect(result.code).toBe(0)
      const [t] = await db.sql`select updated_at from tickets where source = 'us'`
      expect((t!.updated_at as Date).toISOString()).toBe('2026-11-27T23:00:00.000Z')

      const commas = path.join(dir, 'commas.csv')
      // And a row saved in the Windows code page ("CSV", not "CSV UTF-8"): "Rác" with à as one byte.
      const windows1258 = Buffer.from(`${row('cp-1', { title: 'R\u00e0c' })}\n`, 'latin1')
      await writeFile(
        commas,
        Buffer.concat([Buffer.from(`${header}\n${row('comma-1', { lat: '"10,93"' })}\n`), windows1258]),
      )
      const refused = await importCli(['tickets', commas])
      expect(refused.code).toBe(3)
      const { rows } = await rejectsOf(path.join(dir, 'commas.rejects.csv'))
      expect(rows[0]!.reason).toBe('location.lat: use a decimal point: 10.93')
      expect(rows[1]!.field).toBe('title')
      expect(rows[1]!.reason).toContain('save it as "CSV UTF-8')
    },
    processes,
  )

  it(
    'exits 1, saying why in one line, when the import cannot run',
    async () => {
      const missing = await importCli(['tickets', path.join(dir, 'nowhere.csv')])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toMatch(/^citydeck-import: .*nowhere\.csv/)
      const feed = await importCli(['karaoke', path.join(dir, 'clean.csv')])
      expect(feed.code).toBe(1)
      expect(feed.stderr).toContain('unknown feed')
      const format = await importCli(['tickets', path.join(dir, 'clean.csv'), '--date-format', 'yyyy/dd/mm'])
      expect(format.code).toBe(1)
      expect(format.stderr).toContain('use dd/mm/yyyy or mm/dd/yyyy')
      const down = await importCli(['tickets', path.join(dir, 'clean.csv')], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      })
      expect(down.code).toBe(1)
      expect(down.stdout).toBe('')
    },
    processes,
  )

  it(
    'lists a bad row in a file whose columns are named like Object members, without crashing',
    async () => {
      // Found by the fuzz suite: a `constructor` column made the rejects writer throw, unhandled.
      const file = path.join(dir, 'odd-columns.csv')
      await writeFile(file, `${header},constructor,toString,__proto__.x\n${row('odd-1')},x,y,z\n"unclosed\n`)
      const result = await importCli(['tickets', file])
      expect(result.code).toBe(3)
      expect(result.stdout).toContain('1 created')
      const { rows } = await rejectsOf(path.join(dir, 'odd-columns.rejects.csv'))
      expect(rows).toHaveLength(1)
      expect(rows[0]!.constructor).toBe('')
      expect(rows[0]!.reason).toContain('not valid CSV: a double quote is not closed')
    },
    processes,
  )

  it(
    'still runs as `npm run import`',
    async () => {
      const file = path.join(dir, 'npm.csv')
      await writeFile(file, `${header}\n${row('npm-1')}\n`)
      const result = await settle(
        run('npm', ['run', '--silent', 'import', '--', 'tickets', file], { cwd: repo, env: env() }),
      )
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('1 created')
    },
    processes,
  )
})
