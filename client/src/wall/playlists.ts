import type { SceneId } from './scenes'

/**
 * Named rotations for `?playlist=`. A control room adds its own here (data, not code):
 * e.g. a screen that only alternates the map and the SLA board.
 */
export const playlists: Record<string, readonly SceneId[]> = {
  default: ['overview', 'tickets', 'units', 'procedures', 'satisfaction'],
  operations: ['overview', 'tickets'],
  services: ['procedures', 'satisfaction'],
}
