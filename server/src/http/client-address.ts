import { BlockList, isIP } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import type { Config } from '../config'

/**
 * Who is on the other end (docs/security.md): the TCP peer, or, when the peer is one of
 * `TRUSTED_PROXIES`, the client its `X-Forwarded-For` names. Used for login throttling, failed
 * bearer attempts, the audit log and HSTS, so every door agrees on the address.
 */
export type Forwarding = { peer: string | undefined; forwardedFor?: string; forwardedProto?: string }

const lists = new WeakMap<readonly string[], BlockList>()

function trustedList(entries: readonly string[]): BlockList {
  let list = lists.get(entries)
  if (!list) {
    list = new BlockList()
    for (const entry of entries) {
      const [address, prefix] = entry.split('/') as [string, string | undefined]
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
      if (prefix === undefined) list.addAddress(address, type)
      else list.addSubnet(address, Number(prefix), type)
    }
    lists.set(entries, list)
  }
  return list
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) → `10.0.0.1`. */
function plain(address: string): string {
  const trimmed = address.trim()
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(trimmed) ? trimmed.slice(7) : trimmed
}

export function isTrusted(trusted: readonly string[], address: string | undefined): boolean {
  if (!address || !trusted.length) return false
  const ip = plain(address)
  const family = isIP(ip)
  return family !== 0 && trustedList(trusted).check(ip, family === 6 ? 'ipv6' : 'ipv4')
}

/**
 * The client's address. X-Forwarded-For is read from the right (each proxy appends the peer it
 * saw), skipping trusted proxies: the first untrusted hop is the client, so a value the client
 * wrote itself at the left end is never believed.
 */
export function clientAddress(trusted: readonly string[], f: Forwarding): string {
  const peer = f.peer ? plain(f.peer) : 'unknown'
  if (!isTrusted(trusted, peer) || !f.forwardedFor) return peer
  const hops = f.forwardedFor
    .split(',')
    .map(plain)
    .filter((hop) => isIP(hop) !== 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trusted, hops[i])) return hops[i]!
  }
  return hops[0] ?? peer
}

/** Whether the client reached us over HTTPS: directly, or as a trusted proxy says. */
export function cameOverHttps(trusted: readonly string[], f: Forwarding, direct: boolean): boolean {
  if (direct) return true
  const proto = f.forwardedProto?.split(',')[0]?.trim().toLowerCase()
  return proto === 'https' && isTrusted(trusted, f.peer)
}

/** The forwarding facts of a Hono request on the Node server. */
export function forwardingOf(c: Context): Forwarding {
  let peer: string | undefined
  try {
    peer = getConnInfo(c).remote.address
  } catch {
    peer = undefined // not on a Node socket (app.request from inside the app)
  }
  return {
    peer,
    forwardedFor: c.req.header('x-forwarded-for'),
    forwardedProto: c.req.header('x-forwarded-proto'),
  }
}

export function requestAddress(c: Context, config: Pick<Config, 'TRUSTED_PROXIES'>): string {
  return clientAddress(config.TRUSTED_PROXIES, forwardingOf(c))
}

export function requestIsHttps(c: Context, config: Pick<Config, 'TRUSTED_PROXIES'>): boolean {
  return cameOverHttps(config.TRUSTED_PROXIES, forwardingOf(c), c.req.url.startsWith('https:'))
}
