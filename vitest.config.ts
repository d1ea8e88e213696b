import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

process.env.LOG_LEVEL ??= 'silent'

// Three projects: server-side logic and integration tests against a real PostgreSQL, client
// unit tests in happy-dom, and real-browser tests (Debian chromium) in client/e2e.
export default defineConfig({
  test: {
    globalSetup: ['server/test/support/global-setup.ts'],
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'client',
          environment: 'happy-dom',
          include: ['client/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['client/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
