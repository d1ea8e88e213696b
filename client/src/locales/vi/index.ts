import common from './common'
import leader from './leader'
import wall from './wall'

/** The Vietnamese catalogue: one file per screen area, merged here. Every string on screen is in a catalogue. */
export default {
  ...common,
  ...leader,
  ...wall,
}
