import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveToken } from '../src/access/tokens'
import { ConfigError, loadConfig, repoRoot } from '../src/config'
import { createTestDatabase, type TestDatabase } from './support/test-database'
import { startTestServer, type TestServer } from './support/test-server'

// The demo as `npm start` runs it (DEMO=1), on a copy of the Phan Thiết profile whose history is
// 3 days instead of 365 and whose timer never fires during the test: ticks are driven here, with
// an injected clock, so nothing waits for real time.
const HOUR = 3_600_000
const start = Date.parse('2026-11-20T10:00:00+07:00')
let now = start
const clock = () => new Date(now)
let profileDir: string
let dataDir: string
let db: TestDatabase
let server: TestServer | undefined

beforeAll(async () => {
  profileDir = await mkdtemp(path.join(tmpdir(), 'citydeck-demo-profile-'))
  dataDir = await mkdtemp(path.join(tmpdir(), 'citydeck-demo-data-'))
  await cp(path.join(repoRoot, 'server/profiles/phan-thiet'), profileDir, { recursive: true })
  const demo = JSON.parse(await readFile(path.join(profileDir, 'demo.json'), 'utf8'))
  demo.historyDays = 3
  demo.live.tickSeconds = 3600
  await writeFile(path.join(profileDir, 'demo.json'), JSON.stringify(demo))
  db = await createTestDatabase()
})
afterAll(async () => {
  await server?.stop()
  await db?.drop()
  await rm(profileDir, { recursive: true, force: true })
  await rm(dataDir, { recursive: true, force: true })
})

const env = () => ({ DEMO: '1', CITY_PROFILE: profileDir, DATA_DIR: dataDir })
const count = async (table: string) => {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)}`
  return row!.n
}

// The DEMO=1 cases store every version of three days of a busy city: minutes on a loaded machine.
describe('demo city (DEMO=1)', () => {
  let firstTokens: string
  let firstItems = 0

  it('first start: loads the history through the ingest path, then feeds live ticks over HTTP', async () => {
    server = await startTestServer(env(), { clock, db })
    const history = await server.demo!.history
    expect(history!.rejected).toBe(0)
    firstItems = history!.items
    expect(await count('procedures')).toBe(130)
    const tickets = await count('tickets')
    expect(tickets).toBeGreaterThan(3 * 150)
    // 3 days plus the earlier tickets still changing in them, and the live run's busier city
    // (ticketBoost) from the city day before the run on: 34 hours of it at 10:00.
    expect(tickets).toBeLessThan(6 * 400 + 34 * 260)
    // Recent history is stored version by version: a closed ticket's timeline tells its story.
    const [story] = await db.sql<{ statuses: string[] }[]>`
      select array_agg(c.item->>'status' order by c.seq) as statuses
      from tickets t join change_log c on c.feed = 'tickets' and c.source = t.source and c.ref = t.ref
      where t.status = 'closed' and t.received_at > ${new Date(start - 48 * HOUR)}
      group by t.source, t.ref limit 1`
    expect(story!.statuses).toEqual(['received', 'assigned', 'in_progress', 'resolved', 'closed'])
    expect(await count('dossiers')).toBeGreaterThan(500)
    expect(await count('survey_answers')).toBeGreaterThan(100)
    const [state] = await db.sql`select reached_at from demo_state`
    expect(state!.reached_at.getTime()).toBe(start)

    // The tokens are kept in DATA_DIR (0600) and resolve to their roles.
    const file = path.join(dataDir, 'demo-tokens.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    firstTokens = await readFile(file, 'utf8')
    const tokens = JSON.parse(firstTokens)
    expect((await resolveToken(db.sql, tokens.display))?.role).toBe('display')
    expect((await resolveToken(db.sql, tokens.admin))?.role).toBe('admin')
    expect((await resolveToken(db.sql, tokens.feeds['phanthiet-s']))?.role).toBe('feed:phanthiet-s')

    // Live: 20 simulated minutes later, one tick sends new items and updates through POST /api/v1/feeds.
    const [before] = await db.sql`select count(*)::int as n, max(seq) as seq from change_log`
    now = start + 20 * 60_000
    await server.demo!.tick()
    const [after] = await db.sql`select count(*)::int as n from change_log`
    expect(after!.n).toBeGreaterThan(before!.n + 20)
    const live =
      await db.sql`select ref, status, received_at from tickets where received_at > ${new Date(start)}`
    expect(live.length).toBeGreaterThan(20)
    expect(live.every((t) => t.received_at.getTime() <= now)).toBe(true)
    const [run] = await db.sql`select reached_at from demo_runs`
    expect(run!.reached_at.getTime()).toBe(now)
    await server.stop()
    server = undefined
  }, 180_000)

  it('later start: reuses the tokens and fills only the gap, moving earlier items forward', async () => {
    const reached = now
    const [before] = await db.sql<{ seq: number }[]>`select max(seq) as seq from change_log`
    now = start + 3 * HOUR
    server = await startTestServer(env(), { clock, db })
    const history = await server.demo!.history
    expect(history!.items).toBeGreaterThan(0)
    expect(history!.items).toBeLessThan(firstItems)
    // Only the gap was sent: every stored change is a version from after the last run's tick.
    const [old] = await db.sql`
      select count(*)::int as n from change_log
      where seq > ${before!.seq} and (item->>'updatedAt')::timestamptz <= ${new Date(reached)}`
    expect(old!.n).toBe(0)
    expect(await readFile(path.join(dataDir, 'demo-tokens.json'), 'utf8')).toBe(firstTokens)
    expect(JSON.parse(firstTokens).display).toBe(server.demo!.tokens.display)
    // Every ticket is assigned within 45 minutes: the gap fill moved the first run's tickets on.
    const stuck = await db.sql`
      select ref from tickets where status = 'received' and received_at < ${new Date(now - HOUR)}`
    expect(stuck).toEqual([])
    expect(await count('demo_runs')).toBe(2)
  }, 180_000)
})

describe('demo off (DEMO=0) and DEMO_RATE', () => {
  it('a fresh database holds no feed data without the demo', async () => {
    const plain = await startTestServer()
    try {
      expect(plain.demo).toBeUndefined()
      const [row] = await plain.db.sql`
        select (select count(*) from tickets) + (select count(*) from procedures) + (select count(*) from demo_state) as n`
      expect(Number(row!.n)).toBe(0)
    } finally {
      await plain.stop()
    }
  })

  it('accepts a positive multiplier or storm, and names DEMO_RATE otherwise', () => {
    expect(loadConfig({ DEMO_RATE: 'storm' }).DEMO_RATE).toBe('storm')
    expect(loadConfig({ DEMO_RATE: '2.5' }).DEMO_RATE).toBe('2.5')
    for (const bad of ['0', '-1', 'fast']) {
      expect(() => loadConfig({ DEMO_RATE: bad })).toThrow(ConfigError)
      expect(() => loadConfig({ DEMO_RATE: bad })).toThrow(/DEMO_RATE/)
    }
  })
})
