import enDirection from './en/direction'
import en from './en/leader'
import enUnits from './en/units'
import viDirection from './vi/direction'
import vi from './vi/leader'
import viUnits from './vi/units'

/**
 * The leader view's strings in both languages, loaded with the first leader-side screen
 * (`loadLeaderMessages`) so the wall never downloads them. English has the same keys as
 * Vietnamese (a missing key is a compile error).
 */
export default {
  vi: { ...vi, ...viDirection, ...viUnits },
  en: {
    ...(en satisfies typeof vi),
    ...(enDirection satisfies typeof viDirection),
    ...(enUnits satisfies typeof viUnits),
  },
}
