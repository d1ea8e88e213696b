import type * as maplibregl from 'maplibre-gl'

/** Ticket points as GeoJSON: one feature per open ticket with its SLA state (`sla`). */
export type TicketPoints = {
  type: 'FeatureCollection'
  features: Array<{
    type: 'Feature'
    id?: string | number
    properties: { sla: 'ontime' | 'soon' | 'overdue' }
    geometry: { type: 'Point'; coordinates: [number, number] }
  }>
}

export const slaColours = { ontime: '#56b4e9', soon: '#e69f00', overdue: '#d55e00' } as const
const count = (state: string) => ['+', ['case', ['==', ['get', 'sla'], state], 1, 0]]

/**
 * Clustered ticket points (MapLibre's own clustering). Offline there are no glyphs, so a cluster
 * shows its size by radius, and its worst SLA state by colour and by a ring (never colour alone).
 */
export function addTicketLayers(map: maplibregl.Map, scale: number) {
  map.addSource('tickets', {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 40 * scale,
    clusterMaxZoom: 14,
    clusterProperties: { overdue: count('overdue'), soon: count('soon') },
  })
  const worst = (overdue: string, soon: string, fine: string): maplibregl.ExpressionSpecification => [
    'case',
    ['>', ['get', 'overdue'], 0],
    overdue,
    ['>', ['get', 'soon'], 0],
    soon,
    fine,
  ]
  map.addLayer({
    id: 'tickets-clusters',
    type: 'circle',
    source: 'tickets',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': worst(slaColours.overdue, slaColours.soon, slaColours.ontime),
      'circle-opacity': 0.85,
      'circle-radius': [
        '*',
        scale,
        ['interpolate', ['linear'], ['get', 'point_count'], 2, 9, 20, 15, 100, 22, 500, 30],
      ],
      'circle-stroke-color': '#eef3fb',
      'circle-stroke-width': ['*', scale, ['case', ['>', ['get', 'overdue'], 0], 3, 1]],
    },
  })
  map.addLayer({
    id: 'tickets-points',
    type: 'circle',
    source: 'tickets',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': [
        'match',
        ['get', 'sla'],
        'overdue',
        slaColours.overdue,
        'soon',
        '#0b1a33',
        slaColours.ontime,
      ],
      // On time: small dot; due soon: an orange ring; overdue: a larger dot with a white rim.
      'circle-radius': ['*', scale, ['match', ['get', 'sla'], 'overdue', 7, 'soon', 5, 4.5]],
      'circle-stroke-color': [
        'match',
        ['get', 'sla'],
        'overdue',
        '#eef3fb',
        'soon',
        slaColours.soon,
        '#0b1a33',
      ],
      'circle-stroke-width': ['*', scale, ['match', ['get', 'sla'], 'overdue', 2, 'soon', 3, 1]],
    },
  })
}
