import { fuzzSource, fuzzUnit } from '../fuzz/target'
import { inPhuTrinh } from '../support/items'
import type { TestServer } from '../support/test-server'
import type { ContractClient } from './contract-client'

// What the contract test's cases share: the server and client they call, and the ticket they feed.

/** The running server and the client that checks each answer against the document. */
export type ContractContext = { api: ContractClient; server: TestServer }

export const unit = fuzzUnit()
export const otherUnit = 'ubnd-22930'
export const now = Date.now()
export const iso = (ms: number) => new Date(now + ms).toISOString()
export const ticket = (ref: string, over: Record<string, unknown> = {}) => ({
  source: fuzzSource,
  ref,
  updatedAt: iso(-3_600_000),
  category: 'waste',
  title: 'Rác tồn đọng',
  location: inPhuTrinh,
  status: 'received',
  unit,
  receivedAt: iso(-3_600_000),
  reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
  ...over,
})
