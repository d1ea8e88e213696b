import type { SessionInfo } from '@citydeck/shared'
import { shallowRef } from 'vue'
import { fetchWithin } from '../app/fetchWithin'
import { withoutToken } from '../wall/params'

export type DisplaySessionState = 'checking' | 'ready' | 'needs-token' | 'unreachable'

/**
 * A screen's session (docs/design.md §5): a `?token=` is exchanged once for the long-lived cookie and
 * removed from the address bar, so the bookmark keeps working through the cookie alone. Without
 * a valid session the screen says so calmly; there is never a login prompt.
 */
export function useDisplaySession() {
  const state = shallowRef<DisplaySessionState>('checking')
  const session = shallowRef<SessionInfo | null>(null)

  async function start(): Promise<void> {
    const token = new URLSearchParams(location.search).get('token')
    try {
      if (token) {
        const exchanged = await fetchWithin('/api/v1/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
          credentials: 'same-origin',
        })
        // A server in trouble has not looked at the token: keep it in the address for the retry
        // (taken out now, a screen booting while the server starts would wait for a person).
        if (exchanged.status >= 500) throw new Error(`HTTP ${exchanged.status}`)
        history.replaceState(history.state, '', withoutToken(location.href))
        // A refused token falls through to the session check: an older cookie may still be valid.
        if (exchanged.ok) {
          session.value = (await exchanged.json()) as SessionInfo
          state.value = 'ready'
          return
        }
      }
      const res = await fetchWithin('/api/v1/session', { credentials: 'same-origin' })
      if (res.status === 401 || res.status === 403) {
        state.value = 'needs-token'
        return
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      session.value = (await res.json()) as SessionInfo
      state.value = 'ready'
    } catch {
      state.value = 'unreachable'
    }
  }

  return { state, session, start }
}
