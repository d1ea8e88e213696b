import type { WardsGeoJson } from '@citydeck/shared'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { point } from '@turf/helpers'
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
    const feature: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: f.geometry }
    return { code: f.properties.code, feature, bbox: boundingBox(feature.geometry) }
  })

  const city = shapes.reduce(
    ([a, b, c, d], { bbox: [minX, minY, maxX, maxY] }) =>
      [Math.min(a, minX), Math.min(b, minY), Math.max(c, maxX), Math.max(d, maxY)] as const,
    [Infinity, Infinity, -Infinity, -Infinity] as const,
  )

  return function locate(lat: number, lng: number): WardMatch {
    const p = point([lng, lat])
    for (const shape of shapes) {
      const [minX, minY, maxX, maxY] = shape.bbox
      if (lng < minX || lng > maxX || lat < minY || lat > maxY) continue
      if (booleanPointInPolygon(p, shape.feature)) return { wardCode: shape.code, how: 'inside' }
    }
    // Exact distances are costly; a bounding box's distance is a lower bound of its ward's, so
    // far boxes are skipped, nearest first, and a point far from the whole city costs nothing.
    if (boxKm(city, lat, lng) > outsideCityKm) return { wardCode: null, how: 'outside' }
    const candidates = shapes
      .map((shape) => ({ shape, lowerKm: boxKm(shape.bbox, lat, lng) }))
      .filter((c) => c.lowerKm <= outsideCityKm)
      .sort((a, b) => a.lowerKm - b.lowerKm)
    let best: { code: string; km: number } | null = null
    for (const { shape, lowerKm } of candidates) {
      if (best && lowerKm >= best.km) break
      const km = polygonKm(shape.feature.geometry, lat, lng)
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

/**
 * Distance in km from a point to a bounding box, slightly underestimated (equirectangular, with
 * a 1% margin) so it stays a lower bound of the geodesic distance to anything inside the box.
 */
function boxKm(bbox: readonly [number, number, number, number], lat: number, lng: number): number {
  const [minX, minY, maxX, maxY] = bbox
  const dLat = lat < minY ? minY - lat : lat > maxY ? lat - maxY : 0
  const dLng = lng < minX ? minX - lng : lng > maxX ? lng - maxX : 0
  const cosLat = Math.cos((Math.max(Math.abs(minY), Math.abs(maxY), Math.abs(lat)) * Math.PI) / 180)
  return 0.99 * 111.195 * Math.hypot(dLat, dLng * cosLat)
}

const kmPerDegree = 111.195

/**
 * Distance in km from a point outside a polygon to its edges, on a local equirectangular
 * projection around the point: within a few km (all that matters here) it is off by far less
 * than 1%, and it is a hundred times cheaper than geodesic distances to every edge.
 */
function polygonKm(geometry: Polygon | MultiPolygon, lat: number, lng: number): number {
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
  const kx = kmPerDegree * Math.cos((lat * Math.PI) / 180)
  let best = Infinity
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const ax = (ring[i - 1]![0]! - lng) * kx
      const ay = (ring[i - 1]![1]! - lat) * kmPerDegree
      const bx = (ring[i]![0]! - lng) * kx
      const by = (ring[i]![1]! - lat) * kmPerDegree
      const dx = bx - ax
      const dy = by - ay
      const length2 = dx * dx + dy * dy
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2))
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy))
    }
  }
  return best
}
