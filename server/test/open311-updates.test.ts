import { describe, expect, it } from 'vitest'
import { formats, open311Server, updateIdOf, xmlValues } from './support/open311'
import { testFeedSource, testTokens } from './support/test-server'

// Open311 servicerequestupdates as FixMyStreet sends them: statuses in basic-status mode,
// stale and repeated deliveries.
const open311 = open311Server()
const { get, post, feedTicket, ticketRow, fmsUpdate } = open311

describe.each(formats)('Open311 GeoReport v2 (%s)', (format) => {
  it("serves and accepts FixMyStreet's servicerequestupdates", async () => {
    const update = await post(
      'servicerequestupdates',
      {
        api_key: testTokens.feed,
        service_request_id: `${testFeedSource}:A&1`,
        status: format === 'json' ? 'IN_PROGRESS' : 'FIXED',
        updated_datetime: format === 'json' ? '2026-11-28T02:00:00Z' : '2026-11-28T02:30:00+00:00',
        update_id: `fms-${format}`,
        description: 'đang xử lý',
      },
      format,
    )
    expect(update.status).toBe(200)
    const updateId = format === 'json' ? update.json[0].update_id : xmlValues(update.text, 'update_id')[0]
    expect(Number(updateId)).toBeGreaterThan(0)
    const [row] = await open311.server.db.sql`select status from tickets where ref = 'A&1'`
    expect(row!.status).toBe(format === 'json' ? 'in_progress' : 'resolved')

    const list = await get(
      'servicerequestupdates.{f}?start_date=2026-11-01T00:00:00Z&end_date=2100-01-01T00:00:00Z',
      format,
    )
    expect(list.status).toBe(200)
    const expected = format === 'json' ? 'in_progress' : 'fixed'
    if (format === 'json') {
      expect(list.json).toContainEqual({
        update_id: updateId,
        service_request_id: `${testFeedSource}:A&1`,
        status: expected,
        updated_datetime: '2026-11-28T02:00:00Z',
        // The update's own text; the report's photo is not the update's.
        description: 'đang xử lý',
        media_url: null,
      })
    } else {
      expect(list.text).toContain('<service_requests_updates><request_update><update_id>')
      expect(xmlValues(list.text, 'status')).toContain(expected)
    }
    const foreign = await post(
      'servicerequestupdates',
      { api_key: testTokens.feed, service_request_id: 'other:1', status: 'FIXED' },
      format,
    )
    expect(foreign.status).toBe(403)
    expect(
      (await post('servicerequestupdates', { service_request_id: `${testFeedSource}:B2` }, format)).status,
    ).toBe(403)
    const badDate = await post(
      'servicerequestupdates',
      { api_key: testTokens.feed, service_request_id: `${testFeedSource}:B2`, updated_datetime: 'soon' },
      format,
    )
    expect(badDate.status).toBe(400)
  })
})

