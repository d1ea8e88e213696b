import { credentialOf, revokedAmong } from '../access/principal'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import type { LiveNamespace, LiveSocket } from './types'

const log = logger.child({ module: 'live.credentials' })

/**
 * What access promises for live sockets (docs/design.md §5): at most `maxPerCredential` sockets per
 * token or person in this process, and a revoked token, ended session or disabled user loses its
 * sockets within `sweepMs` (every process sweeps its own, whichever process or command revoked).
 */
export class LiveCredentials {
  private readonly counts = new Map<string, number>()
  private readonly timer: NodeJS.Timeout
  private sweeping = false

  constructor(
    private readonly nsp: LiveNamespace,
    private readonly deps: Pick<AppDeps, 'sql' | 'metrics'>,
    private readonly options: { maxPerCredential: number; sweepMs: number },
  ) {
    this.timer = setInterval(() => void this.sweep(), options.sweepMs)
    this.timer.unref()
  }

  /** Takes a place for a new socket of this credential, or says why not. */
  admit(socket: LiveSocket): string | null {
    const key = credentialOf(socket.data.principal)
    const count = this.counts.get(key) ?? 0
    if (count >= this.options.maxPerCredential) {
      return `too many live connections for this credential (${count}; LIVE_MAX_SOCKETS_PER_CREDENTIAL=${this.options.maxPerCredential})`
    }
    this.counts.set(key, count + 1)
    socket.once('disconnect', () => {
      const left = (this.counts.get(key) ?? 1) - 1
      if (left > 0) this.counts.set(key, left)
      else this.counts.delete(key)
    })
    return null
  }

  /** Disconnects the sockets whose credentials were revoked: one or two queries for all of them. */
  async sweep(): Promise<number> {
    if (this.sweeping || this.nsp.sockets.size === 0) return 0
    this.sweeping = true
    try {
      const tokenIds = new Set<number>()
      const sessionHashes = new Set<string>()
      for (const socket of this.nsp.sockets.values()) {
        const p = socket.data.principal
        if (!p) continue
        if (p.sessionHash) sessionHashes.add(p.sessionHash)
        else if (p.tokenId !== null) tokenIds.add(p.tokenId)
      }
      const revoked = await revokedAmong(this.deps.sql, {
        tokenIds: [...tokenIds],
        sessionHashes: [...sessionHashes],
      })
      let dropped = 0
      for (const socket of this.nsp.sockets.values()) {
        const p = socket.data.principal
        if (!p) continue
        const gone = p.sessionHash
          ? revoked.sessionHashes.has(p.sessionHash)
          : revoked.tokenIds.has(p.tokenId ?? -1)
        if (!gone) continue
        socket.disconnect(true)
        dropped++
      }
      if (dropped) {
        log.info({ dropped }, 'live sockets of revoked credentials closed')
        this.deps.metrics.liveDroppedClients.inc({ reason: 'revoked' }, dropped)
      }
      return dropped
    } catch (error) {
      log.warn({ err: error }, 'checking live credentials failed; the next sweep retries')
      return 0
    } finally {
      this.sweeping = false
    }
  }

  close(): void {
    clearInterval(this.timer)
  }
}
