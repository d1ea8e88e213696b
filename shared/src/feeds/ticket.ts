import { z } from 'zod'
import { feedItemBase, geoPoint, isoDateTime } from './common'

export const ticketStatuses = [
  'received',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'rejected',
] as const
export const ticketChannels = ['app', 'hotline', 'web', 'social', 'open311'] as const

/** Personal data of the citizen who reported; never leaves the server for a display. */
export const reporter = z.object({
  name: z.string().max(200).optional(),
  phone: z.string().max(50).optional(),
  email: z.string().max(200).optional(),
})

/** Attributes a report came with (Open311's `attribute[code]`), kept as sent. */
export const ticketAttributes = z
  .record(z.string().min(1).max(100), z.string().max(2000))
  .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes')

/**
 * A citizen field report (docs/design.md §2). `category` is checked against the city profile by the
 * server, since the list of codes belongs to the profile, not to the contract. A report located
 * only by its address (as Open311 allows) has no `location`, and so no derived ward; one of the
 * two is required (checked with the category, server/src/feeds/normalize.ts).
 */
export const ticketSchema = feedItemBase.extend({
  category: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(10_000).optional(),
  location: geoPoint.optional(),
  address: z.string().max(500).optional(),
  wardCode: z.string().max(16).optional(),
  status: z.enum(ticketStatuses),
  unit: z.string().max(64).optional(),
  receivedAt: isoDateTime,
  dueAt: isoDateTime.optional(),
  resolvedAt: isoDateTime.optional(),
  closedAt: isoDateTime.optional(),
  channel: z.enum(ticketChannels).optional(),
  reporter: reporter.optional(),
  media: z.array(z.url()).max(20).optional(),
  attributes: ticketAttributes.optional(),
})
export type TicketInput = z.infer<typeof ticketSchema>

/** A ticket as stored and sent out: derived fields filled in, `reporter` only for allowed roles. */
export type Ticket = Omit<TicketInput, 'dueAt' | 'wardCode'> & {
  dueAt: string
  wardCode: string | null
}
export type TicketStatus = (typeof ticketStatuses)[number]
