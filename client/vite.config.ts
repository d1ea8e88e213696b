import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// In development (`npm run dev`) the API and socket.io live on the server's port.
const serverUrl = `http://127.0.0.1:${process.env.PORT ?? 3000}`

export default defineConfig({
  plugins: [vue()],
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
})
