import { useI18n } from 'vue-i18n'
import { useWallContext } from '../../wall/context'

/** Names of wards, units and categories from the city profile, in the screen's language. */
export function useNames() {
  const { profile } = useWallContext()
  const { locale } = useI18n()
  const en = () => locale.value === 'en'
  const ward = (code: string | null | undefined) =>
    (code && profile.wards.find((w) => w.code === code)?.name) || code || '—'
  const unit = (code: string | null | undefined) => {
    const found = code ? profile.units.find((u) => u.code === code) : undefined
    return (found && (en() ? found.nameEn : found.name)) || code || '—'
  }
  const category = (code: string | null | undefined) => {
    const found = code ? profile.categories.find((c) => c.code === code) : undefined
    return (found && (en() ? found.nameEn : found.name)) || code || '—'
  }
  /** A breakdown group's label by its dimension. */
  const group = (by: string, key: string, label: string) =>
    by === 'ward' ? ward(key) : by === 'unit' ? unit(key) : by === 'category' ? category(key) : label || key
  return { ward, unit, category, group }
}
