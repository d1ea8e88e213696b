import { describe, expect, it } from 'vitest'
import { heapTooLarge } from '../../composables/useNightlyReload'
import { choroplethColour } from './choropleth'

describe('ward shading', () => {
  it('runs navy to violet for counts and vermillion to blue for rates, clamped', () => {
    expect(choroplethColour(0, false)).toBe('#1d3a66')
    expect(choroplethColour(1, false)).toBe('#8e6bd6')
    expect(choroplethColour(0, true)).toBe('#d55e00')
    expect(choroplethColour(1, true)).toBe('#56b4e9')
    expect(choroplethColour(7, false)).toBe(choroplethColour(1, false))
  })
})

describe('nightly reload decision', () => {
  it('reloads only past a threshold, and never where memory is not reported', () => {
    const mb = 1024 * 1024
    expect(heapTooLarge(undefined, 400 * mb, 0.6)).toBe(false)
    expect(heapTooLarge({ usedJSHeapSize: 100 * mb, jsHeapSizeLimit: 4000 * mb }, 400 * mb, 0.6)).toBe(false)
    expect(heapTooLarge({ usedJSHeapSize: 500 * mb, jsHeapSizeLimit: 4000 * mb }, 400 * mb, 0.6)).toBe(true)
    expect(heapTooLarge({ usedJSHeapSize: 300 * mb, jsHeapSizeLimit: 400 * mb }, 400 * mb, 0.6)).toBe(true)
  })
})
