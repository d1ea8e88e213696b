import common from './common'
import wall from './wall'

/** The Vietnamese catalogue: one file per screen area, merged here (the leader view's loads with it: ../leader.ts). Every string on screen is in a catalogue. */
export default {
  ...common,
  ...wall,
}
