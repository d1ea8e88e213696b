import type vi from '../vi'
import common from './common'
import wall from './wall'

/** The English catalogue: the same keys as the Vietnamese one (the type makes a missing key a compile error). */
export default {
  ...common,
  ...wall,
} satisfies typeof vi
