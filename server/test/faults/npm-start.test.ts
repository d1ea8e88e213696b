import { describe, expect, it } from 'vitest'
import { stopNpmStart } from './cases/npm-start'

describe('SIGTERM to the PID of npm start (docs/design.md §11)', () => {
  it('stops the server and its embedded PostgreSQL: nothing is left running', async () => {
    const f = await stopNpmStart('npm')
    // npm, the launcher with the server in it, the postmaster and its background processes.
    expect(f.processesBefore).toBeGreaterThanOrEqual(4)
    expect(f.leftRunning).toEqual([])
  }, 90_000)
})
