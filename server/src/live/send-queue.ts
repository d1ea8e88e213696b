import type { LiveSocket } from './types'

/**
 * Bytes engine.io holds for one client because its transport is not writable (the kernel buffer
 * is full, or a polling client has not polled): frames differ a thousandfold in size, so the
 * bound is in bytes. Counted from engine.io's own events rather than its (private) buffer: a
 * packet is announced as it joins the buffer, and the whole buffer leaves at once when the
 * transport can take it, or is dropped when the connection closes.
 */
export class SendQueue {
  private bytes = 0

  constructor(conn: LiveSocket['conn']) {
    conn.on('packetCreate', (packet: { data?: unknown }) => {
      this.bytes += byteSize(packet.data)
    })
    conn.on('flush', () => {
      this.bytes = 0
    })
    conn.on('close', () => {
      this.bytes = 0
    })
  }

  get queuedBytes(): number {
    return this.bytes
  }
}

function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data)
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength
  return 0
}
