import type { CityResponse, ClientToServerEvents, ServerToClientEvents, Snapshot } from '@citydeck/shared'
import type { Browser, Page } from 'playwright-core'
import { io, type Socket } from 'socket.io-client'
import { postFeed, seedWallData } from '../e2e/support/wallData'
import { benchSource, benchTokens, startBenchServer } from './server'

/**
 * Sends `size` open tickets through the feed API, spread over the wards (each inside its ward,
 * between the centre and a vertex of the outline), received over the last ~80 days.
 */
export async function seedBacklog(url: string, size: number, now: Date): Promise<void> {
  const city = (await (await fetch(`${url}/api/v1/city`)).json()) as CityResponse
  const codes = city.wards.features.map((f) => f.properties.code)
  const batch = 5000
  for (let from = 0; from < size; from += batch) {
    const items = Array.from({ length: Math.min(batch, size - from) }, (_, k) => {
      const i = from + k
      const ward = city.wards.features[i % codes.length]!
      const rings = (
        ward.geometry.type === 'Polygon'
          ? ward.geometry.coordinates
          : (ward.geometry.coordinates as number[][][][])[0]
      ) as number[][][]
      const ring = rings[0]!
      const p = ring[i % ring.length]!
      const c = ring.reduce((s, q) => [s[0]! + q[0]! / ring.length, s[1]! + q[1]! / ring.length], [0, 0])
      // Between the ward's centre and a vertex of its outline: inside the ward, spread out.
      const f = ((i * 7919) % 100) / 120
      const received = new Date(now.getTime() - (i % 2000) * 3_600_000)
      return {
        source: benchSource,
        ref: `BACKLOG-${i}`,
        updatedAt: received.toISOString(),
        category: 'waste',
        title: `Tồn đọng nhập từ CSV số ${i}`,
        description: 'Phản ánh cũ, nhập từ dữ liệu lịch sử, chưa xử lý xong. '.repeat(4),
        location: { lng: c[0]! + (p[0]! - c[0]!) * f, lat: c[1]! + (p[1]! - c[1]!) * f },
        wardCode: ward.properties.code,
        status: 'received',
        receivedAt: received.toISOString(),
      }
    })
    await postFeed(url, benchTokens.feed, 'tickets', items)
  }
}

/**
 * The wall over a big open backlog (issue #21: a CSV import of open history): `size` open
 * tickets spread over the wards, on a fresh server. Measures the bytes of a wall's snapshot
 * (display, redacted) and the wall's first full draw, cold, a few times. The snapshot must not
 * grow with the backlog (docs/live-protocol.md, "A bounded snapshot").
 */
export async function backlogCase(
  browser: Browser,
  size: number,
  fullyDrawn: (page: Page) => Promise<number>,
  runs = 3,
) {
  const server = await startBenchServer({ INGEST_RATE_LIMIT: '10000000' })
  try {
    const now = new Date()
    await seedWallData(server.url, benchTokens.feed, { now, source: benchSource })
    const started = Date.now()
    await seedBacklog(server.url, size, now)
    const importMs = Date.now() - started

    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${server.url}/live`, {
      auth: { token: benchTokens.display },
      transports: ['websocket'],
      forceNew: true,
    })
    // A wall's socket, kept through the cold loads: how long its snapshot took right after the
    // import, and how many alert frames (and alerts in them) reached a wall meanwhile.
    const alertsSeen = { frames: 0, alerts: 0 }
    socket.onAny((event: string, payload: unknown) => {
      if (!event.startsWith('alert')) return
      alertsSeen.frames++
      alertsSeen.alerts += Array.isArray(payload) ? payload.length : 1
    })
    let subscribedAt = 0
    const snapshot = await new Promise<Snapshot>((resolve, reject) => {
      socket.once('snapshot', resolve)
      socket.once('connect_error', reject)
      socket.once('connect', () => {
        subscribedAt = performance.now()
        socket.emit('subscribe', { scope: {} }, () => {})
      })
    })
    const subscribeToSnapshotMs = Math.round(performance.now() - subscribedAt)

    const draws: number[] = []
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
      const page = await context.newPage()
      await page.goto(`${server.url}/wall?token=${benchTokens.display}&scene=overview`)
      draws.push(await fullyDrawn(page))
      await context.close()
    }
    socket.disconnect()
    return {
      openTickets: snapshot.open.total.open,
      importMs,
      snapshotBytes: Buffer.byteLength(JSON.stringify(snapshot)),
      snapshotTickets: snapshot.openTickets.length,
      subscribeToSnapshotMs,
      alertsDuringLoads: alertsSeen,
      firstFullDrawMs: {
        median: Math.round([...draws].sort((a, b) => a - b)[Math.floor(runs / 2)]!),
        runs: draws.map(Math.round),
      },
    }
  } finally {
    await server.stop()
  }
}
