import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/test-database'

const run = promisify(execFile)
const cli = path.resolve(__dirname, '../src/feeds/import-cli.ts')
const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx')
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

const importCli = (feed: string, file: string) =>
  run(tsx, [cli, feed, file], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  )

const header =
  'source,ref,updatedAt,category,title,location.lat,location.lng,status,receivedAt,media,reporter.name'
const row = (ref: string | number, over: Partial<Record<string, string>> = {}) => {
  const v = { category: 'waste', lat: '10.932', title: '"Rác, tồn đọng"', ...over }
  return `csv,${ref},2026-11-28T08:00:00+07:00,${v.category},${v.title},${v.lat},108.1,received,2026-11-28T08:00:00+07:00,https://a.org/1.jpg https://a.org/2.jpg,Chị Lan`
}

describe('npm run import (CSV backfill)', () => {
  it('streams rows through validation and upsert, writes rejects beside the input, and is safe to re-run', async () => {
    const lines = [header, ...Array.from({ length: 4_500 }, (_, i) => row(i))]
    lines.splice(3, 0, row('bad-cat', { category: 'karaoke' }), row('bad-lat', { lat: 'abc' }))
    const file = path.join(dir, 'tickets.csv')
    await writeFile(file, `${lines.join('\n')}\n`)

    const first = await importCli('tickets', file)
    expect(first.code).toBe(2)
    expect(first.stdout).toContain('4502 rows')
    expect(first.stdout).toContain('4500 created, 0 updated, 0 ignored, 2 rejected')
    const [count] =
      await db.sql`select count(*)::int as n, count(*) filter (where ward_code = '22930')::int as ward from tickets`
    expect(count).toEqual({ n: 4500, ward: 4500 })
    const [one] = await db.sql`select title, media, reporter, due_at from tickets where ref = '7'`
    expect(one).toMatchObject({
      title: 'Rác, tồn đọng',
      media: ['https://a.org/1.jpg', 'https://a.org/2.jpg'],
      reporter: { name: 'Chị Lan' },
    })
    expect((one!.due_at as Date).toISOString()).toBe('2026-11-28T09:00:00.000Z')

    const rejects = parse(await readFile(path.join(dir, 'tickets.rejects.csv')), { columns: true }) as Array<
      Record<string, string>
    >
    expect(rejects.map((r) => [r.ref, r.line, r.field])).toEqual([
      ['bad-cat', '4', 'category'],
      ['bad-lat', '5', 'location.lat'],
    ])
    expect(rejects[0]!.reason).toContain('karaoke')

    const again = await importCli('tickets', file)
    expect(again.stdout).toContain('0 created, 0 updated, 4500 ignored, 2 rejected')
    expect((await db.sql`select count(*)::int as n from change_log`)[0]!.n).toBe(4500)
  })

  it('leaves no rejects file for a clean file and explains bad arguments', async () => {
    const file = path.join(dir, 'clean.csv')
    await writeFile(file, `${header}\n${row('clean-1')}\n`)
    const result = await importCli('tickets', file)
    expect(result.code).toBe(0)
    await expect(stat(path.join(dir, 'clean.rejects.csv'))).rejects.toThrow()
    expect((await importCli('karaoke', file)).stderr).toContain('unknown feed')
  })

  it('lists a bad row in a file whose columns are named like Object members, without crashing', async () => {
    // Found by the fuzz suite: a `constructor` column made the rejects writer throw, unhandled.
    const file = path.join(dir, 'odd-columns.csv')
    await writeFile(file, `${header},constructor,toString\n${row('odd-1')},x,y\n"unclosed\n`)
    const result = await importCli('tickets', file)
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('1 created')
    const rejects: Array<Record<string, string>> = parse(
      await readFile(path.join(dir, 'odd-columns.rejects.csv')),
      {
        columns: true,
      },
    )
    expect(rejects).toHaveLength(1)
    expect(rejects[0]!.constructor).toBe('')
    expect(rejects[0]!.reason).toContain('not valid CSV')
  })
})
