import type { PanelSpec, SceneSpec } from '../../wall/scenes'

type Loader = () => Promise<unknown>

/**
 * The panels that load with the first scene that shows them (the map with MapLibre, the largest
 * chunk; the SVG charts), so a screen downloads only what its scenes draw. One loader per panel,
 * shared by the scene (its async components) and the page (its early start).
 */
export const panelLoaders = {
  map: () => import('./WallMapPanel.vue'),
  slaBoard: () => import('./WallSlaBoardPanel.vue'),
  bars: () => import('./WallBarsPanel.vue'),
  trend: () => import('./WallTrendPanel.vue'),
  gauges766: () => import('./WallGaugesPanel.vue'),
  catalog: () => import('./WallCatalogPanel.vue'),
  comments: () => import('./WallCommentsPanel.vue'),
  unitsTable: () => import('./WallUnitsPanel.vue'),
} satisfies Partial<Record<PanelSpec['panel'], Loader>>

/**
 * Starts downloading a scene's panels now. The page calls it before it checks the session and
 * loads the city, so the map's code (the largest chunk) arrives alongside them instead of after.
 * A failed download is left to the scene's own load, which shows it.
 */
export function preloadPanels(scene: SceneSpec): void {
  for (const spec of scene.panels) {
    const load = (panelLoaders as Partial<Record<PanelSpec['panel'], Loader>>)[spec.panel]
    load?.().catch(() => {})
  }
}
