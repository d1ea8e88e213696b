import { describe, expect, it } from 'vitest'
import { niceTicks } from './niceTicks'

describe('niceTicks', () => {
  it('covers the range in about the asked count of round steps', () => {
    expect(niceTicks(0, 43, 4)).toEqual([0, 20, 40, 60])
    expect(niceTicks(0, 100, 4)).toEqual([0, 25, 50, 75, 100])
    expect(niceTicks(0, 7, 4)).toEqual([0, 2, 4, 6, 8])
    expect(niceTicks(0, 1234, 4)).toEqual([0, 500, 1000, 1500])
  })

  it('widens the ends to multiples of the step, below zero too', () => {
    expect(niceTicks(-3, 9, 4)).toEqual([-5, 0, 5, 10])
    expect(niceTicks(12, 18, 4)).toEqual([12, 14, 16, 18])
  })

  it('writes decimal steps exactly', () => {
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3])
    expect(niceTicks(0, 0.9, 4)).toEqual([0, 0.25, 0.5, 0.75, 1])
  })

  it('gives an empty or flat range room above it', () => {
    expect(niceTicks(0, 0, 4)).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(niceTicks(5, 5, 4)).toEqual([4, 6, 8, 10])
  })

  it('never gives more than count + 1 intervals', () => {
    for (let max = 1; max < 2000; max += 7) {
      const ticks = niceTicks(0, max, 4)
      expect(ticks.length - 1).toBeLessThanOrEqual(5)
      expect(ticks.at(-1)).toBeGreaterThanOrEqual(max)
    }
  })
})
