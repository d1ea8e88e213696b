// First: the Content-Security-Policy allows no eval, so zod must not compile its parsers.
import '@citydeck/shared/csp'
import '@fontsource/be-vietnam-pro/400.css'
import '@fontsource/be-vietnam-pro/500.css'
import '@fontsource/be-vietnam-pro/600.css'
import '@fontsource/be-vietnam-pro/700.css'
import 'maplibre-gl/dist/maplibre-gl.css'
import '../styles/base.css'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createAppI18n, initialLang, switchLanguage } from './i18n'
import { reloadOnStaleBuild } from './reloadOnStaleBuild'
import { createAppRouter } from './router'

reloadOnStaleBuild()
const i18n = createAppI18n()
const app = createApp(App).use(createPinia()).use(createAppRouter(i18n)).use(i18n)
// The first screen already in its language: English is fetched before anything is drawn (in
// Vietnamese if it cannot be). Not a top-level await: with one, the bundler splits the entry
// into many small chunks so that lazy pages cannot wait on it, which costs more than it saves.
void switchLanguage(i18n.global, initialLang()).finally(() => app.mount('#app'))
