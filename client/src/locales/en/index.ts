import type vi from '../vi'
import common from './common'

/** The English catalogue: the same keys as the Vietnamese one (the type makes a missing key a compile error). */
export default {
  ...common,
} satisfies typeof vi
