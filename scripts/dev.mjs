// `npm run dev`: the server with reload (tsx watch) and Vite's dev server with hot reload,
// side by side; Ctrl-C stops both.
import { spawn } from 'node:child_process'

const children = [
  spawn('npm', ['run', 'dev', '--workspace', 'server'], { stdio: 'inherit' }),
  spawn('npm', ['run', 'dev', '--workspace', 'client'], { stdio: 'inherit' }),
]
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) child.on('exit', stop)
