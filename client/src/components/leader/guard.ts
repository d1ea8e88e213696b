import { unitOf } from '@citydeck/shared/role'
import type { NavigationGuard } from 'vue-router'
import { useSessionStore } from '../../stores/session'

/**
 * Leader pages need a leader or admin, unit pages (`meta.unit`) a `unit:<code>` (task pages
 * take both): a `?token=` is exchanged for a cookie first (and dropped from the address bar), a
 * display token goes to the wall, a unit to its own page, nobody to the login page.
 */
export const leaderGuard: NavigationGuard = async (to) => {
  if (!to.meta.leader && !to.meta.unit) return true
  const session = useSessionStore()
  const token = typeof to.query.token === 'string' ? to.query.token : null
  const who = token ? await session.exchange(token) : await session.check()
  if (who?.role === 'display') return { path: '/wall', query: token ? { token } : {} }
  const isUnit = !!who && unitOf(who.role) !== null
  if (isUnit && !to.meta.unit) return { path: '/unit', query: token ? { token } : {} }
  const isLeader = who?.role === 'leader' || who?.role === 'admin'
  if (isLeader && !to.meta.leader) return { path: '/' }
  if (!who || (!isLeader && !isUnit)) {
    return {
      path: '/login',
      query: { next: to.fullPath.replace(/([?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '') },
    }
  }
  if (token) {
    const { token: _dropped, ...query } = to.query
    return { path: to.path, query, params: to.params, hash: to.hash, replace: true }
  }
  return true
}
