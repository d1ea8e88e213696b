import { describe, expect, it } from 'vitest'
import { shutdownUnderLoad } from './cases/shutdown'

describe('SIGTERM under a busy keep-alive client and live sockets (docs/design.md §11)', () => {
  it('exits within the grace and 5 s more, cleanly, with no acknowledged item lost', async () => {
    const f = await shutdownUnderLoad({ graceSeconds: 2, liveClients: 5 })
    expect(f.answeredBefore).toBeGreaterThan(0)
    expect(f.exitCode).toBe(0)
    expect(f.exitSeconds).toBeLessThan(f.graceSeconds + 5)
    expect(f.lost).toBe(0)
  }, 60_000)
})
