import type { SessionInfo } from '@citydeck/shared'
import { unitOf } from '@citydeck/shared/role'
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'

export type LoginResult = 'ok' | 'wrong' | 'throttled' | { error: string }

/** Who is using this browser: a session cookie from a login or an exchanged token. */
export const useSessionStore = defineStore('session', () => {
  const session = shallowRef<SessionInfo | null>(null)
  let checked: Promise<SessionInfo | null> | null = null

  /** Asks the server once per page load; null when nobody is logged in. */
  function check(): Promise<SessionInfo | null> {
    checked ??= fetch('/api/v1/session', { credentials: 'same-origin' }).then(async (res) => {
      session.value = res.ok ? ((await res.json()) as SessionInfo) : null
      return session.value
    })
    return checked
  }

  /** Exchanges a `?token=` for a cookie, so the address bar no longer needs to carry it. */
  async function exchange(token: string): Promise<SessionInfo | null> {
    const res = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    })
    session.value = res.ok ? ((await res.json()) as SessionInfo) : null
    checked = Promise.resolve(session.value)
    return session.value
  }

  async function login(name: string, password: string): Promise<LoginResult> {
    const res = await fetch('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    })
    if (res.status === 401) return 'wrong'
    if (res.status === 429) return 'throttled'
    if (!res.ok) return { error: `HTTP ${res.status}` }
    session.value = (await res.json()) as SessionInfo
    checked = Promise.resolve(session.value)
    return 'ok'
  }

  async function logout(): Promise<void> {
    await fetch('/api/v1/session', { method: 'DELETE' })
    session.value = null
    checked = Promise.resolve(null)
  }

  const isLeader = () => session.value?.role === 'leader' || session.value?.role === 'admin'
  /** The unit a `unit:<code>` session acts for, else null. */
  const unit = () => (session.value ? unitOf(session.value.role) : null)
  return { session, check, exchange, login, logout, isLeader, unit }
})
