import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Role } from '@citydeck/shared'
import { issueToken, resolveToken } from '../access/tokens'
import type { Sql } from '../db/connection'

/** The demo's own secrets: one feed token per source, a wall (display) token and an admin token. */
export type DemoTokens = { feeds: Record<string, string>; display: string; admin: string }

/**
 * Tokens are stored hashed, so the demo keeps the secrets it issued in `DATA_DIR/demo-tokens.json`
 * (mode 0600) and reuses each one while it still resolves to its role; a bookmarked wall URL
 * therefore survives restarts. A secret that no longer resolves (revoked, other database) is
 * replaced by a new one.
 */
export async function ensureDemoTokens(sql: Sql, dataDir: string, sources: string[]): Promise<DemoTokens> {
  const file = path.join(dataDir, 'demo-tokens.json')
  const stored = await readStored(file)
  let changed = false
  const keep = async (role: Role, secret: string | undefined): Promise<string> => {
    if (secret) {
      const token = await resolveToken(sql, secret)
      if (token?.role === role) return secret
    }
    changed = true
    return (await issueToken(sql, { role, label: 'demo' })).secret
  }
  const feeds: Record<string, string> = {}
  for (const source of [...new Set(sources)])
    feeds[source] = await keep(`feed:${source}`, stored.feeds?.[source])
  const tokens: DemoTokens = {
    feeds,
    display: await keep('display', stored.display),
    admin: await keep('admin', stored.admin),
  }
  if (changed) {
    await mkdir(dataDir, { recursive: true })
    await writeFile(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 })
    await chmod(file, 0o600)
  }
  return tokens
}

async function readStored(file: string): Promise<Partial<DemoTokens>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Partial<DemoTokens>
  } catch {
    return {}
  }
}
