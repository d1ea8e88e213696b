import en from './en/leader'
import vi from './vi/leader'

/**
 * The leader view's strings in both languages, loaded with the first leader-side screen
 * (`loadLeaderMessages`) so the wall never downloads them. English has the same keys as
 * Vietnamese (a missing key is a compile error).
 */
export default { vi, en: en satisfies typeof vi }
