import { onScopeDispose, shallowRef } from 'vue'

/** The current time, ticking every `everyMs` (one timer per caller, removed with its scope). */
export function useNow(everyMs = 1000) {
  const now = shallowRef(Date.now())
  const timer = setInterval(() => {
    now.value = Date.now()
  }, everyMs)
  onScopeDispose(() => clearInterval(timer))
  return now
}
