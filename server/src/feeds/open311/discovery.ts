import type { Context } from 'hono'
import type { AppDeps } from '../../context'
import { requestIsHttps } from '../../http/client-address'

/**
 * When this Open311 surface last changed (GeoReport v2 Service Discovery `changeset`): clients
 * re-read the endpoint's services when it moves. Bump it with any change to what is served.
 */
export const open311Changeset = '2026-12-03T00:00:00Z'

/**
 * GeoReport v2 Service Discovery (docs/design.md §2): who to ask, how to get a key, and the one
 * production endpoint, addressed as the client reached this server (scheme as a trusted proxy says).
 */
export function discovery(c: Context, deps: Pick<AppDeps, 'city' | 'config'>) {
  const { profile } = deps.city
  const host = c.req.header('host') ?? new URL(c.req.url).host
  const scheme = requestIsHttps(c, deps.config) ? 'https' : 'http'
  return {
    changeset: open311Changeset,
    contact: `${profile.name} / ${profile.nameEn}: ask the city's citydeck administrator`,
    key_service:
      "Writes need an api_key: a feed token (role feed:<source>) issued by the city's citydeck administrator (POST /api/v1/tokens)",
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${scheme}://${host}/open311/v2`,
        changeset: open311Changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  }
}

/** Element names of discovery's lists in XML: `<endpoints><endpoint>`, `<formats><format>`. */
export const discoveryXml = { root: 'discovery', names: { endpoints: 'endpoint', formats: 'format' } }
