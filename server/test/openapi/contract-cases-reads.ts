import { expect } from 'vitest'
import { fuzzSource } from '../fuzz/target'
import { type ContractContext, iso, now, otherUnit, unit } from './contract-fixtures'

// Cases of the contract test over what the feeds stored: items, KPIs, directives and tasks, alerts.

export async function items({ api }: ContractContext): Promise<void> {
  const page = await api.call('listTickets', 200, { path: '/api/v1/tickets?limit=1', as: 'leader' })
  expect(page.body.items[0].reporter).toBeDefined()
  await api.call('listTickets', 200, { path: `/api/v1/tickets?cursor=${page.body.nextCursor}`, as: 'unit' })
  const ward = await api.call('listTickets', 400, { path: '/api/v1/tickets?ward=99999', as: 'leader' })
  expect(ward.body.error.field).toBe('ward')
  await api.call('listTickets', 400, { path: '/api/v1/tickets?cursor=nope', as: 'leader' })
  await api.call('listTickets', 401, { path: '/api/v1/tickets' })
  await api.call('listTickets', 403, { path: '/api/v1/tickets', as: 'display' })
  await api.call('listTickets', 403, { path: `/api/v1/tickets?unit=${otherUnit}`, as: 'unit' })
  await api.call('getTicket', 200, { path: `/api/v1/tickets/${fuzzSource}/ct-1`, as: 'leader' })
  await api.call('getTicket', 403, { path: `/api/v1/tickets/${fuzzSource}/ct-2`, as: 'unit' })
  await api.call('getTicket', 404, { path: `/api/v1/tickets/${fuzzSource}/none`, as: 'leader' })
  await api.call('listDossiers', 200, { path: '/api/v1/dossiers', as: 'unit' })
  await api.call('listDossiers', 400, { path: '/api/v1/dossiers?ward=99999', as: 'leader' })
  await api.call('getDossier', 200, { path: `/api/v1/dossiers/${fuzzSource}/cd-1`, as: 'admin' })
  await api.call('getDossier', 404, { path: `/api/v1/dossiers/${fuzzSource}/none`, as: 'admin' })
  await api.call('listProcedures', 200, { path: '/api/v1/procedures', as: 'unit' })
  await api.call('listProcedures', 403, { path: '/api/v1/procedures', as: 'display' })
}

export async function kpis({ api }: ContractContext): Promise<void> {
  await api.call('getKpis', 200, { path: '/api/v1/kpis', as: 'display' })
  await api.call('getKpis', 200, {
    path: `/api/v1/kpis?from=${encodeURIComponent(iso(-86_400_000))}&ward=22930`,
    as: 'leader',
  })
  await api.call('getKpis', 400, { path: '/api/v1/kpis?ward=99999', as: 'leader' })
  await api.call('getKpis', 401, { path: '/api/v1/kpis' })
  await api.call('getKpis', 403, { path: '/api/v1/kpis', as: 'feed' })
  for (const by of ['ward', 'unit', 'category', 'procedure', 'field', 'day', 'hour']) {
    await api.call('getKpiBreakdown', 200, { path: `/api/v1/kpis/breakdown?by=${by}`, as: 'display' })
  }
  await api.call('getKpiBreakdown', 400, { path: '/api/v1/kpis/breakdown', as: 'display' })
  await api.call('getUnitScorecard', 200, { path: '/api/v1/units/scorecard', as: 'leader' })
  await api.call('getUnitScorecard', 400, { path: '/api/v1/units/scorecard?from=yesterday', as: 'leader' })
  const day = new Date(now).toISOString().slice(0, 10)
  const leaderView = `/api/v1/leader-view?view=city&preset=custom&from=${day}&to=${day}`
  await api.call('getLeaderView', 200, { path: leaderView, as: 'leader' })
  await api.call('getLeaderView', 200, { path: `${leaderView}&ward=22930`, as: 'display' })
  await api.call('getLeaderView', 200, {
    path: leaderView.replace('view=city', 'view=dossiers'),
    as: 'unit',
  })
  await api.call('getLeaderView', 400, { path: '/api/v1/leader-view?view=wall', as: 'leader' })
  await api.call('getLeaderView', 401, { path: leaderView })
  await api.call('getLeaderView', 403, { path: leaderView, as: 'feed' })
}

