import { onScopeDispose, shallowRef } from 'vue'

// A few pixels in a slow square, one step every few minutes: invisible from the room, enough
// to keep static edges (tiles, header) from burning into a panel that shows them for weeks.
const steps: Array<[number, number]> = [
  [0, 0],
  [2, 0],
  [2, 2],
  [0, 2],
  [-2, 2],
  [-2, 0],
  [-2, -2],
  [0, -2],
  [2, -2],
]

/** A CSS transform that moves the whole wall by a couple of pixels every `everyMs`. */
export function useBurnInShift(everyMs = 4 * 60_000) {
  let step = 0
  const transform = shallowRef('translate(0px, 0px)')
  const timer = setInterval(() => {
    step = (step + 1) % steps.length
    const [x, y] = steps[step]!
    transform.value = `translate(${x}px, ${y}px)`
  }, everyMs)
  onScopeDispose(() => clearInterval(timer))
  return transform
}
