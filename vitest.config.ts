import vue from '@vitejs/plugin-vue'
import { configDefaults, defineConfig } from 'vitest/config'

process.env.LOG_LEVEL ??= 'silent'

/**
 * Tests whose figures depend on the machine being otherwise quiet: the fault suite (exit and
 * recovery deadlines), the slow-upload and login-throttle checks (response times under attack),
 * the security deadlines (health within 1 s, a revoked key cut within 2 s). They run one file at a
 * time after the rest, with the browser tests, so no other test competes with them for the CPU.
 */
const serialServerTests = [
  'server/test/faults/**/*.test.ts',
  'server/test/security/slow-uploads.test.ts',
  'server/test/security/login-throttle.test.ts',
  'server/test/security/health.test.ts',
  'server/test/security/live-credentials.test.ts',
]

// Projects: server-side logic and integration tests against a real PostgreSQL, and client unit
// tests in happy-dom, two files at a time (most of their time is spent waiting on PostgreSQL and
// sockets); then, one file at a time, the timing-sensitive server tests and the real-browser
// tests (Debian chromium) in client/e2e. Vitest runs projects of one `groupOrder` together and
// asks them for one worker count, so the serial ones are a group of their own.
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
          exclude: [...configDefaults.exclude, ...serialServerTests],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'client',
          environment: 'happy-dom',
          include: ['client/src/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'server-serial',
          environment: 'node',
          include: serialServerTests,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['client/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
