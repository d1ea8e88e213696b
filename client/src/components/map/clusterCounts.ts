import * as maplibregl from 'maplibre-gl'

/**
 * Each ticket cluster's count as an HTML label on the cluster (offline there are no glyph tiles,
 * as for the ward names). Placed again after every redraw of the clustered source: one marker
 * per cluster on screen, reused while it stays, removed when it goes (bounded by the clusters).
 */
export function clusterCounts(map: maplibregl.Map, source: string, format: (n: number) => string) {
  const markers = new Map<number, maplibregl.Marker>()
  const place = () => {
    const seen = new Set<number>()
    for (const feature of map.querySourceFeatures(source, { filter: ['has', 'point_count'] })) {
      const id = Number(feature.properties.cluster_id)
      if (seen.has(id) || feature.geometry.type !== 'Point') continue
      seen.add(id)
      const count = format(Number(feature.properties.point_count))
      const lngLat = feature.geometry.coordinates as [number, number]
      const existing = markers.get(id)
      if (existing) {
        existing.setLngLat(lngLat)
        existing.getElement().textContent = count
        continue
      }
      const element = document.createElement('div')
      element.className = 'cluster-count'
      element.textContent = count
      markers.set(id, new maplibregl.Marker({ element }).setLngLat(lngLat).addTo(map))
    }
    for (const [id, marker] of markers) {
      if (seen.has(id)) continue
      marker.remove()
      markers.delete(id)
    }
  }
  return {
    place,
    remove() {
      for (const marker of markers.values()) marker.remove()
      markers.clear()
    },
  }
}
