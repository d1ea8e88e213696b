import { useI18n } from 'vue-i18n'
import { profileNames } from '../../app/profileNames'
import { useCityStore } from '../../stores/city'

/** Ward, unit and category names for the leader view, in its language (see profileNames). */
export function useLeaderNames() {
  const city = useCityStore()
  const { locale } = useI18n()
  return profileNames(
    () => city.city?.profile,
    () => locale.value === 'en',
  )
}
