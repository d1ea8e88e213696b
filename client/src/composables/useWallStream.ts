import type { LiveScope } from '@citydeck/shared'
import { useLiveStore } from '../stores/live'
import { subscribeOnConnect } from './subscribeOnConnect'
import { type UseLiveOptions, useLive } from './useLive'

export type UseWallStreamOptions = UseLiveOptions & {
  /** The ward a screen watches, or the whole city. */
  scope: LiveScope
}

/**
 * The live stream of one scope into the live store: subscribe on every (re)connect with the
 * last `seq` seen, so a screen that lost the server resumes where it stopped, without a reload
 * (docs/design.md §4). Listeners and the socket go with the calling scope (useLive cleans up).
 */
export function useWallStream(options: UseWallStreamOptions) {
  const store = useLiveStore()
  const live = useLive(options)
  const { socket } = live
  subscribeOnConnect(socket, () => {
    const since = store.seq > 0 ? store.seq : undefined
    return { scope: options.scope, ...(since !== undefined ? { since } : {}) }
  })
  socket.on('snapshot', (snapshot) => store.applySnapshot(snapshot))
  socket.on('changes', (changes) => store.applyChanges(changes))
  socket.on('kpis', (frame) => store.applyKpis(frame))
  socket.on('alerts', (alerts) => store.applyAlerts(alerts))
  return live
}
