import type { Ticket, WardsGeoJson } from '@citydeck/shared'
import { openSlaState } from '@citydeck/shared/sla'
import type { TicketPoints } from '../map/ticketLayers'

/** Five steps of one hue, few to many tickets (dark screen: dark to light; paper: light to dark). */
export const shadeSteps = {
  dark: ['#23406e', '#2f5f99', '#3f7fc2', '#5fa3e0', '#9dd0ff'],
  light: ['#eef3fa', '#cfdef0', '#a8c6e6', '#7aa6d6', '#4f83bf'],
} as const

/** In a ward's view the other wards step back, so the ward's own outline and tickets stand out. */
const otherWard = { dark: '#1a2536', light: '#f1f2f4' } as const

/** Ward code → fill: the choropleth of `values` (tickets received), the focused ward alone when set. */
export function wardShades(
  wards: WardsGeoJson,
  values: Record<string, number>,
  focusWard: string | null | undefined,
  theme: 'dark' | 'light',
): Record<string, string> {
  const steps = shadeSteps[theme]
  const max = Math.max(1, ...Object.values(values))
  const out: Record<string, string> = {}
  for (const { properties } of wards.features) {
    const v = values[properties.code] ?? 0
    const shade = v <= 0 ? steps[0] : steps[Math.min(4, 1 + Math.floor((v / max) * 3.999))]!
    out[properties.code] = focusWard && properties.code !== focusWard ? otherWard[theme] : shade
  }
  return out
}

/** Open tickets as map points by their SLA state at `at` (tickets without a place or deadline are left out). */
export function ticketPoints(tickets: readonly Ticket[], at: number): TicketPoints {
  return {
    type: 'FeatureCollection',
    features: tickets.flatMap(({ location, dueAt }) =>
      location && dueAt
        ? [
            {
              type: 'Feature' as const,
              properties: { sla: openSlaState(dueAt, at) },
              geometry: { type: 'Point' as const, coordinates: [location.lng, location.lat] },
            },
          ]
        : [],
    ),
  }
}
