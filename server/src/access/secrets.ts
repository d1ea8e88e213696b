import { createHash, randomBytes } from 'node:crypto'

/** A new 256-bit secret, URL-safe, for tokens and session cookies. */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

/** What is stored instead of a secret. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest()
}
