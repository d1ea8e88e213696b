import type * as maplibregl from 'maplibre-gl'

export type WardLabel = { element: HTMLElement; marker: maplibregl.Marker; area: number }

const overlaps = (a: DOMRect, b: DOMRect) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

/**
 * Keeps ward names readable at city zoom, where the central wards are a few pixels wide: larger
 * wards are placed first, each at its full size; a name whose box would overlap one already
 * placed, or cut by the map's edge, is hidden, never shrunk (a wall is read from five metres). Hidden names stay in the
 * DOM for screen readers. The boxes are the labels' own elements, whose line height and padding
 * enclose the glyphs and their diacritics, so boxes apart means letters apart.
 */
export function declutterLabels(labels: WardLabel[], frame: DOMRect, covers: DOMRect[] = []) {
  // What lies over the map (a legend, an inset) hides a name as a placed name would.
  const placed: DOMRect[] = [...covers]
  // A name cut by the map's edge reads as another word: it shows whole or not at all.
  const inside = (b: DOMRect) =>
    b.left >= frame.left && b.right <= frame.right && b.top >= frame.top && b.bottom <= frame.bottom
  for (const label of [...labels].sort((a, b) => b.area - a.area)) {
    const { classList } = label.element
    classList.remove('ward-label--hidden')
    const box = label.element.getBoundingClientRect()
    if (!inside(box) || placed.some((p) => overlaps(box, p))) {
      classList.add('ward-label--hidden')
      continue
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
