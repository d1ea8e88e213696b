import type { FeedName, KpiSet, Ticket } from '@citydeck/shared'
import { score766 } from '../../kpi/score766'

// Examples of what the API takes and answers, in the Phan Thiết demo city. The contract test
// checks each against its schema, so an example cannot drift from the code.

export const at = '2026-11-28T08:00:00+07:00'
export const windowExample = { from: '2026-11-27T17:00:00.000Z', to: '2026-11-28T17:00:00.000Z' }

export const feedExamples: Record<FeedName, Record<string, unknown>> = {
  tasks: {
    source: 'theodoi-nhiemvu',
    ref: 'NV-2026-0042',
    updatedAt: at,
    title: 'Xử lý dứt điểm điểm tập kết rác tự phát đường Trần Hưng Đạo',
    unit: 'ubnd-22930',
    issuedBy: 'Chủ tịch UBND thành phố',
    issuedAt: at,
    dueAt: '2026-11-28T16:00:00+07:00',
    status: 'assigned',
    priority: 'urgent',
    subject: { kind: 'ticket', source: 'phanthiet-1022', ref: 'PA-2026-000123' },
  },
  tickets: {
    source: 'phanthiet-1022',
    ref: 'PA-2026-000123',
    updatedAt: at,
    category: 'waste',
    title: 'Rác tồn đọng trước chợ Phan Thiết',
    location: { lat: 10.932, lng: 108.1 },
    address: 'Trần Hưng Đạo, Phú Trinh',
    status: 'received',
    receivedAt: at,
    channel: 'hotline',
    reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
  },
  dossiers: {
    source: 'dvc-binhthuan',
    ref: 'H10.29-261128-0001',
    updatedAt: at,
    procedureCode: '1.001612',
    channel: 'online',
    status: 'received',
    receivedAt: at,
    dueAt: '2026-12-03T17:00:00+07:00',
    digitizedInput: true,
  },
  surveys: {
    source: 'phanthiet-1022',
    ref: 'KS-889',
    updatedAt: at,
    submittedAt: at,
    score: 5,
    subject: { kind: 'ticket', source: 'phanthiet-1022', ref: 'PA-2026-000123' },
  },
  procedures: {
    source: 'csdl-tthc',
    ref: '1.001612',
    updatedAt: at,
    code: '1.001612',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'full',
    provincialPortal: true,
    nationalPortal: true,
    feeBearing: false,
  },
}

/** A stored ticket as a leader reads it (derived `dueAt` and `wardCode` filled in). */
export const ticketExample: Ticket = {
  ...(feedExamples.tickets as Omit<Ticket, 'dueAt' | 'wardCode'>),
  dueAt: '2026-11-29T08:00:00+07:00',
  wardCode: '22930',
  unit: 'ubnd-22930',
}

export const kpiSetExample: KpiSet = {
  tickets: {
    received: 42,
    resolved: 35,
    resolvedOnTime: 31,
    onTimeRate: 0.886,
    open: 57,
    overdue: 6,
    medianResolveMinutes: 312,
  },
  dossiers: {
    received: 120,
    onlineRate: 0.74,
    finished: 98,
    onTimeRate: 0.969,
    progressRate: 0.95,
    open: 60,
    overdueOpen: 3,
    avgProcessingDays: 2.4,
    digitizedInputRate: 0.81,
    digitizedResultRate: 0.77,
    onlinePaymentRate: 0.52,
  },
  procedures: { total: 1843, fullOnline: 1020, partialOnline: 420, nationalPortal: 1390, onlineShare: 0.781 },
  satisfaction: { responses: 64, rate: 0.906, avgScore: 4.4 },
  tasks: { issued: 5, done: 3, doneOnTime: 3, onTimeRate: 1, open: 4, overdue: 1 },
}

const noFilters = { ward: null, unit: null, category: null }

export const kpiResponseExample = {
  ...kpiSetExample,
  window: windowExample,
  filters: noFilters,
  score766: score766(kpiSetExample),
}

export const breakdownExample = {
  by: 'ward',
  window: windowExample,
  filters: noFilters,
  groups: [{ key: '22930', label: 'Phường Phú Trinh', kpis: kpiSetExample }],
}

const unitFigures = {
  tickets: { received: 12, resolved: 9, onTimeRate: 0.778, medianResolveMinutes: 280, overdue: 2 },
  dossiers: { finished: 30, onTimeRate: 0.967, overdueOpen: 1 },
  tasks: { issued: 2, done: 1, onTimeRate: 1, overdue: 1 },
  satisfaction: { responses: 8, rate: 0.875 },
}

export const scorecardExample = {
  window: windowExample,
  previousWindow: { from: '2026-11-26T17:00:00.000Z', to: '2026-11-27T17:00:00.000Z' },
  units: [
    { unit: 'ubnd-22930', name: 'UBND Phường Phú Trinh', rank: 1, ...unitFigures, previous: unitFigures },
  ],
}
