import type { CityResponse } from '@citydeck/shared'
import { postFeed } from '../e2e/support/wallData'

/**
 * A compressed day for the soak: every second a few new tickets, updates that move or close
 * older ones, dossiers and survey answers, through the public feed API. Open tickets stay
 * bounded (each is closed a few seconds after it lands), as in a real city's steady state.
 */
export function startFeeder(
  baseUrl: string,
  token: string,
  source: string,
  city: CityResponse,
  perSecond: number,
) {
  const wards = city.wards.features.map((f) => {
    const rings = (
      f.geometry.type === 'Polygon' ? f.geometry.coordinates : (f.geometry.coordinates as number[][][][])[0]
    ) as number[][][]
    const ring = rings[0]!
    return {
      code: f.properties.code,
      lng: ring.reduce((s, p) => s + p[0]!, 0) / ring.length,
      lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length,
    }
  })
  let n = 0
  let sent = 0
  let failed = 0
  const open: Array<{ ref: string; receivedAt: string; ward: (typeof wards)[number] }> = []
  const tick = async () => {
    const now = new Date()
    const iso = now.toISOString()
    const tickets: unknown[] = []
    const dossiers: unknown[] = []
    const surveys: unknown[] = []
    for (let i = 0; i < perSecond; i++) {
      n++
      const ward = wards[n % wards.length]!
      const ref = `SOAK-${n}`
      const ticket = { ref, receivedAt: iso, ward }
      open.push(ticket)
      tickets.push({
        source,
        ref,
        updatedAt: iso,
        category: 'waste',
        title: `Phản ánh ${n}`,
        location: { lng: ward.lng + ((n % 7) - 3) * 0.0008, lat: ward.lat + ((n % 5) - 2) * 0.0008 },
        wardCode: ward.code,
        status: 'received',
        receivedAt: iso,
      })
      dossiers.push({
        source,
        ref: `SOAK-D${n}`,
        updatedAt: iso,
        procedureCode: 'P001',
        channel: n % 2 ? 'online' : 'direct',
        status: 'received',
        receivedAt: iso,
        dueAt: new Date(now.getTime() + 5 * 86_400_000).toISOString(),
        wardCode: ward.code,
      })
      if (n % 3 === 0) {
        surveys.push({
          source,
          ref: `SOAK-S${n}`,
          updatedAt: iso,
          submittedAt: iso,
          score: 4 + (n % 2),
          wardCode: ward.code,
          comment: 'Xử lý nhanh.',
        })
      }
    }
    // Close the tickets older than ~20 s so the open set stays the size of a real shift.
    while (open.length > perSecond * 20) {
      const old = open.shift()!
      tickets.push({
        source,
        ref: old.ref,
        updatedAt: iso,
        category: 'waste',
        title: 'Đã xử lý',
        location: { lng: old.ward.lng, lat: old.ward.lat },
        wardCode: old.ward.code,
        status: 'resolved',
        receivedAt: old.receivedAt,
        resolvedAt: iso,
      })
    }
    try {
      await postFeed(baseUrl, token, 'tickets', tickets)
      await postFeed(baseUrl, token, 'dossiers', dossiers)
      if (surveys.length) await postFeed(baseUrl, token, 'surveys', surveys)
      sent += tickets.length + dossiers.length + surveys.length
    } catch {
      failed++
    }
  }
  let running = true
  const loop = (async () => {
    while (running) {
      const started = Date.now()
      await tick()
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))))
    }
  })()
  return {
    stats: () => ({ sent, failedPosts: failed }),
    stop: async () => {
      running = false
      await loop
    },
  }
}
