import { afterAll, describe, expect, it } from 'vitest'
import { loadCity } from '../../src/city/profile'
import { DomainEvents } from '../../src/events'
import { ingestItems } from '../../src/feeds/ingest'
import { freePort } from '../../src/free-port'
import { createTestDatabase, type TestDatabase } from '../support/test-database'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'
import {
  assertInOrderOnce,
  connected,
  connectLive,
  ingest,
  type Recorder,
  resumeOnConnect,
  ticket,
  until,
} from './support'

let db: TestDatabase | undefined
let server: TestServer | undefined
const clients: Recorder[] = []
afterAll(async () => {
  for (const r of clients) r.close()
  await server?.stop()
  await db?.drop()
})

const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ticket(`${prefix}-${i}`))

describe('server restart mid-stream', () => {
  it('clients reconnect and resume from their last seq without loss or repeats', async () => {
    db = await createTestDatabase()
    const port = String(await freePort())
    const env = { PORT: port, INGEST_RATE_LIMIT: '100000' }
    server = await startTestServer(env, { db })
    for (let i = 0; i < 3; i++) {
      const r = connectLive(server.url, { token: testTokens.display, reconnection: true })
      resumeOnConnect(r, i === 2 ? { ward: '22915' } : {})
      clients.push(r)
    }
    await Promise.all(clients.map(connected))
    await until(() => clients.every((c) => c.snapshots.length === 1), 'first snapshots')

    await ingest(server.url, batch('up', 200))
    await server.stop()
    server = undefined
    // While it is down, another process keeps ingesting into the same database.
    const city = loadCity({ CITY_PROFILE: 'phan-thiet', CITY_TZ: undefined })
    await ingestItems({ sql: db.sql, city, events: new DomainEvents() }, 'tickets', batch('down', 300))

    server = await startTestServer(env, { db })
    const progress = () =>
      clients.map(
        (c) => `${c.changes.length} changes, connected ${c.socket.connected}, refusals [${c.refusals}]`,
      )
    await until(
      () => clients.every((c) => c.changes.length >= 500),
      'the changes made while down',
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${progress().join('; ')}`)
    })
    await ingest(server.url, batch('again', 100))
    await until(() => clients.every((c) => c.changes.length >= 600), 'the changes after restart')

    for (const c of clients) {
      assertInOrderOnce(c.changes)
      expect(c.changes).toHaveLength(600)
      expect(c.snapshots).toHaveLength(1)
    }
    // Two server starts and socket.io's reconnection backoff: more than the default 30 s on a busy CI machine.
  }, 120_000)
})
