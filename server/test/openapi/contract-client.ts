import { expect } from 'vitest'
import { fuzzSecrets } from '../fuzz/target'
import { DocumentCheck } from './document-check'

// Sends one real request for one operation of the document and checks the answer against it:
// the status the case expects, and a status, content type and body the document describes.

export type Caller = keyof typeof fuzzSecrets | 'none' | 'unknown'
export type ContractRequest = {
  method?: string
  path: string
  as?: Caller
  /** JSON-encoded and sent as application/json. */
  body?: unknown
  /** Sent as it is (with `type`, or none). */
  raw?: string
  type?: string
  cookie?: string
  headers?: Record<string, string>
  /** The client address (TRUSTED_PROXIES is this machine); by default one of its own per request. */
  from?: string
}
// biome-ignore lint/suspicious/noExplicitAny: the body is checked against the document's schema
export type ContractAnswer = { status: number; headers: Headers; body: any }

export class ContractClient {
  readonly covered = new Map<string, Set<number>>()
  #sent = 0
  constructor(
    readonly url: string,
    readonly check: DocumentCheck,
  ) {}

  async call(operationId: string, expected: number, req: ContractRequest): Promise<ContractAnswer> {
    const located = this.check.operations.get(operationId)
    expect(located, `no operation ${operationId} in the document`).toBeDefined()
    const pathOnly = req.path.split('?')[0]!
    expect(
      DocumentCheck.matches(located!.path, pathOnly),
      `${req.path} is not an instance of ${located!.path}`,
    ).toBe(true)
    const n = ++this.#sent
    const headers: Record<string, string> = {
      'x-forwarded-for': req.from ?? `10.77.${(n >> 8) & 255}.${n & 255}`,
      ...req.headers,
    }
    const secret =
      !req.as || req.as === 'none'
        ? null
        : req.as === 'unknown'
          ? 'contract-unknown-0001'
          : fuzzSecrets[req.as]
    if (secret) headers.authorization = `Bearer ${secret}`
    if (req.cookie) headers.cookie = req.cookie
    let body: string | undefined = req.raw
    if (req.body !== undefined) body = JSON.stringify(req.body)
    if (req.type ?? (req.body !== undefined ? 'application/json' : undefined)) {
      headers['content-type'] = req.type ?? 'application/json'
    }
    const method = req.method ?? located!.method.toUpperCase()
    const res = await fetch(`${this.url}${req.path}`, { method, headers, body })
    const contentType = res.headers.get('content-type') ?? ''
    const bytes = new Uint8Array(await res.arrayBuffer())
    let parsed: unknown = bytes.length ? `<${bytes.length} bytes>` : null
    if (contentType.startsWith('application/json')) parsed = JSON.parse(new TextDecoder().decode(bytes))
    const shown = JSON.stringify(parsed)?.slice(0, 400)
    expect(res.status, `${operationId} ${method} ${req.path}: ${shown}`).toBe(expected)
    expect(
      this.check.problems(operationId, { status: res.status, contentType, body: parsed }),
      `${operationId} ${res.status}: ${shown}`,
    ).toEqual([])
    if (!this.covered.has(operationId)) this.covered.set(operationId, new Set())
    this.covered.get(operationId)!.add(res.status)
    return { status: res.status, headers: res.headers, body: parsed }
  }
}
