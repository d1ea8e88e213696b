import { describe, expect, it } from 'vitest'
import { formats, open311Server, updateIdOf, xmlValues } from './support/open311'
import { testFeedSource } from './support/test-server'

// Open311 servicerequestupdates as FixMyStreet reads them back: comments and photos kept, times
// in the city time zone, pages oldest first.
const open311 = open311Server()
const { get, feedTicket, ticketRow, fmsUpdate } = open311

describe.each(formats)('FixMyStreet against Open311 (%s)', (format) => {
  it("5. keeps an update's comment and photo and gives back only those; a status change from the feed has no invented text", async () => {
    const ref = `comment-${format}`
    const since = (await open311.server.db.sql`select now() as now`)[0]!.now as Date
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
      media: ['https://example.org/report.jpg'],
    })
    const posted = await fmsUpdate(
      ref,
      {
        status: 'OPEN',
        updated_datetime: '2026-11-27T03:00:00Z',
        description: 'Rác vẫn còn, gọi tôi 0912 345 678',
        media_url: 'https://example.org/still-there.jpg',
        update_id: `fms-comment-${format}`,
      },
      format,
    )
    expect(posted.status).toBe(200)
    const updateId = updateIdOf(posted, format)
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T04:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'assigned',
      media: ['https://example.org/report.jpg'],
    })

    const listed = await get(
      `servicerequestupdates.{f}?start_date=${encodeURIComponent(since.toISOString())}&end_date=2100-01-01T00:00:00Z`,
      format,
    )
    expect(listed.status).toBe(200)
    const id = `${testFeedSource}:${ref}`
    if (format === 'json') {
      const mine = listed.json.filter((u: { service_request_id: string }) => u.service_request_id === id)
      expect(mine).toEqual([
        {
          update_id: updateId,
          service_request_id: id,
          status: 'open',
          updated_datetime: '2026-11-27T03:00:00Z',
          description: expect.stringMatching(/^Rác vẫn còn, gọi tôi (?!0912 345 678)/),
          media_url: 'https://example.org/still-there.jpg',
        },
        {
          update_id: expect.any(String),
          service_request_id: id,
          status: 'action_scheduled',
          updated_datetime: '2026-11-27T04:00:00Z',
          description: '',
          media_url: null,
        },
      ])
    } else {
      const texts = xmlValues(listed.text, 'description')
      expect(texts.some((d) => d.startsWith('Rác vẫn còn, gọi tôi '))).toBe(true)
      expect(listed.text).not.toContain('0912 345 678')
      expect(listed.text).not.toContain('report.jpg')
      expect(listed.text).not.toContain('status: ')
      expect(listed.text).toContain('<media_url>https://example.org/still-there.jpg</media_url>')
    }
  })

  it('6. takes zone-less times in the city time zone (CITY_TZ)', async () => {
    const ref = `local-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T02:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
    })
    // 10:00 in Asia/Ho_Chi_Minh (+07:00) is 03:00Z.
    expect(
      (await fmsUpdate(ref, { status: 'IN_PROGRESS', updated_datetime: '2026-11-27T10:00:00' }, format))
        .status,
    ).toBe(200)
    expect(((await ticketRow(ref)).updated_at as Date).toISOString()).toBe('2026-11-27T03:00:00.000Z')
    // A-and-1 was received at 01:00Z = 08:00 city time.
    const window = await get(
      'requests.{f}?start_date=2026-11-28T07:30:00&end_date=2026-11-28T08:30:00',
      format,
    )
    expect(window.status).toBe(200)
    const ids =
      format === 'json'
        ? window.json.map((r: { service_request_id: string }) => r.service_request_id)
        : xmlValues(window.text, 'service_request_id')
    expect(ids).toEqual([`${testFeedSource}:A&1`])
  })

  it('6. pages servicerequestupdates oldest first, so a busy window loses nothing', async () => {
    const since = (await open311.server.db.sql`select now() as now`)[0]!.now as Date
    const ref = `paged-${format}`
    await feedTicket({
      ref,
      updatedAt: '2026-11-27T01:00:00Z',
      receivedAt: '2026-11-27T01:00:00Z',
      status: 'received',
    })
    const posted: string[] = []
    for (let i = 1; i <= 5; i++) {
      const r = await fmsUpdate(
        ref,
        { description: `bình luận ${i}`, updated_datetime: `2026-11-27T0${i + 1}:00:00Z` },
        format,
      )
      posted.push(updateIdOf(r, format))
    }
    const seen: string[] = []
    let next: string | null =
      `/open311/v2/servicerequestupdates.${format}?start_date=${encodeURIComponent(since.toISOString())}&end_date=2100-01-01T00:00:00Z&page_size=2`
    let pages = 0
    while (next && pages < 10) {
      const res: Response = await fetch(`${open311.server.url}${next}`)
      expect(res.status).toBe(200)
      const text = await res.text()
      const ids =
        format === 'json'
          ? JSON.parse(text).map((u: { update_id: string }) => u.update_id)
          : xmlValues(text, 'update_id')
      expect(ids.length).toBeLessThanOrEqual(2)
      seen.push(...ids)
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(posted)
    const tooBig = await get('servicerequestupdates.{f}?page_size=1001', format)
    expect(tooBig.status).toBe(400)
    expect(tooBig.text).toContain('page_size')
  })
})
