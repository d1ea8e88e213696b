import { parseArgs } from 'node:util'
import { type Role, roleSchema } from '@citydeck/shared'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { audit, cliActor } from './audit'
import { issueToken, listTokens, revokeToken } from './tokens'

const usage = `usage:
  npm run tokens -- create <role> [--label <text>]   role: admin | leader | display | feed:<source>
  npm run tokens -- list
  npm run tokens -- revoke <id>
The secret of a new token is printed once; only its SHA-256 is stored.`

/** `npm run tokens`: the admin token API (`/api/v1/tokens`) from a shell, on the same database. */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { label: { type: 'string' }, help: { type: 'boolean' } },
  })
  const [command, arg] = positionals
  if (values.help || !command) return void process.stdout.write(`${usage}\n`)
  if (!['create', 'list', 'revoke'].includes(command))
    throw new ConfigError(`unknown command "${command}"\n${usage}`)
  if (command === 'create' && !roleSchema.safeParse(arg).success) {
    throw new ConfigError(`"${arg ?? ''}" is not a role: admin, leader, display or feed:<source>\n${usage}`)
  }
  const id = Number(arg)
  if (command === 'revoke' && !(Number.isSafeInteger(id) && id > 0))
    throw new ConfigError(`revoke needs a token id\n${usage}`)

  // While `npm start` runs, this shares its embedded PostgreSQL.
  const database = await openDatabase(loadConfig(), { shareRunning: true })
  try {
    await migrate(database.sql)
    if (command === 'create') {
      const token = await issueToken(database.sql, { role: arg as Role, label: values.label ?? null })
      await audit(database.sql, {
        principal: cliActor(),
        action: 'token.create',
        target: `token:${token.id}`,
        detail: { role: arg ?? null, label: values.label ?? null },
      })
      process.stdout.write(`created token ${token.id} (${arg})\nsecret (shown once): ${token.secret}\n`)
    } else if (command === 'revoke') {
      const done = await revokeToken(database.sql, id)
      if (done)
        await audit(database.sql, { principal: cliActor(), action: 'token.revoke', target: `token:${id}` })
      process.stdout.write(done ? `revoked token ${id} and its sessions\n` : `no live token ${id}\n`)
      if (!done) process.exitCode = 1
    } else {
      process.stdout.write('id\trole\tlabel\tcreated\tlast used\tstate\n')
      for (const t of await listTokens(database.sql)) {
        const state = t.revokedAt ? 'revoked' : t.seeded ? 'live (API_TOKENS)' : 'live'
        const when = (d: Date | null) => d?.toISOString().slice(0, 16).replace('T', ' ') ?? '-'
        process.stdout.write(
          `${t.id}\t${t.role}\t${t.label ?? '-'}\t${when(t.createdAt)}\t${when(t.lastUsedAt)}\t${state}\n`,
        )
      }
    }
  } finally {
    await database.close()
  }
}

main().catch((error) => {
  process.stderr.write(`citydeck tokens: ${(error as Error).message}\n`)
  process.exit(1)
})
