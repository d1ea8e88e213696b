import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Hono } from 'hono'
import { createApp } from '../../src/app'
import { loadCity } from '../../src/city/profile'
import { loadConfig } from '../../src/config'
import type { Sql } from '../../src/db/connection'
import type { RunningServer } from '../../src/server'

/** The source the fuzz feed key ingests for. */
export const fuzzSource = 'fuzz-source'

/** Seeded secrets of every role (docs/design.md §5), each at least 16 characters. */
export const fuzzSecrets = {
  admin: 'fuzz-admin-secret-0001',
  leader: 'fuzz-leader-secret-001',
  display: 'fuzz-display-secret-01',
  feed: 'fuzz-feed-secret-00001',
  unit: 'fuzz-unit-secret-00001',
  metrics: 'fuzz-metrics-secret-01',
} as const
export type Caller = keyof typeof fuzzSecrets | 'none' | 'unknown'

/**
 * The server's environment for fuzzing: a token per role; forwarded addresses believed from
 * this machine so each request comes from an address of its own (the bearer and login
 * throttles stay out of the way, as they do for an attacker with many addresses); an ingest
 * limit no fuzz run reaches.
 */
export function fuzzServerEnv(): Record<string, string> {
  const unitCode = fuzzUnit()
  return {
    API_TOKENS: [
      `admin=${fuzzSecrets.admin}`,
      `leader=${fuzzSecrets.leader}`,
      `display=${fuzzSecrets.display}`,
      `feed:${fuzzSource}=${fuzzSecrets.feed}`,
      `unit:${unitCode}=${fuzzSecrets.unit}`,
    ].join(','),
    METRICS_TOKEN: fuzzSecrets.metrics,
    TRUSTED_PROXIES: '127.0.0.1,::1',
    INGEST_RATE_LIMIT: '100000000',
    CLIENT_DIST: clientFixture(),
  }
}

/**
 * A stand-in for the built client (an index.html and one asset), so the static routes are
 * fuzzed as they run in production whether or not this checkout has built the client.
 */
function clientFixture(): string {
  // One folder for every run (its content is fixed), so runs leave nothing behind.
  const dir = path.join(tmpdir(), 'citydeck-fuzz-client')
  mkdirSync(path.join(dir, 'assets'), { recursive: true })
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>citydeck</title><div id="app"></div>')
  writeFileSync(path.join(dir, 'assets', 'index-fuzz.js'), 'export {}\n')
  return dir
}

/** What the generators draw valid-looking values from: the city, and items that exist. */
export type Known = {
  wards: string[]
  units: string[]
  categories: string[]
  unit: string
  tickets: string[]
  dossiers: string[]
  tasks: string[]
  snapshots: string[]
  /** Tokens a fuzzed DELETE must never revoke: the fuzzer's own. */
  seededTokenIds: number[]
}

export type FuzzTarget = {
  url: string
  sql: Sql
  routes: string[]
  known: Known
  /** The running server's dependencies, for the CSV import (a command, not a route). */
  deps: RunningServer['deps']
}

/**
 * Every route the app registers, as `METHOD /pattern`: handlers only (`ALL` entries are
 * middleware and catch-alls' 404s, fuzzed through the routes they guard).
 */
export function registeredRoutes(app: Hono): string[] {
  const keys = new Set<string>()
  for (const r of app.routes) if (r.method !== 'ALL') keys.add(`${r.method} ${r.path}`)
  return [...keys].sort()
}

/** The unit code the fuzz `unit:` token acts for: the first unit of the configured city profile. */
export function fuzzUnit(): string {
  return loadCity(loadConfig({})).profile.units[0]?.code ?? 'fuzz-unit'
}

/**
 * Seeds what the fuzzed routes act on (tickets, dossiers, tasks, an overdue alert, a snapshot)
 * and reads what the generators need.
 */
