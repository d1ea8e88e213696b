import { z } from 'zod'

/** A ward or commune (phường / xã) with its GSO code, as named in the profile. */
export const wardInfo = z.object({
  code: z.string(),
  name: z.string(),
  nameAscii: z.string(),
  type: z.enum(['Phường', 'Xã', 'Thị trấn']),
})

/** A unit that can be responsible for tickets or dossiers. */
export const unitInfo = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  /**
   * What a screen shows where the full name does not fit (the wall, 5 m away): "P. TN&MT" for
   * "Phòng Tài nguyên và Môi trường". The full name stays in titles and tooltips.
   */
  shortName: z.string().max(24).optional(),
  shortNameEn: z.string().max(24).optional(),
  kind: z.enum(['ward', 'department', 'police', 'utility']),
  wardCode: z.string().optional(),
})

/** A ticket category with its service-level promise in hours. */
export const categoryInfo = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  slaHours: z.number().positive(),
  /** The family it belongs to, as Open311 lists it (`group`); a category without one is its own. */
  group: z.string().optional(),
})

/**
 * The city profile (docs/design.md §6): configuration, loaded whether or not the demo runs.
 * The ward polygons travel beside it as GeoJSON (see `CityResponse`).
 */
export const cityProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  timeZone: z.string(),
  /** Map view that frames the whole city: [lng, lat] and zoom. */
  center: z.tuple([z.number(), z.number()]),
  zoom: z.number(),
  /**
   * For a coastal city: the compass bearing its coastline faces, out to sea (Phan Thiết: south-east).
   * The map draws the sea off the wards' own coast edges (client map/sea.ts); absent: no sea.
   */
  seaBearing: z.number().min(0).max(360).optional(),
  wards: z.array(wardInfo).min(1),
  units: z.array(unitInfo),
  categories: z.array(categoryInfo).min(1),
  defaultSlaHours: z.number().positive(),
  /** Procedure fields (lĩnh vực TTHC) with their English names, as the catalog spells them. */
  procedureFields: z.array(z.object({ name: z.string(), nameEn: z.string() })).default([]),
  /** A directive's deadline when the leader gives none: hours after it is issued (docs/design.md §9). */
  directiveHours: z.number().positive().default(8),
})
export type CityProfile = z.infer<typeof cityProfileSchema>
export type WardInfo = z.infer<typeof wardInfo>
export type UnitInfo = z.infer<typeof unitInfo>
export type CategoryInfo = z.infer<typeof categoryInfo>

/** A GeoJSON position: longitude, latitude, then any altitude. */
const position = z.tuple([z.number(), z.number()], z.number())
/** A polygon: its outer ring, then its holes, each a closed list of positions. */
const polygon = z.array(z.array(position))

/**
 * A ward's outline, typed as GeoJSON's Polygon and MultiPolygon are (so it is one for MapLibre
 * and turf as it is).
 */
export const wardGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: polygon }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon) }),
])
export type WardGeometry = z.infer<typeof wardGeometrySchema>
export type GeoPosition = z.infer<typeof position>

export { wardPolygons } from './polygons'

/** GeoJSON of the ward polygons; each feature's `properties.code` is the ward's GSO code. */
export const wardsGeoJsonSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string(), name: z.string() }),
      geometry: wardGeometrySchema,
    }),
  ),
})
export type WardsGeoJson = z.infer<typeof wardsGeoJsonSchema>

/** `GET /api/v1/city`: everything a screen needs to draw the city, offline. */
export const cityResponseSchema = z
  .object({ profile: cityProfileSchema, wards: wardsGeoJsonSchema, mapStyleUrl: z.string().nullable() })
  .meta({ id: 'City' })
export type CityResponse = z.infer<typeof cityResponseSchema>
