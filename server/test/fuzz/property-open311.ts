import fc from 'fast-check'
import { blames, encodeQuery, type FuzzRequest, open311Params, send } from './answers'
import { pick, text, w3cDate } from './inputs'
import { fuzzProperty } from './run'
import { fuzzSecrets, type Known } from './target'

// Open311 writes: GeoReport forms sent as forms, JSON, query strings and multipart.

const open311Form = (k: Known) =>
  fc.record(
    {
      api_key: text(fc.constantFrom(fuzzSecrets.feed, fuzzSecrets.admin, fuzzSecrets.display)),
      service_code: text(pick(k.categories)),
      lat: text(fc.constantFrom('10.93', '10.932', '91', '-91', '1e3')),
      long: text(fc.constantFrom('108.1', '108.10', '181')),
      description: text(fc.constantFrom('Ổ gà lớn trước số 12, gọi 0912 345 678', 'Rác')),
      address_string: text(fc.constantFrom('12 Trần Hưng Đạo', '')),
      email: text(fc.constantFrom('an@example.vn', 'x')),
      phone: text(fc.constantFrom('0909000000', '+84 909 000 000')),
      first_name: text(fc.constant('An')),
      last_name: text(fc.constant('Nguyễn')),
      media_url: text(fc.constantFrom('https://example.vn/a.jpg', 'javascript:alert(1)')),
      service_request_id: text(pick(k.tickets.map((t) => t.replace('/', ':')))),
      status: text(fc.constantFrom('OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'x')),
      updated_datetime: text(w3cDate),
      update_id: text(fc.constant('u-1')),
    },
    { requiredKeys: ['api_key'] },
  )

export const open311Writes = fuzzProperty({
  name: 'Open311 writes: form, JSON and query bodies',
  weight: 4,
  routes: () => ['POST /open311/v2/:file'],
  cases: (t) =>
    fc.record({
      file: fc.constantFrom(
        'requests.json',
        'requests.xml',
        'servicerequestupdates.json',
        'servicerequestupdates.xml',
      ),
      form: open311Form(t.known),
      as: fc.constantFrom('form', 'form', 'json', 'query', 'multipart'),
    }),
  run: async (t, stats, c) => {
    stats.routesHit.add('POST /open311/v2/:file')
    const form = c.form
    const entries = Object.entries(form)
    let req: FuzzRequest
    if (c.as === 'query')
      req = { method: 'POST', path: `/open311/v2/${c.file}`, query: entries, caller: 'none' }
    else if (c.as === 'json')
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: 'application/json',
        body: JSON.stringify(form),
      }
    else if (c.as === 'multipart') {
      const boundary = 'fuzz-boundary'
      const parts = entries.map(
        ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      )
      const body = `${parts.join('')}--${boundary}--\r\n`
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: `multipart/form-data; boundary=${boundary}`,
        body,
      }
    } else
      req = {
        method: 'POST',
        path: `/open311/v2/${c.file}`,
        caller: 'none',
        contentType: 'application/x-www-form-urlencoded',
        body: encodeQuery(entries),
      }
    const res = await send(t, stats, req)
    // A required parameter left out is named too.
    blames(stats, req, res, [...Object.keys(form), ...open311Params])
  },
})