export async function direction({ api }: ContractContext): Promise<void> {
  const made = await api.call('issueDirective', 201, {
    path: '/api/v1/directives',
    as: 'leader',
    body: { unit, instruction: 'Thu gom rác trước chợ', priority: 'urgent' },
  })
  await api.call('issueDirective', 400, {
    path: '/api/v1/directives',
    as: 'leader',
    raw: '{',
    type: 'application/json',
  })
  await api.call('issueDirective', 415, {
    path: '/api/v1/directives',
    as: 'leader',
    raw: '{}',
    type: 'text/plain',
  })
  await api.call('issueDirective', 422, {
    path: '/api/v1/directives',
    as: 'leader',
    body: { instruction: 'x' },
  })
  await api.call('issueDirective', 403, {
    path: '/api/v1/directives',
    as: 'display',
    body: { unit, instruction: 'x' },
  })
  const task = `/api/v1/tasks/${made.body.source}/${made.body.ref}`
  await api.call('listTasks', 200, { path: '/api/v1/tasks', as: 'unit' })
  await api.call('listTasks', 400, { path: '/api/v1/tasks?ward=99999', as: 'leader' })
  await api.call('listTasks', 403, { path: `/api/v1/tasks?unit=${otherUnit}`, as: 'unit' })
  await api.call('getTask', 200, { path: task, as: 'unit' })
  await api.call('getTask', 404, { path: '/api/v1/tasks/citydeck/none', as: 'leader' })
  const reports = `${task}/reports`
  await api.call('reportOnTask', 200, {
    path: reports,
    as: 'unit',
    body: { status: 'in_progress', progress: 40, note: 'Đang xử lý' },
  })
  await api.call('reportOnTask', 400, { path: reports, as: 'unit', raw: 'note', type: 'application/json' })
  await api.call('reportOnTask', 415, {
    path: reports,
    as: 'unit',
    raw: 'note=x',
    type: 'application/x-www-form-urlencoded',
  })
  await api.call('reportOnTask', 422, { path: reports, as: 'unit', body: { progress: 101, note: 'x' } })
  await api.call('reportOnTask', 404, {
    path: '/api/v1/tasks/citydeck/none/reports',
    as: 'leader',
    body: { note: 'x' },
  })
  await api.call('reportOnTask', 200, { path: reports, as: 'unit', body: { status: 'done', note: 'Xong' } })
  await api.call('reportOnTask', 409, { path: reports, as: 'unit', body: { note: 'Lại' } })
}

export async function alerts({ api, server }: ContractContext): Promise<void> {
  const ack = `/api/v1/alerts/ticket_overdue/${fuzzSource}/ct-late/ack`
  for (let waited = 0; waited < 20_000; waited += 200) {
    const [row] = await server.deps
      .sql`select count(*)::int as n from alerts where item_id = ${`${fuzzSource}:ct-late`}`
    if (row!.n > 0) break
    await new Promise((r) => setTimeout(r, 200))
  }
  await api.call('acknowledgeAlert', 400, { path: ack, as: 'leader', raw: '', type: 'application/json' })
  await api.call('acknowledgeAlert', 415, { path: ack, as: 'leader', raw: '{}' })
  await api.call('acknowledgeAlert', 422, {
    path: ack,
    as: 'leader',
    body: { directive: { instruction: '' } },
  })
  const acked = await api.call('acknowledgeAlert', 200, {
    path: ack,
    as: 'leader',
    body: { note: 'Đã giao phường', directive: { unit, instruction: 'Xử lý trong 4 giờ' } },
  })
  expect(acked.body.directed.unit).toBe(unit)
  await api.call('acknowledgeAlert', 404, {
    path: `/api/v1/alerts/ticket_overdue/${fuzzSource}/ct-1/ack`,
    as: 'leader',
    body: {},
  })
  await api.call('acknowledgeAlert', 404, {
    path: `/api/v1/alerts/fire/${fuzzSource}/ct-1/ack`,
    as: 'leader',
    body: {},
  })
}
