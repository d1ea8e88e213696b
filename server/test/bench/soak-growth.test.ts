import { describe, expect, it } from 'vitest'
import { type Sample, windowGrowth } from '../../../client/bench/soak-growth'

const scenes = ['overview', 'tickets', 'procedures', 'satisfaction']
/** A soak's samples, one a minute, the playlist's scene turning each minute. */
const soak = (
  minutes: number,
  heap: (minute: number) => number,
  nodes: (minute: number) => number,
): Sample[] =>
  Array.from({ length: minutes }, (_, i) => ({
    minute: i + 1,
    scene: scenes[i % scenes.length]!,
    heapMB: heap(i + 1),
    nodes: nodes(i + 1),
    listeners: 100,
    openTickets: 400,
  }))

describe('the soak growth over windows of samples', () => {
  it('reads a flat page as flat, though single samples land mid-transition', () => {
    // Every third sample sees two scenes in the DOM: 20 % more nodes, at the start and at the end.
    const samples = soak(
      120,
      () => 15,
      (m) => (m % 3 === 0 ? 1800 : 1500),
    )
    const growth = windowGrowth(samples)
    expect(growth.heapMB).toBe(0)
    expect(growth.nodes).toBe(0)
    expect(growth.listeners).toBe(0)
  })

  it('finds a steady leak, on the scene that grew most', () => {
    const samples = soak(
      120,
      (m) => 10 + m * 0.1,
      (m) => 1500 + m * 5,
    )
    const growth = windowGrowth(samples)
    // From about 10.9 MB (minutes 5–14) to about 21.6 MB (minutes 111–120).
    expect(growth.heapMB).toBeGreaterThan(90)
    expect(growth.nodes).toBeGreaterThan(25)
  })

  it('says nothing for a soak too short to have two windows', () => {
    expect(
      windowGrowth(
        soak(
          20,
          () => 15,
          () => 1500,
        ),
      ),
    ).toEqual({ heapMB: null, nodes: null, listeners: null })
  })
})
