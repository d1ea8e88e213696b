import { createI18n } from 'vue-i18n'
import vi from '../locales/vi'

export type Lang = 'vi' | 'en'
export const languages: Lang[] = ['vi', 'en']

/** `?lang=en` wins, then the last choice on this browser, then Vietnamese (docs/design.md §8). */
export function initialLang(search = location.search): Lang {
  const asked = new URLSearchParams(search).get('lang')
  if (asked === 'vi' || asked === 'en') return asked
  const stored = globalThis.localStorage?.getItem('citydeck.lang')
  return stored === 'en' ? 'en' : 'vi'
}

// Numbers and dates follow each language's conventions through Intl (vi-VN: 12.345 and 85,3%).
const numberFormats = {
  vi: {
    integer: { style: 'decimal', maximumFractionDigits: 0 },
    decimal: { style: 'decimal', minimumFractionDigits: 1, maximumFractionDigits: 1 },
    percent: { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 },
  },
  en: {
    integer: { style: 'decimal', maximumFractionDigits: 0 },
    decimal: { style: 'decimal', minimumFractionDigits: 1, maximumFractionDigits: 1 },
    percent: { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 },
  },
} as const

const datetimeFormats = {
  vi: {
    time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    timeSeconds: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    date: { day: '2-digit', month: '2-digit', year: 'numeric' },
    dateTime: {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    },
  },
  en: {
    time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    timeSeconds: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
    date: { day: '2-digit', month: 'short', year: 'numeric' },
    dateTime: {
      day: '2-digit',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    },
  },
} as const

/**
 * The wall's and the common strings, in Vietnamese; English is fetched when it is first used
 * (`switchLanguage`), so the screens that never show it do not download it. The leader view's
 * strings load with it (`loadLeaderMessages`).
 */
export function createAppI18n() {
  return createI18n({
    legacy: false,
    locale: 'vi',
    fallbackLocale: 'vi',
    messages: { vi },
    numberFormats: { vi: numberFormats.vi, en: numberFormats.en },
    datetimeFormats: { vi: datetimeFormats.vi, en: datetimeFormats.en },
  })
}

let englishMessages: Promise<void> | null = null

/** What switching needs of a vue-i18n composer (the global one, from `i18n.global` or `useI18n`). */
type LanguageTarget = {
  locale: { value: string }
  mergeLocaleMessage(lang: string, messages: Record<string, unknown>): void
}

/** Switches the language, fetching the English catalogue (a chunk of its own) the first time. */
export async function switchLanguage(composer: LanguageTarget, lang: Lang): Promise<void> {
  if (lang === 'en') {
    englishMessages ??= import('../locales/en').then(({ default: messages }) => {
      // Merged: the leader's English strings may have arrived first.
      composer.mergeLocaleMessage('en', messages)
    })
    await englishMessages
  }
  composer.locale.value = lang
}

let leaderMessages: Promise<void> | null = null

/** Adds the leader view's strings (a chunk of their own, fetched once) to the catalogues. */
export function loadLeaderMessages(i18n: ReturnType<typeof createAppI18n>): Promise<void> {
  leaderMessages ??= import('../locales/leader').then(({ default: messages }) => {
    i18n.global.mergeLocaleMessage('vi', messages.vi)
    i18n.global.mergeLocaleMessage('en', messages.en)
  })
  return leaderMessages
}

/** The Intl locale of a language, for formatting outside templates. */
export const intlLocale = (lang: string) => (lang === 'en' ? 'en-GB' : 'vi-VN')
