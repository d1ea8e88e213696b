import { type Role, roleSchema } from '@citydeck/shared'
import { ConfigError } from '../config'

/** Parses `API_TOKENS` (DESIGN §5): `admin=s3cret,display=wall-1,feed:phanthiet-s=k3y`. */
export function parseApiTokens(value: string): Array<{ role: Role; secret: string }> {
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf('=')
      const role = pair.slice(0, at).trim()
      const secret = pair.slice(at + 1).trim()
      if (at <= 0 || !secret) throw new ConfigError(`config: API_TOKENS entry "${pair}" is not role=secret`)
      if (!roleSchema.safeParse(role).success) {
        throw new ConfigError(
          `config: API_TOKENS role "${role}" is not admin, leader, display or feed:<source>`,
        )
      }
      return { role: role as Role, secret }
    })
}
