import type * as maplibregl from 'maplibre-gl'

export type WardLabel = { element: HTMLElement; marker: maplibregl.Marker; area: number }

const overlaps = (a: DOMRect, b: DOMRect, gap: number) =>
  a.left - gap < b.right && b.left - gap < a.right && a.top - gap < b.bottom && b.top - gap < a.bottom

/**
 * Keeps ward names readable at city zoom, where the central wards are a few pixels wide: larger
 * wards are placed first; a name that would overlap one already placed is tried at a smaller
 * size, then hidden (it stays in the DOM, so the names remain there for screen readers).
 */
export function declutterLabels(labels: WardLabel[]) {
  const placed: DOMRect[] = []
  for (const label of [...labels].sort((a, b) => b.area - a.area)) {
    const { classList } = label.element
    classList.remove('ward-label--small', 'ward-label--hidden')
    let box = label.element.getBoundingClientRect()
    if (placed.some((p) => overlaps(box, p, 2))) {
      classList.add('ward-label--small')
      box = label.element.getBoundingClientRect()
      if (placed.some((p) => overlaps(box, p, 1))) {
        classList.add('ward-label--hidden')
        continue
      }
    }
    placed.push(box)
  }
}

/** Area of a ward's outer rings in square degrees: enough to rank wards by size. */
export function ringArea(rings: number[][][]): number {
  const outer = rings[0] ?? []
  let sum = 0
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const [xi, yi] = outer[i] as [number, number]
    const [xj, yj] = outer[j] as [number, number]
    sum += (xj + xi) * (yj - yi)
  }
  return Math.abs(sum / 2)
}
