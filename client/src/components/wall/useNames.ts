import { useI18n } from 'vue-i18n'
import { profileNames } from '../../app/profileNames'
import { useWallContext } from '../../wall/context'

/** Names of wards, units and categories from the city profile, in the screen's language. */
export function useNames() {
  const { profile } = useWallContext()
  const { locale } = useI18n()
  const { ward, unit, unitShort, category } = profileNames(
    () => profile,
    () => locale.value === 'en',
  )
  /** A breakdown group's label by its dimension (units without the prefix they all share, so a bar label fits). */
  const group = (by: string, key: string, label: string) =>
    by === 'ward'
      ? ward(key)
      : by === 'unit'
        ? unitShort(key)
        : by === 'category'
          ? category(key)
          : label || key
  return { ward, unit, unitShort, category, group }
}
