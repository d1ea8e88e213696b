import { type Role, roleSchema } from '@citydeck/shared'
import { ConfigError } from '../config'

/** Shorter seed secrets can be guessed; generated ones (`openssl rand -base64 24`) are 32. */
export const minSeedSecretLength = 16

/**
 * Parses `API_TOKENS` (docs/design.md §5): `role=secret` pairs separated by commas, e.g.
 * `admin=<16+ characters>,feed:phanthiet-s=<16+ characters>`. Errors never echo a secret.
 */
export function parseApiTokens(value: string): Array<{ role: Role; secret: string }> {
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair, index) => {
      const at = pair.lastIndexOf('=')
      const role = pair.slice(0, at).trim()
      const secret = pair.slice(at + 1).trim()
      if (at <= 0 || !secret) {
        throw new ConfigError(`config: API_TOKENS entry ${index + 1} is not role=secret`)
      }
      if (!roleSchema.safeParse(role).success) {
        throw new ConfigError(
          `config: API_TOKENS role "${role}" is not admin, leader, display or feed:<source>`,
        )
      }
      if (secret.length < minSeedSecretLength) {
        throw new ConfigError(
          `config: API_TOKENS secret for ${role} has ${secret.length} characters; seed secrets need at least ${minSeedSecretLength} characters (e.g. openssl rand -base64 24)`,
        )
      }
      return { role: role as Role, secret }
    })
}
