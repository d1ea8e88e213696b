/**
 * The wall's scenes as data: each is a full-screen grid and the panels placed in it. A control
 * room rearranges a scene here without touching a component. `wide` is the layout for a 32:9 strip.
 */
export const sceneIds = ['overview', 'tickets', 'procedures', 'satisfaction', 'units'] as const
export type SceneId = (typeof sceneIds)[number]

export type Accent = 'tickets' | 'dossiers' | 'satisfaction' | 'tasks'
export type NumberStyle = 'integer' | 'percent' | 'decimal'
export type WindowName = 'today' | 'days30' | 'months12'
/** A KPI key path of docs/design.md §3, e.g. `tickets.onTimeRate`. */
export type MetricPath = `${'tickets' | 'dossiers' | 'procedures' | 'satisfaction' | 'tasks'}.${string}`

export type TileSpec = {
  metric: MetricPath
  label: string
  format: NumberStyle
  accent: Accent
  warnAbove?: number
  /** For a rate: the count it is over; under MIN_SAMPLE the tile reads as the count (`3/3`), muted. */
  sample?: MetricPath
}

export type PanelSpec =
  | { area: string; panel: 'tiles'; tiles: TileSpec[]; columns?: number; window?: WindowName }
  | { area: string; panel: 'map'; choropleth: 'open' | 'onTimeRate' }
  | { area: string; panel: 'ticker' }
  | { area: string; panel: 'slaBoard' }
  | {
      area: string
      panel: 'bars'
      title: string
      by: 'category' | 'ward' | 'unit'
      metric: MetricPath
      window: WindowName
      numbers: NumberStyle
      accent: Accent
      limit?: number
      /** `lowest`: the bottom of the list first (who is behind), not the top. */
      order?: 'highest' | 'lowest'
      /** For a rate: the count it is over; groups under MIN_SAMPLE are left out (not ranked on 2 answers). */
      sample?: MetricPath
    }
  | {
      area: string
      panel: 'trend'
      title: string
      metric: MetricPath
      window: WindowName
      monthly?: boolean
      target?: number
      numbers: NumberStyle
      accent: Accent
    }
  | { area: string; panel: 'gauges766'; window: WindowName }
  | { area: string; panel: 'catalog' }
  | { area: string; panel: 'comments' }
  /** The unit league table (docs/design.md §10), worst first, from the scorecard. */
  | { area: string; panel: 'unitsTable'; window: WindowName; limit: number }

export type GridSpec = { columns: string; rows: string; areas: string[] }
export type SceneSpec = { id: SceneId; title: string; grid: GridSpec; wide: GridSpec; panels: PanelSpec[] }

const t = (key: string) => `wall.${key}`

const ticketTiles: TileSpec[] = [
  { metric: 'tickets.received', label: t('kpi.ticketsToday'), format: 'integer', accent: 'tickets' },
  { metric: 'tickets.open', label: t('kpi.ticketsOpen'), format: 'integer', accent: 'tickets' },
  {
    metric: 'tickets.overdue',
    label: t('kpi.ticketsOverdue'),
    format: 'integer',
    accent: 'tickets',
    warnAbove: 0,
  },
  {
    metric: 'tickets.onTimeRate',
    label: t('kpi.ticketsOnTime'),
    format: 'percent',
    accent: 'tickets',
    sample: 'tickets.resolved',
  },
]
const serviceTiles: TileSpec[] = [
  { metric: 'dossiers.received', label: t('kpi.dossiersToday'), format: 'integer', accent: 'dossiers' },
  {
    metric: 'dossiers.onTimeRate',
    label: t('kpi.dossiersOnTime'),
    format: 'percent',
    accent: 'dossiers',
    sample: 'dossiers.finished',
  },
  {
    metric: 'dossiers.onlineRate',
    label: t('kpi.dossiersOnline'),
    format: 'percent',
    accent: 'dossiers',
    sample: 'dossiers.received',
  },
  {
    metric: 'satisfaction.rate',
    label: t('kpi.satisfaction'),
    format: 'percent',
    accent: 'satisfaction',
    sample: 'satisfaction.responses',
  },
]

/** Direction (docs/design.md §9): the units' open tasks and those past their deadline, now. */
const taskTiles: TileSpec[] = [
  { metric: 'tasks.open', label: t('kpi.tasksOpen'), format: 'integer', accent: 'tasks' },
  { metric: 'tasks.overdue', label: t('kpi.tasksOverdue'), format: 'integer', accent: 'tasks', warnAbove: 0 },
]