export async function prepareTarget(server: RunningServer, sql: Sql): Promise<FuzzTarget> {
  const { profile } = server.deps.city
  const unit = fuzzUnit()
  const ward = profile.wards[0]!
  const category = profile.categories[0]!.code
  const auth = (secret: string) => ({ authorization: `Bearer ${secret}`, 'content-type': 'application/json' })
  const post = async (path: string, body: unknown, secret: string = fuzzSecrets.admin) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: auth(secret),
      body: JSON.stringify(body),
    })
    const text = await res.text()
    if (res.status >= 300) throw new Error(`fuzz setup: POST ${path} answered ${res.status}: ${text}`)
    return JSON.parse(text) as Record<string, unknown>
  }
  const now = Date.now()
  const at = (ms: number) => new Date(now + ms).toISOString()
  const location = await wardPoint(server)
  const tickets = ['fz-t1', 'fz-t2', 'fz-late-1', 'fz-late-2']
  await post(
    '/api/v1/feeds/tickets',
    tickets.map((ref, i) => ({
      source: fuzzSource,
      ref,
      updatedAt: at(-3600_000),
      category,
      title: 'Đèn đường hỏng, gọi 0912 345 678',
      description: 'Liên hệ an.nguyen@example.vn hoặc +84 912 345 678',
      location,
      status: 'received',
      unit,
      receivedAt: at(-3600_000),
      ...(ref.startsWith('fz-late') ? { dueAt: at(1000 + i * 100) } : {}),
      reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
    })),
    fuzzSecrets.feed,
  )
  const dossiers = ['fz-d1', 'fz-d2']
  await post(
    '/api/v1/feeds/dossiers',
    dossiers.map((ref) => ({
      source: fuzzSource,
      ref,
      updatedAt: at(-3600_000),
      procedureCode: '1.001',
      channel: 'online',
      status: 'received',
      receivedAt: at(-3600_000),
      dueAt: at(86_400_000),
      unit,
      wardCode: ward.code,
    })),
    fuzzSecrets.feed,
  )
  const taskRefs: string[] = []
  for (let i = 0; i < 4; i++) {
    const id = await post('/api/v1/directives', { unit, instruction: `Xử lý việc ${i}` }, fuzzSecrets.leader)
    taskRefs.push(`${id.source}/${id.ref}`)
  }
  const snapshot = await post(
    '/api/v1/snapshots',
    { view: 'city', filters: { preset: 'custom', from: '2026-11-01', to: '2026-11-28' } },
    fuzzSecrets.leader,
  )
  // The overdue tickets raise their alerts when their deadline passes (the live watcher).
  for (let waited = 0; waited < 15_000; waited += 200) {
    const [row] =
      await sql`select count(*)::int as n from alerts where item_id like ${`${fuzzSource}:fz-late-%`}`
    if (row!.n >= 2) break
    await new Promise((r) => setTimeout(r, 200))
  }
  const seeded = await sql<{ id: number }[]>`select id from access_tokens`
  return {
    url: server.url,
    sql,
    deps: server.deps,
    routes: registeredRoutes(createApp(server.deps)),
    known: {
      wards: profile.wards.map((w) => w.code),
      units: profile.units.map((u) => u.code),
      categories: profile.categories.map((c) => c.code),
      unit,
      tickets: tickets.map((r) => `${fuzzSource}/${r}`),
      dossiers: dossiers.map((r) => `${fuzzSource}/${r}`),
      tasks: taskRefs,
      snapshots: [String(snapshot.id)],
      seededTokenIds: seeded.map((r) => r.id),
    },
  }
}

/** A point inside the first ward of the profile (its polygon's first vertex, nudged inwards). */
async function wardPoint(server: RunningServer): Promise<{ lat: number; lng: number }> {
  const res = await fetch(`${server.url}/api/v1/city`)
  const city = (await res.json()) as {
    wards: { features: Array<{ geometry: { type: string; coordinates: number[][][] | number[][][][] } }> }
  }
  const geometry = city.wards.features[0]!.geometry
  const ring =
    geometry.type === 'MultiPolygon'
      ? (geometry.coordinates as number[][][][])[0]![0]!
      : (geometry.coordinates as number[][][])[0]!
  const lng = ring.reduce((s, p) => s + p[0]!, 0) / ring.length
  const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length
  return { lat, lng }
}
