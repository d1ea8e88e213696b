import type vi from '../vi/common'

/** English common strings: the same keys as vi/common.ts (a missing key is a compile error). */
export default {
  app: {
    title: 'City operations center',
    subtitle: 'citydeck',
  },
  connection: {
    connecting: 'Connecting...',
    connected: 'Live',
    reconnecting: 'Reconnecting...',
    offline: 'Offline',
    lastUpdate: 'Updated at {time}',
  },
  map: {
    label: 'Map of the wards and communes of {city}',
    wards: 'Wards and communes',
  },
  language: { vi: 'Tiếng Việt', en: 'English', switch: 'Language' },
  errors: {
    cityLoad: 'Could not load the city data: {message}. Check the citydeck server, then reload the page.',
  },
  /** A trend's last point while its day (month) is not over. */
  chart: { partialDay: 'today (day not over)', partialMonth: 'this month (not over)' },
  sample: {
    small: 'Small sample (under {min}): {part}/{whole}, no rate shown',
  },
} satisfies typeof vi