export const scenes: Record<SceneId, SceneSpec> = {
  overview: {
    id: 'overview',
    title: t('scene.overview'),
    grid: { columns: '1.75fr 1fr', rows: 'auto 1fr', areas: ['map tiles', 'map ticker'] },
    wide: { columns: '1fr 1.7fr 0.9fr', rows: '1fr', areas: ['tiles map ticker'] },
    panels: [
      { area: 'tiles', panel: 'tiles', columns: 2, tiles: [...ticketTiles, ...serviceTiles, ...taskTiles] },
      { area: 'map', panel: 'map', choropleth: 'open' },
      { area: 'ticker', panel: 'ticker' },
    ],
  },
  tickets: {
    id: 'tickets',
    title: t('scene.tickets'),
    grid: {
      columns: '1.15fr 1fr 1fr',
      rows: 'auto 1fr 1fr',
      areas: ['tiles tiles tiles', 'board category ward', 'board trend trend'],
    },
    wide: {
      columns: '1.2fr 1fr 1fr 1fr',
      rows: 'auto 1fr',
      areas: ['board tiles tiles tiles', 'board category ward trend'],
    },
    panels: [
      { area: 'tiles', panel: 'tiles', tiles: ticketTiles },
      { area: 'board', panel: 'slaBoard' },
      {
        area: 'category',
        panel: 'bars',
        title: t('chart.openByCategory'),
        by: 'category',
        metric: 'tickets.open',
        window: 'today',
        numbers: 'integer',
        accent: 'tickets',
      },
      {
        area: 'ward',
        panel: 'bars',
        title: t('chart.openByWard'),
        by: 'ward',
        metric: 'tickets.open',
        window: 'today',
        numbers: 'integer',
        accent: 'tickets',
        limit: 10,
      },
      {
        area: 'trend',
        panel: 'trend',
        title: t('chart.ticketsOnTimeTrend'),
        metric: 'tickets.onTimeRate',
        window: 'days30',
        numbers: 'percent',
        accent: 'tickets',
      },
    ],
  },
  procedures: {
    id: 'procedures',
    title: t('scene.procedures'),
    grid: {
      columns: '1fr 1fr 1fr',
      rows: '1fr 1fr',
      areas: ['gauges gauges catalog', 'online online units'],
    },
    wide: { columns: '1.4fr 1.2fr 1fr 0.8fr', rows: '1fr', areas: ['gauges online units catalog'] },
    panels: [
      { area: 'gauges', panel: 'gauges766', window: 'months12' },
      { area: 'catalog', panel: 'catalog' },
      {
        area: 'online',
        panel: 'trend',
        title: t('chart.onlineShareTrend'),
        metric: 'dossiers.onlineRate',
        window: 'months12',
        monthly: true,
        target: 0.5,
        numbers: 'percent',
        accent: 'dossiers',
      },
      {
        area: 'units',
        panel: 'bars',
        title: t('chart.overdueByUnit'),
        by: 'unit',
        metric: 'dossiers.overdueOpen',
        window: 'today',
        numbers: 'integer',
        accent: 'dossiers',
        limit: 8,
      },
    ],
  },
  satisfaction: {
    id: 'satisfaction',
    title: t('scene.satisfaction'),
    grid: {
      columns: '1fr 1fr 1fr',
      rows: 'auto 1fr 1fr',
      areas: ['tiles tiles comments', 'unit ward comments', 'trend trend comments'],
    },
    wide: {
      columns: '1fr 1fr 1fr 1fr',
      rows: 'auto 1fr',
      areas: ['tiles tiles trend comments', 'unit ward trend comments'],
    },
    panels: [
      {
        area: 'tiles',
        panel: 'tiles',
        columns: 3,
        window: 'days30',
        tiles: [
          {
            metric: 'satisfaction.rate',
            label: t('kpi.satisfactionRate30'),
            format: 'percent',
            accent: 'satisfaction',
            sample: 'satisfaction.responses',
          },
          {
            metric: 'satisfaction.avgScore',
            label: t('kpi.avgScore30'),
            format: 'decimal',
            accent: 'satisfaction',
          },
          {
            metric: 'satisfaction.responses',
            label: t('kpi.responses30'),
            format: 'integer',
            accent: 'satisfaction',
          },
        ],
      },
      {
        area: 'unit',
        panel: 'bars',
        title: t('chart.satisfactionByUnit'),
        by: 'unit',
        metric: 'satisfaction.rate',
        window: 'days30',
        numbers: 'percent',
        accent: 'satisfaction',
        limit: 8,
        order: 'lowest',
        sample: 'satisfaction.responses',
      },
      {
        area: 'ward',
        panel: 'bars',
        title: t('chart.satisfactionByWard'),
        by: 'ward',
        metric: 'satisfaction.rate',
        window: 'days30',
        numbers: 'percent',
        accent: 'satisfaction',
        limit: 8,
        order: 'lowest',
        sample: 'satisfaction.responses',
      },
      {
        area: 'trend',
        panel: 'trend',
        title: t('chart.satisfactionTrend'),
        metric: 'satisfaction.rate',
        window: 'days30',
        numbers: 'percent',
        accent: 'satisfaction',
      },
      { area: 'comments', panel: 'comments' },
    ],
  },
  units: {
    id: 'units',
    title: t('scene.units'),
    grid: { columns: '1fr', rows: '1fr', areas: ['table'] },
    wide: { columns: '1fr', rows: '1fr', areas: ['table'] },
    panels: [{ area: 'table', panel: 'unitsTable', window: 'days30', limit: 10 }],
  },
}
