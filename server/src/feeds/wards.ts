import type { WardsGeoJson } from '@citydeck/shared'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { point } from '@turf/helpers'
import { pointToPolygonDistance } from '@turf/point-to-polygon-distance'
import type { Feature, MultiPolygon, Polygon } from 'geojson'

/** A point farther than this from every ward is outside the city: accepted, with no ward. */
export const outsideCityKm = 3

type WardShape = {
  code: string
  feature: Feature<Polygon | MultiPolygon>
  bbox: [number, number, number, number]
}

export type WardMatch = { wardCode: string | null; how: 'inside' | 'nearest' | 'outside' }

/**
 * Finds the ward of a location with the profile's polygons. The coarse polygons leave small
 * gaps between neighbours (see the data's PROVENANCE), so a point in a gap goes to the nearest
 * ward; a point far from all of them is outside the city.
 */
export function createWardLocator(wards: WardsGeoJson) {
  const shapes: WardShape[] = wards.features.map((f) => {
    const feature = { type: 'Feature', properties: {}, geometry: f.geometry } as Feature<
      Polygon | MultiPolygon
    >
    return { code: f.properties.code, feature, bbox: boundingBox(feature.geometry) }
  })

  return function locate(lat: number, lng: number): WardMatch {
    const p = point([lng, lat])
    for (const shape of shapes) {
      const [minX, minY, maxX, maxY] = shape.bbox
      if (lng < minX || lng > maxX || lat < minY || lat > maxY) continue
      if (booleanPointInPolygon(p, shape.feature)) return { wardCode: shape.code, how: 'inside' }
    }
    let best: { code: string; km: number } | null = null
    for (const shape of shapes) {
      const km = pointToPolygonDistance(p, shape.feature, { units: 'kilometers' })
      if (!best || km < best.km) best = { code: shape.code, km }
    }
    if (best && best.km <= outsideCityKm) return { wardCode: best.code, how: 'nearest' }
    return { wardCode: null, how: 'outside' }
  }
}
export type WardLocator = ReturnType<typeof createWardLocator>

function boundingBox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const ring of rings) {
    for (const [x, y] of ring) {
      minX = Math.min(minX, x!)
      maxX = Math.max(maxX, x!)
      minY = Math.min(minY, y!)
      maxY = Math.max(maxY, y!)
    }
  }
  return [minX, minY, maxX, maxY]
}
