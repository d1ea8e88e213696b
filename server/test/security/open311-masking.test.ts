import { afterAll, beforeAll, expect, it } from 'vitest'
import { requestJson } from '../support/http'
import { sampleTicket } from '../support/items'
import { startTestServer, type TestServer, testFeedSource, testTokens } from '../support/test-server'

// docs/design.md §5: phone numbers and e-mail addresses a citizen typed into free text are masked for
// Open311 reads (anonymous, public), as they are for walls and anonymous snapshots.
let server: TestServer
const at = new Date(Date.now() - 3600_000).toISOString()
const contacts = ['0912 345 678', '+84 912.345.678', 'an.nguyen@example.vn', '0252-3822-123']

beforeAll(async () => {
  server = await startTestServer()
  const res = await requestJson(`${server.url}/api/v1/feeds/tickets`, {
    token: testTokens.feed,
    body: sampleTicket('M-1', {
      updatedAt: at,
      receivedAt: at,
      title: `Đèn hỏng, gọi ${contacts[0]}`,
      description: `Liên hệ ${contacts[1]} hoặc ${contacts[2]}`,
      address: `Kiốt cạnh số 12, ĐT ${contacts[3]}`,
      reporter: { name: 'Nguyễn Văn A', phone: '0909000000', email: 'a@example.vn' },
    }),
  })
  expect(res.status).toBe(201)
})
afterAll(() => server?.stop())

it.each([
  [`requests/${testFeedSource}:M-1.json`],
  [`requests/${testFeedSource}:M-1.xml`],
  ['requests.json'],
  ['requests.xml'],
])('GET %s masks contacts in description and address, and has no reporter', async (path) => {
  const res = await fetch(`${server.url}/open311/v2/${path}`)
  expect(res.status).toBe(200)
  const text = await res.text()
  expect(text).toContain('Liên hệ') // the request is there …
  expect(text).toContain('Kiốt cạnh số 12')
  for (const contact of [...contacts, '0909000000', 'a@example.vn', 'Nguyễn Văn A']) {
    expect(text).not.toContain(contact) // … without anyone's contact
  }
  expect(text).toContain('Liên hệ +84 •••.•••.••• hoặc a•••@•••')
  expect(text).toContain('ĐT 02••-••••-•••')
})
