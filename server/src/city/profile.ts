import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { type CityProfile, cityProfileSchema, type WardsGeoJson, wardGeometrySchema } from '@citydeck/shared'
import { z } from 'zod'
import { type Config, ConfigError, repoRoot } from '../config'

export type City = { profile: CityProfile; wards: WardsGeoJson }

/**
 * Loads the city profile (docs/design.md §6): `CITY_PROFILE` names a folder under `server/profiles/`
 * or is a path to one, holding `profile.json` and `wards.geojson`. Another city is a new
 * folder, not new code. `CITY_TZ` overrides the profile's time zone.
 */
export function loadCity(config: Pick<Config, 'CITY_PROFILE' | 'CITY_TZ'>): City {
  const dir = existsSync(config.CITY_PROFILE)
    ? path.resolve(config.CITY_PROFILE)
    : path.join(repoRoot, 'server', 'profiles', config.CITY_PROFILE)
  const read = (file: string) => {
    try {
      return JSON.parse(readFileSync(path.join(dir, file), 'utf8'))
    } catch (error) {
      throw new ConfigError(
        `CITY_PROFILE ${config.CITY_PROFILE}: cannot read ${file} in ${dir} (${(error as Error).message})`,
      )
    }
  }
  const parsed = cityProfileSchema.safeParse(read('profile.json'))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(
      `CITY_PROFILE ${config.CITY_PROFILE}: profile.json ${issue.path.join('.')}: ${issue.message}`,
    )
  }
  const profile = parsed.data
  if (config.CITY_TZ) profile.timeZone = config.CITY_TZ
  checkTimeZone(profile.timeZone)
  const source = sourceWardsSchema.safeParse(read('wards.geojson'))
  if (!source.success) throw wardsError(config, source.error)
  const names = new Map(profile.wards.map((w) => [w.code, w.name]))
  const wards: WardsGeoJson = { type: 'FeatureCollection', features: [] }
  for (const f of source.data.features) {
    const code = String(f.properties.gso_code ?? f.properties.code)
    const name = names.get(code)
    if (name === undefined) continue
    // Only the profile's wards must be polygons: the file may hold other features too.
    const geometry = wardGeometrySchema.safeParse(f.geometry)
    if (!geometry.success) throw wardsError(config, geometry.error, `ward ${code}`)
    wards.features.push({ type: 'Feature', properties: { code, name }, geometry: geometry.data })
  }
  return { profile, wards }
}

/** wards.geojson as published: features with their source's own properties (`gso_code`). */
const sourceWardsSchema = z.object({
  features: z.array(z.object({ properties: z.record(z.string(), z.unknown()), geometry: z.unknown() })),
})

function wardsError(config: Pick<Config, 'CITY_PROFILE'>, error: z.ZodError, what = 'wards.geojson') {
  const issue = error.issues[0]!
  return new ConfigError(
    `CITY_PROFILE ${config.CITY_PROFILE}: ${what} ${issue.path.join('.')}: ${issue.message}`,
  )
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new ConfigError(`CITY_TZ ${timeZone} is not a time zone name (e.g. Asia/Ho_Chi_Minh)`)
  }
}

/**
 * The message for a `ward` filter that names no ward of the profile, or null when it names one
 * (or none is given): KPIs and every list refuse an unknown ward alike, with a 400 naming `ward`.
 */
export function unknownWard(profile: CityProfile, ward: string | undefined): string | null {
  if (ward === undefined || ward === '' || profile.wards.some((w) => w.code === ward)) return null
  return `unknown ward ${ward}: use a ward code of the city profile`
}
