import { describe, expect, it } from 'vitest'
import { parseInterval, parseWallParams, withoutToken } from './params'

describe('wall URL parameters', () => {
  it('pins one scene, or rotates a playlist at the given interval', () => {
    expect(parseWallParams('?scene=tickets')).toEqual({ scenes: ['tickets'], everyMs: 30_000, ward: null })
    expect(parseWallParams('?playlist=default&every=45s&ward=22930')).toEqual({
      scenes: ['overview', 'tickets', 'units', 'procedures', 'satisfaction'],
      everyMs: 45_000,
      ward: '22930',
    })
  })

  it('falls back to the default playlist for unknown names and refuses odd ward codes', () => {
    expect(parseWallParams('?scene=nope').scenes).toHaveLength(5)
    expect(parseWallParams('?playlist=nope&scene=procedures').scenes).toEqual(['procedures'])
    expect(parseWallParams('?ward=<script>').ward).toBeNull()
  })

  it('reads intervals in s, m, h or bare seconds, within sane bounds', () => {
    expect(parseInterval('30s')).toBe(30_000)
    expect(parseInterval('2m')).toBe(120_000)
    expect(parseInterval('90')).toBe(90_000)
    expect(parseInterval('1s')).toBe(5_000)
    expect(parseInterval('soon')).toBeNull()
  })

  it('drops the token from the bookmarked URL and keeps the rest', () => {
    expect(withoutToken('http://x/wall?token=abc&scene=overview&lang=en')).toBe(
      '/wall?scene=overview&lang=en',
    )
    expect(withoutToken('http://x/wall?token=abc')).toBe('/wall')
  })
})
