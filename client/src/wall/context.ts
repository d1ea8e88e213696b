import type { CityProfile } from '@citydeck/shared'
import { type InjectionKey, inject, type Ref } from 'vue'
import type { ConnectionState } from '../composables/useLive'

/** What every wall panel needs to know about its screen: the city, the scope and the link state. */
export type WallContext = {
  profile: CityProfile
  ward: string | null
  state: Ref<ConnectionState>
}

export const wallContextKey: InjectionKey<WallContext> = Symbol('wall')

export function useWallContext(): WallContext {
  const context = inject(wallContextKey)
  if (!context) throw new Error('wall panels must be used inside WallPage')
  return context
}
