import { shallowRef, watchEffect } from 'vue'

export type LeaderTheme = 'dark' | 'light'

const stored = globalThis.localStorage?.getItem('citydeck.theme')
/** The laptop theme (docs/design.md §8): dark like the wall, or light; remembered per browser. Print is always light. */
export const leaderTheme = shallowRef<LeaderTheme>(stored === 'light' ? 'light' : 'dark')

export function useLeaderTheme(print = false) {
  watchEffect(() => {
    const theme = print ? 'light' : leaderTheme.value
    document.documentElement.dataset.theme = theme
    document.documentElement.style.colorScheme = theme
  })
  const toggle = () => {
    leaderTheme.value = leaderTheme.value === 'dark' ? 'light' : 'dark'
    globalThis.localStorage?.setItem('citydeck.theme', leaderTheme.value)
  }
  return { theme: leaderTheme, toggle }
}
