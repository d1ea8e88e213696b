import { constants as zlib } from 'node:zlib'
import { baseCompile } from '@intlify/message-compiler'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type Plugin } from 'vite'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'

// In development (`npm run dev`) the API and socket.io live on the server's port.
const serverUrl = `http://127.0.0.1:${process.env.PORT ?? 3000}`

/**
 * Compiles the catalogues' messages (src/locales/<lang>/<area>.ts) at build time into vue-i18n
 * message functions (the code vue-i18n's own compiler generates), so the bundle can leave out
 * the message compiler (`__INTLIFY_DROP_MESSAGE_COMPILER__`). A
 * catalogue must stay a plain object literal of strings (no imports, no functions); anything
 * else fails the build rather than shipping a message the runtime cannot format.
 */
function precompileMessages(): Plugin {
  const catalogue = /\/src\/locales\/[a-z]{2}\/(?!index\.)[\w-]+\.ts$/
  const fail = (where: string) => (error: { message: string }) => {
    throw new Error(`${where}: ${error.message}`)
  }
  const toCode = (value: unknown, where: string): string => {
    if (typeof value === 'string') {
      // Text and named placeholders ("Tỷ lệ {rate}", all the catalogues use) become a compact
      // call of the helper below; any other syntax gets the compiler's own generated function.
      const { ast } = baseCompile(value, { jit: true, location: false, onError: fail(where) })
      const body = ast.body as {
        type: number
        items?: Array<{ type: number; value?: string; key?: string }>
        static?: string
      }
      const items = body.items ?? []
      if (body.type === 2 && items.every((item) => item.type === 3 || item.type === 4)) {
        const parts = items.map((item) =>
          item.type === 4
            ? `{k:${JSON.stringify(item.key)}}`
            : JSON.stringify(item.value ?? body.static ?? ''),
        )
        return `m(${parts.join(',')})`
      }
      return baseCompile(value, { mode: 'arrow', location: false, onError: fail(where) }).code
    }
    if (value && typeof value === 'object' && !Array.isArray(value))
      return `{${Object.entries(value)
        .map(([k, v]) => `${JSON.stringify(k)}: ${toCode(v, `${where}.${k}`)}`)
        .join(',\n')}}`
    throw new Error(`${where}: a catalogue holds strings and nested objects only`)
  }
  // A vue-i18n message function from text parts and named placeholders, as the compiler's code does.
  const helper = `const m = (...parts) => (ctx) =>
  ctx.normalize(parts.map((p) => (typeof p === 'string' ? p : ctx.interpolate(ctx.named(p.k)))))
`
  return {
    name: 'citydeck:precompile-messages',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!catalogue.test(id)) return null
      if (/^\s*import\b/m.test(code)) throw new Error(`${id}: a catalogue cannot import`)
      const body = code.replace(/^\s*export default\s*/m, 'return ')
      const messages = new Function(body)() as unknown
      return { code: `${helper}export default ${toCode(messages, id)}\n`, map: null }
    },
  }
}

export default defineConfig(({ command }) => ({
  // The app is written in the Composition API only: Vue's Options API is left out of the bundle.
  plugins: [
    vue({ features: { optionsAPI: false } }),
    precompileMessages(),
    // Brotli and gzip copies of the text assets, which the server sends to browsers that accept
    // them (server/src/http/static.ts): the wall's 1.8 MB of JavaScript becomes about 0.5 MB on the
    // wire, compressed once at build time instead of on every request. Brotli at quality 9:
    // within a few percent of 11, at a fraction of the build time.
    compression({
      algorithms: [
        defineAlgorithm('brotliCompress', { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }),
        defineAlgorithm('gzip', { level: 9 }),
      ],
      threshold: 1024,
      logLevel: 'silent',
    }),
  ],
  define:
    command === 'build'
      ? {
          // vue-i18n in composition mode with precompiled messages (see precompileMessages).
          __VUE_I18N_LEGACY_API__: 'false',
          // Screens translate with t()/$t()/$d(); vue-i18n's <i18n-t>/<i18n-n>/<i18n-d> and v-t are unused.
          __VUE_I18N_FULL_INSTALL__: 'false',
          __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
          __INTLIFY_PROD_DEVTOOLS__: 'false',
        }
      : {},
  server: {
    port: 5173,
    proxy: {
      '/api': serverUrl,
      '/metrics': serverUrl,
      '/open311': serverUrl,
      '/socket.io': { target: serverUrl, ws: true },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
}))
