import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueToken, listTokens, resolveToken, revokeToken } from '../src/access/tokens'
import { createTestDatabase, type TestDatabase } from './support/test-database'

// Every ingest request resolves its bearer token: one statement reads it and touches
// last_used_at at most once a minute; a revocation takes effect on the very next request.

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.drop())

describe('resolveToken (the per-request token lookup)', () => {
  it('reads the token, touches last_used_at at most once a minute, and refuses it once revoked', async () => {
    const { id, secret } = await issueToken(db.sql, { role: 'feed:s1', label: 'lookup' })
    const first = await resolveToken(db.sql, secret)
    expect(first).toMatchObject({ id, role: 'feed:s1', label: 'lookup', revokedAt: null })
    expect(first!.lastUsedAt).toBeInstanceOf(Date)
    const listed = (await listTokens(db.sql)).find((t) => t.id === id)!
    expect(listed.lastUsedAt!.getTime()).toBe(first!.lastUsedAt!.getTime())

    const second = await resolveToken(db.sql, secret)
    expect(second!.lastUsedAt!.getTime()).toBe(first!.lastUsedAt!.getTime())

    await db.sql`update access_tokens set last_used_at = now() - interval '2 minutes' where id = ${id}`
    const [row] = await db.sql`select last_used_at from access_tokens where id = ${id}`
    const third = await resolveToken(db.sql, secret)
    expect(third!.lastUsedAt!.getTime()).toBeGreaterThan((row!.last_used_at as Date).getTime())

    expect(await resolveToken(db.sql, 'not-a-token')).toBeNull()
    expect(await revokeToken(db.sql, id)).toBe(true)
    expect(await resolveToken(db.sql, secret)).toBeNull()
  })
})
