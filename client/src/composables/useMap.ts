import * as maplibregl from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { onScopeDispose, type Ref, shallowRef, watch } from 'vue'

// MapLibre 6 does not find its worker under Vite by itself (STACK.md).
maplibregl.setWorkerUrl(workerUrl)
// Its worker script (~0.5 MB) starts downloading as soon as the map code has arrived, rather
// than once the page has its data and creates the map: on a wall's first draw that was ~0.4 s.
maplibregl.prewarm()

export type UseMapOptions = {
  /** The element the map draws into; the map is created once it is mounted. */
  container: Ref<HTMLElement | null>
  center: [number, number]
  zoom: number
  /** An online basemap style (MAP_STYLE_URL); without it the map is drawn offline from the city's own data. */
  styleUrl?: string | null
  /** Off on the wall: no mouse, no keyboard. */
  interactive?: boolean
  /** Called once the style is ready, to add sources and layers (once per map, never again). */
  onReady: (map: maplibregl.Map) => void
}

/** An offline style: only a background; the city's layers come from its own GeoJSON. */
function offlineStyle(): maplibregl.StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#0a1830' } }],
  }
}

/**
 * One MapLibre map for the page (STYLE: sources are updated in place, never re-created).
 * Removed, with its WebGL context, when the calling scope is disposed.
 */
export function useMap(options: UseMapOptions) {
  const map = shallowRef<maplibregl.Map | null>(null)
  const ready = shallowRef(false)
  const stop = watch(
    options.container,
    (element) => {
      if (!element || map.value) return
      const instance = new maplibregl.Map({
        container: element,
        style: options.styleUrl || offlineStyle(),
        center: options.center,
        zoom: options.zoom,
        interactive: options.interactive ?? true,
        attributionControl: false,
        fadeDuration: 0,
        // Lets tests and briefings read the drawn pixels back.
        canvasContextAttributes: { preserveDrawingBuffer: true },
      })
      performance.mark('citydeck:map-created')
      instance.once('load', () => {
        performance.mark('citydeck:map-loaded')
        options.onReady(instance)
        ready.value = true
      })
      map.value = instance
    },
    { immediate: true },
  )
  onScopeDispose(() => {
    stop()
    map.value?.remove()
    map.value = null
  })
  return { map, ready }
}
