import type { CityResponse } from '@citydeck/shared'
import { Hono } from 'hono'
import type { AppDeps } from '../context'

/** `GET /api/v1/city`: the profile and ward polygons, so screens draw the city offline. */
export function cityRoutes(deps: AppDeps) {
  const body: CityResponse = {
    profile: deps.city.profile,
    wards: deps.city.wards,
    mapStyleUrl: deps.config.MAP_STYLE_URL ?? null,
  }
  return new Hono().get('/', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(body)
  })
}
