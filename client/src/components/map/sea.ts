import type { GeoPosition, WardsGeoJson } from '@citydeck/shared'
import { wardPolygons } from '@citydeck/shared/polygons'

type Point = GeoPosition
type Ring = Point[]

const outerRings = (wards: WardsGeoJson): Ring[] =>
  wards.features.flatMap((f) => wardPolygons(f.geometry).map((polygon) => polygon[0]!))

/** Whether segment p→q crosses segment a→b (strictly inside p→q, past its start). */
function crosses(p: Point, q: Point, a: Point, b: Point): boolean {
  const d = (q[0] - p[0]) * (b[1] - a[1]) - (q[1] - p[1]) * (b[0] - a[0])
  if (d === 0) return false
  const t = ((a[0] - p[0]) * (b[1] - a[1]) - (a[1] - p[1]) * (b[0] - a[0])) / d
  const u = ((a[0] - p[0]) * (q[1] - p[1]) - (a[1] - p[1]) * (q[0] - p[0])) / d
  return t > 1e-4 && t <= 1 && u >= 0 && u <= 1
}

/**
 * The sea off a coastal city, from its own ward outlines and the bearing its coast faces (the
 * profile's `seaBearing`): a ward vertex is on the coast when a ray from it out to sea meets no
 * ward; every ward edge with a coast vertex is swept out to sea as a strip. The strips
 * overlap and are drawn under the wards, so the sea meets the land at the coastline exactly.
 * Outside the city's own coast (the neighbours' shores) nothing is claimed.
 */
export function seaFromCoast(
  wards: WardsGeoJson,
  seaBearing: number,
  reach = 0.6,
): GeoJSON.FeatureCollection {
  const rad = (seaBearing * Math.PI) / 180
  // Degrees of longitude are shorter than of latitude at the city's latitude.
  const rings = outerRings(wards)
  const lat = rings[0]?.[0]?.[1] ?? 0
  const out: Point = [(Math.sin(rad) * reach) / Math.cos((lat * Math.PI) / 180), Math.cos(rad) * reach]
  const edges = rings.flatMap((ring) => ring.slice(1).map((b, i) => [ring[i]!, b] as const))
  const offshore = (p: Point): Point => [p[0] + out[0], p[1] + out[1]]
  const onCoast = (p: Point) => {
    const far = offshore(p)
    return !edges.some(([a, b]) => crosses(p, far, a, b))
  }
  const strips: Point[][][] = []
  for (const ring of rings) {
    const coastal = ring.map(onCoast)
    for (let i = 0; i + 1 < ring.length; i++) {
      // One coast end is enough: a vertex whose ray grazes a neighbour's sliver leaves no gap.
      if (!coastal[i] && !coastal[i + 1]) continue
      const a = ring[i]!
      const b = ring[i + 1]!
      strips.push([[a, b, offshore(b), offshore(a), a]])
    }
  }
  return {
    type: 'FeatureCollection',
    features: strips.length
      ? [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: strips } }]
      : [],
  }
}