describe.each(formats)('FixMyStreet against Open311 (%s)', (format) => {
  it('2. OPEN (sent with every comment in basic-status mode) keeps an open ticket in its state; it reopens a fixed one', async () => {
    const ref = `open-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'in_progress',
    })
    const comment = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T03:00:00Z',
        description: 'Vẫn còn rác',
        update_id: `c1-${format}`,
      },
      format,
    )
    expect(comment.status).toBe(200)
    let row = await ticketRow(ref)
    expect(row.status).toBe('in_progress')
    expect(row.resolved_at).toBeNull()
    expect((row.updated_at as Date).toISOString()).toBe('2026-11-27T03:00:00.000Z')

    await fmsUpdate(
      ref,
      { status: 'FIXED', updated_datetime: '2026-11-27T04:00:00Z', update_id: `c2-${format}` },
      format,
    )
    expect((await ticketRow(ref)).status).toBe('resolved')
    const reopened = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T05:00:00Z',
        description: 'Chưa xong',
        update_id: `c3-${format}`,
      },
      format,
    )
    expect(reopened.status).toBe(200)
    row = await ticketRow(ref)
    expect(row).toMatchObject({ status: 'received', resolved_at: null, closed_at: null })
  })

  it('3. CLOSED (a fixed report in basic-status mode) resolves the ticket, so it counts in tickets.resolved', async () => {
    const ref = `closed-${format}`
    const day = format === 'json' ? '2026-11-20' : '2026-11-21'
    await feedTicket({
      ref,
      category: 'lighting',
      updatedAt: `${day}T08:00:00Z`,
      receivedAt: `${day}T08:00:00Z`,
      status: 'received',
    })
    const resolved = async () => {
      const res = await fetch(
        `${open311.server.url}/api/v1/kpis?from=${day}T08:00:00Z&to=${day}T12:00:00Z&category=lighting`,
        { headers: { authorization: `Bearer ${testTokens.leader}` } },
      )
      expect(res.status).toBe(200)
      return ((await res.json()) as { tickets: { resolved: number } }).tickets.resolved
    }
    expect(await resolved()).toBe(0)
    const closed = await fmsUpdate(ref, { status: 'CLOSED', updated_datetime: `${day}T10:30:00Z` }, format)
    expect(closed.status).toBe(200)
    const row = await ticketRow(ref)
    expect(row.status).toBe('closed')
    expect((row.resolved_at as Date).toISOString()).toBe(`${day}T10:30:00.000Z`)
    expect((row.closed_at as Date).toISOString()).toBe(`${day}T10:30:00.000Z`)
    expect(await resolved()).toBe(1)
    const one = await get(`requests/${encodeURIComponent(`${testFeedSource}:${ref}`)}.{f}`, format)
    expect(format === 'json' ? one.json[0].status : xmlValues(one.text, 'status')[0]).toBe('closed')
  })

  it('4. a stale update, or one of the same second that loses the tie-break, is answered 409 and changes nothing', async () => {
    const ref = `stale-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T06:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'assigned',
    })
    const stale = await fmsUpdate(
      ref,
      { status: 'FIXED', updated_datetime: '2026-11-27T05:00:00Z', update_id: 's1' },
      format,
    )
    expect(stale.status).toBe(409)
    if (format === 'json')
      expect(stale.json).toEqual([
        { code: 409, description: expect.stringMatching(/updated_datetime .*older/) },
      ])
    else
      expect(stale.text).toMatch(/<errors><error><code>409<\/code><description>updated_datetime [^<]*older/)
    expect((await ticketRow(ref)).status).toBe('assigned')

    // Two updates of the same second: the one that loses the tie-break is refused, the winner stays.
    let refused = 0
    for (let i = 0; i < 20 && refused === 0; i++) {
      const tie = `tie-${format}-${i}`
      await feedTicket({
        ref: tie,
        updatedAt: '2026-11-27T06:00:00Z',
        receivedAt: '2026-11-27T01:00:00Z',
        status: 'received',
      })
      const at = '2026-11-27T07:00:00Z'
      expect((await fmsUpdate(tie, { status: 'IN_PROGRESS', updated_datetime: at }, format)).status).toBe(200)
      const second = await fmsUpdate(tie, { status: 'FIXED', updated_datetime: at }, format)
      const { status } = await ticketRow(tie)
      if (second.status === 409) {
        refused++
        expect(second.text).toContain('same as the request')
        expect(status).toBe('in_progress')
      } else {
        expect(second.status).toBe(200)
        expect(status).toBe('resolved')
      }
    }
    expect(refused).toBe(1)

    // A delivery FixMyStreet repeats (same update_id) gets the update_id it was given, not a 409.
    const first = await fmsUpdate(
      ref,
      { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T08:00:00Z', update_id: 'again' },
      format,
    )
    const again = await fmsUpdate(
      ref,
      { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T08:00:00Z', update_id: 'again' },
      format,
    )
    expect([first.status, again.status]).toEqual([200, 200])
    expect(updateIdOf(again, format)).toBe(updateIdOf(first, format))
  })
})
