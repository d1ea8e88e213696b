import type { CityProfile } from '@citydeck/shared'

type Named = { code: string; name: string; nameEn: string }

/**
 * Names of wards, units and categories from the city profile, in the screen's language: units
 * and categories have English names in the profile; wards keep their Vietnamese names, which
 * are proper names (as on the map). An unknown code shows as itself, a missing one as "—".
 */
export function profileNames(profile: () => CityProfile | null | undefined, english: () => boolean) {
  const named = (list: readonly Named[] | undefined, code: string | null | undefined) => {
    const found = code ? list?.find((x) => x.code === code) : undefined
    return (found && (english() ? found.nameEn : found.name)) || code || '—'
  }
  return {
    ward: (code: string | null | undefined) =>
      (code && profile()?.wards.find((w) => w.code === code)?.name) || code || '—',
    unit: (code: string | null | undefined) => named(profile()?.units, code),
    /**
     * A unit's short name from the profile ("P. TN&MT"), else its name without the prefix every
     * ward committee shares ("Phường Phú Trinh").
     */
    unitShort: (code: string | null | undefined) => {
      const found = code ? profile()?.units.find((u) => u.code === code) : undefined
      const short = english() ? found?.shortNameEn : found?.shortName
      return short || named(profile()?.units, code).replace(/^(UBND |People's Committee of )/, '')
    },
    category: (code: string | null | undefined) => named(profile()?.categories, code),
  }
}
