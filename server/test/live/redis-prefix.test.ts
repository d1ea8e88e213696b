import { createClient } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/test-server'

// The Redis adapter is what a multi-process deployment with REDIS_URL runs; CI has a Redis on
// 127.0.0.1:6379 (or REDIS_URL names one). Without one there is nothing to test here.
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const redis = createClient({ url: redisUrl, socket: { connectTimeout: 1000, reconnectStrategy: false } })
redis.on('error', () => {})
const reachable = await redis.connect().then(
  () => true,
  () => false,
)
if (!reachable) console.warn(`skipping the Redis adapter test: no Redis at ${redisUrl}`)

describe.skipIf(!reachable)('the Redis adapter', () => {
  const servers: TestServer[] = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    if (redis.isOpen) await redis.quit()
  })

  it('keeps two deployments that share one Redis apart by REDIS_PREFIX', async () => {
    const tag = `${process.pid}-${Date.now()}`
    const prefixes = [`citydeck-a-${tag}`, `citydeck-b-${tag}`]
    for (const REDIS_PREFIX of prefixes)
      servers.push(await startTestServer({ REDIS_URL: redisUrl, REDIS_PREFIX }))
    const channels = await Promise.all(prefixes.map((p) => redis.pubSubChannels(`${p}*`)))
    // Each deployment listens on its own channels only, and no channel is shared.
    expect(channels[0]!.length).toBeGreaterThan(0)
    expect(channels[1]!.length).toBeGreaterThan(0)
    expect(channels[0]!.every((c) => c.startsWith(prefixes[0]!))).toBe(true)
    expect(channels[1]!.some((c) => channels[0]!.includes(c))).toBe(false)
  })
})
