import { createServer } from 'node:http'
import { Server } from 'socket.io'

/**
 * The baseline of the live benchmark: a bare socket.io server that broadcasts one message per
 * change. POST a JSON array; each element is emitted as its own `change` before the response.
 */
const http = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const items = JSON.parse(Buffer.concat(chunks).toString()) as unknown[]
    for (const item of items) io.emit('change', item)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: items.length }))
  })
})
const io = new Server(http, { serveClient: false, perMessageDeflate: false })
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number }
  process.stdout.write(`bare: http://127.0.0.1:${port}\n`)
})
process.on('SIGTERM', () => {
  io.close()
  process.exit(0)
})
