import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCity } from '../../src/city/profile'
import { repoRoot } from '../../src/config'
import { todayKpis } from '../../src/kpi/live-kpis'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { testFeedSource, testTokens } from '../support/test-server'
import { assertInOrderOnce, connected, connectLive, ingest, type Recorder, ticket, until } from './support'

// Two real server processes on one database, as behind nginx (infra/nginx/). The adapter is
// Redis when the run has REDIS_URL, PostgreSQL otherwise; changes reach each process's
// clients from its own change-log tail, alerts cross processes through the adapter.
let db: TestDatabase | undefined
const children: ChildProcess[] = []
/** What the server processes printed, shown when the test fails. */
const outputs: string[] = []
const clients: Recorder[] = []
afterAll(async () => {
  for (const r of clients) r.close()
  await Promise.all(children.map(stopChild))
  await db?.drop()
})

function startProcess(databaseUrl: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      DEMO: '0',
      LOG_LEVEL: 'warn',
      INGEST_RATE_LIMIT: '100000',
      API_TOKENS: `display=${testTokens.display},leader=${testTokens.leader},feed:${testFeedSource}=${testTokens.feed}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  const slot = outputs.push('') - 1
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      outputs[slot] = output.slice(-4000)
      const url = output.match(/citydeck:\s+(http:\/\/\S+)/)?.[1]
      if (url) resolve(url)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      outputs[slot] = output.slice(-4000)
    })
    child.once('exit', (code) => reject(new Error(`server process exited (${code}): ${output}`)))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

describe(`two server processes (${process.env.REDIS_URL ? 'Redis' : 'PostgreSQL'} adapter)`, () => {
  it('clients of both get every change exactly once, one alert per breach, and KPI frames', async (context) => {
    context.onTestFailed(() => {
      const counts = clients.map((c) => `${c.changes.length} changes, ${c.alerts.length} alerts`)
      console.error(`clients: ${counts.join('; ')}\nserver output:\n${outputs.join('\n---\n')}`)
    })
    db = await createTestDatabase()
    const [a, b] = await Promise.all([startProcess(db.url), startProcess(db.url)])
    for (const url of [a, a, b, b]) {
      const r = connectLive(url, { token: testTokens.display })
      clients.push(r)
      await connected(r)
      await r.subscribe({ scope: {} })
    }
    const soon = new Date(Date.now() + 1500).toISOString()
    for (let i = 0; i < 5; i++) {
      await ingest(
        a,
        Array.from({ length: 40 }, (_, j) =>
          ticket(`mp-${i}-${j}`, i === 0 && j === 0 ? { dueAt: soon } : {}),
        ),
      )
    }
    await until(() => clients.every((c) => c.changes.length >= 200), 'every change at every client')
    await until(() => clients.every((c) => c.alerts.length >= 1), 'the alert at every client')
    // A later change marks the point by which any duplicate would have arrived.
    await ingest(b, [ticket('mp-last')])
    await until(() => clients.every((c) => c.changes.length >= 201), 'the last change')
    for (const c of clients) {
      assertInOrderOnce(c.changes)
      expect(c.changes).toHaveLength(201)
      expect(c.alerts).toHaveLength(1)
      expect(c.alerts[0]).toMatchObject({ kind: 'ticket_overdue', id: `${testFeedSource}:mp-0-0` })
    }
    const [row] = await db.sql`select count(*)::int as n from alerts`
    expect(row!.n).toBe(1)
    // Each process computes today's KPIs for its own watchers, whichever process ingested.
    const lastSeq = clients[0]!.lastSeq()
    await until(
      () => clients.every((c) => c.kpis.some((k) => k.seq >= lastSeq)),
      'a KPI frame that includes the last change, at every client',
    )
    const expected = await todayKpis(
      { sql: db.sql, city: loadCity({ CITY_PROFILE: 'phan-thiet' }), clock: () => new Date() },
      {},
    )
    for (const c of clients) expect(c.kpis.at(-1)!.kpis).toEqual(expected)

    // Alerts are owned work across processes (docs/design.md §9): the alert A's tail raised is
    // acknowledged through B, and every client of both sees that one state, once.
    const ack = await fetch(`${b}/api/v1/alerts/ticket_overdue/${testFeedSource}/mp-0-0/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testTokens.leader}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(ack.status).toBe(200)
    const acknowledged = (await ack.json()).acknowledged
    await until(
      () => clients.every((c) => c.alerts.some((a) => a.acknowledged)),
      'the acknowledged alert at every client',
    )
    for (const c of clients) {
      const states = c.alerts.filter((a) => a.id === `${testFeedSource}:mp-0-0`)
      expect(states.map((a) => Boolean(a.acknowledged))).toEqual([false, true])
      expect(states[1]!.acknowledged).toEqual(acknowledged)
    }
    const [acked] = await db.sql`select count(*)::int as n from alerts where acknowledged_at is not null`
    expect(acked!.n).toBe(1)
  }, 90_000)
})
