import type { Sql } from '../db/connection'
import {
  insertLoginFailure,
  type LoginHistory,
  loginHistory,
  rememberLoginSuccess,
} from './login-throttle.sql'

/**
 * Login throttling (docs/design.md §5: no one can lock someone else out). Failures are counted per
 * (name, address): after `freePerPair` of them each new try from that pair waits 1 s, 2 s, 4 s …
 * up to `maxWaitSeconds`, so a guesser is slowed while the owner, at any other address, is not.
 * An address that fails for many names (`perAddress`) is slowed the same way, except for names
 * that have logged in from it before, so a sprayer sharing an office's address cannot lock the
 * office out. Kept in PostgreSQL so several server processes share it.
 */
export const loginLimits = {
  freePerPair: 5,
  perAddress: 20,
  maxWaitSeconds: 900,
  /** Failures older than this are forgotten (and deleted). */
  windowSeconds: 3600,
} as const

/** Seconds to wait after `failures` failures, since the last one (0: may try now). */
export function backoffSeconds(failures: number, free: number): number {
  if (failures < free) return 0
  return Math.min(loginLimits.maxWaitSeconds, 2 ** (failures - free))
}

function remaining(history: { count: number; last: Date | null }, free: number, now: Date): number {
  if (!history.last) return 0
  const until = history.last.getTime() + backoffSeconds(history.count, free) * 1000
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000))
}

/** How long this (name, address) must wait before its password is checked; 0 when it may try. */
export function waitFor(h: LoginHistory, now: Date): number {
  const pair = remaining({ count: h.pairCount, last: h.pairLast }, loginLimits.freePerPair, now)
  const address = h.known
    ? 0
    : remaining({ count: h.addressCount, last: h.addressLast }, loginLimits.perAddress, now)
  return Math.max(pair, address)
}

export async function loginWaitSeconds(sql: Sql, name: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - loginLimits.windowSeconds * 1000)
  return waitFor(await loginHistory(sql, name, ip, since), now)
}

export function recordLoginFailure(sql: Sql, name: string, ip: string, now: Date): Promise<void> {
  return insertLoginFailure(sql, name, ip, now, new Date(now.getTime() - loginLimits.windowSeconds * 1000))
}

export function recordLoginSuccess(sql: Sql, name: string, ip: string, now: Date): Promise<void> {
  return rememberLoginSuccess(sql, name, ip, now)
}
