import { useI18n } from 'vue-i18n'
import { profileNames } from '../../app/profileNames'
import { useCityStore } from '../../stores/city'
import { useProceduresStore } from '../../stores/procedures'
import { useSessionStore } from '../../stores/session'

/** Ward, unit, category and procedure names for the leader view, in its language (see profileNames). */
export function useLeaderNames() {
  const city = useCityStore()
  const procedures = useProceduresStore()
  const session = useSessionStore()
  /** The catalog is read only by accounts that may (not the wall, not a snapshot's public link). */
  const catalog = (code: string | null | undefined) => {
    if (session.isLeader() || session.unit()) void procedures.load()
    return procedures.find(code)
  }
  const { locale } = useI18n()
  const english = () => locale.value === 'en'
  /** A procedure field (lĩnh vực) in the screen's language, from the profile's list. */
  const field = (name: string | null | undefined) => {
    if (!name) return '—'
    const found = english() ? city.city?.profile.procedureFields?.find((f) => f.name === name) : undefined
    return found?.nameEn ?? name
  }
  return {
    ...profileNames(() => city.city?.profile, english),
    /** The procedure's name (the catalog is Vietnamese only); its code while the catalog is unknown. */
    procedure: (code: string | null | undefined) => catalog(code)?.name ?? code ?? '—',
    procedureField: (code: string | null | undefined) => field(catalog(code)?.field),
    procedureLevel: (code: string | null | undefined) => catalog(code)?.level,
    field,
  }
}
