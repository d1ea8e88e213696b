import type { GeoPosition, WardGeometry } from './profile'

/**
 * A ward's polygons, one or several alike: each its outer ring, then its holes. Apart from the
 * schemas (`@citydeck/shared/polygons`): the wall's map imports it, and the barrel would bring
 * zod and every schema into the wall's first draw.
 */
export const wardPolygons = (geometry: WardGeometry): GeoPosition[][][] =>
  geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
