import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/connection'
import { migrate } from '../db/migrate'
import { audit, cliActor } from './audit'
import { disableUser, isUserRole, listUsers, upsertUser } from './users'

const usage = `usage:
  npm run user -- add <name> --role leader|admin|unit:<unit code> [--password-stdin]
  npm run user -- list
  npm run user -- disable <name>
On a terminal "add" asks for the password twice; --password-stdin reads one line from stdin.`

/** `npm run user`: creates, lists and disables the people who log in to the leader view. */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean' } },
  })
  const [command, name] = positionals
  if (values.help || !command) return void process.stdout.write(`${usage}\n`)
  if ((command === 'add' || command === 'disable') && !name) throw new ConfigError(`missing <name>\n${usage}`)
  if (command === 'add' && !(values.role && isUserRole(values.role))) {
    throw new ConfigError(`--role must be leader, admin or unit:<unit code>\n${usage}`)
  }
  if (!['add', 'list', 'disable'].includes(command))
    throw new ConfigError(`unknown command "${command}"\n${usage}`)

  const password = command === 'add' ? await readPassword(values['password-stdin'] === true) : ''
  if (command === 'add' && password.length < 8)
    throw new ConfigError('the password needs at least 8 characters')

  // While `npm start` runs, this shares its embedded PostgreSQL.
  const database = await openDatabase(loadConfig(), { shareRunning: true })
  try {
    await migrate(database.sql)
    if (command === 'add' && values.role && isUserRole(values.role)) {
      const { created } = await upsertUser(database.sql, {
        name: name!,
        role: values.role,
        password,
      })
      await audit(database.sql, {
        principal: cliActor(),
        action: created ? 'user.add' : 'user.update',
        target: `user:${name}`,
        detail: { role: values.role ?? null },
      })
      process.stdout.write(`${created ? 'created' : 'updated'} ${values.role} "${name}"\n`)
    } else if (command === 'disable') {
      const done = await disableUser(database.sql, name!)
      if (done)
        await audit(database.sql, { principal: cliActor(), action: 'user.disable', target: `user:${name}` })
      process.stdout.write(
        done ? `disabled "${name}" and ended their sessions\n` : `no active user "${name}"\n`,
      )
    } else {
      for (const u of await listUsers(database.sql)) {
        process.stdout.write(`${u.name}\t${u.role}${u.disabledAt ? '\tdisabled' : ''}\n`)
      }
    }
  } finally {
    await database.close()
  }
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin })
    for await (const line of rl) return line
    return ''
  }
  const first = await prompt('Mật khẩu / password: ')
  const second = await prompt('Nhập lại / repeat: ')
  if (first !== second) throw new ConfigError('the two passwords differ')
  return first
}

/** Reads a line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  process.stdout.write(question)
  const muted = new Writable({ write: (_chunk, _enc, done) => done() })
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close()
      process.stdout.write('\n')
      resolve(answer)
    }),
  )
}

main().catch((error) => {
  process.stderr.write(`citydeck user: ${(error as Error).message}\n`)
  process.exit(1)
})
