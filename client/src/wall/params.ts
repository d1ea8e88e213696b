import { playlists } from './playlists'
import { type SceneId, sceneIds } from './scenes'

/** What a screen shows, read once from its bookmarked URL. */
export type WallParams = {
  /** Scenes in rotation order; one scene means no rotation. */
  scenes: SceneId[]
  /** Rotation interval in milliseconds. */
  everyMs: number
  /** Scope: one ward's GSO code, or null for the whole city. */
  ward: string | null
}

const defaultEveryMs = 30_000
// Shorter than this and nobody can read a scene before it changes.
const minEveryMs = 5_000
const maxEveryMs = 24 * 3600_000

/** `30s`, `2m`, `1h` or a bare number of seconds; null when unreadable. */
export function parseInterval(text: string | null): number | null {
  if (!text) return null
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) return null
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000
  const ms = Number(match[1]) * unit
  return Math.min(maxEveryMs, Math.max(minEveryMs, Math.round(ms)))
}

const isScene = (id: string | null): id is SceneId => !!id && (sceneIds as readonly string[]).includes(id)

/**
 * `?scene=overview` pins one scene; `?playlist=default&every=30s` rotates; `?ward=22930` scopes.
 * Unknown names fall back to the default playlist rather than a blank wall.
 */
export function parseWallParams(search: string): WallParams {
  const query = new URLSearchParams(search)
  const everyMs = parseInterval(query.get('every')) ?? defaultEveryMs
  const ward = query.get('ward')?.trim() || null
  const scene = query.get('scene')
  const playlistName = query.get('playlist')
  let scenes: SceneId[]
  if (isScene(scene) && !playlistName) scenes = [scene]
  else if (playlistName && playlists[playlistName]) scenes = [...playlists[playlistName]]
  else if (isScene(scene)) scenes = [scene]
  else scenes = [...playlists.default!]
  return { scenes, everyMs, ward: ward && /^[0-9A-Za-z_-]{1,16}$/.test(ward) ? ward : null }
}

/** The URL without `token` (kept out of bookmarks and screenshots once it became a cookie). */
export function withoutToken(href: string): string {
  const url = new URL(href)
  url.searchParams.delete('token')
  return url.pathname + (url.search === '?' ? '' : url.search) + url.hash
}
