import type vi from '../vi/units'

/** English strings of unit scorecards: the same keys as vi/units.ts. */
export default {
  units: {
    nav: 'Units',
    title: 'Unit scorecard',
    intro:
      'Slowest unit first: most overdue work first, then the lowest on-time rate (counted only over at least {min} items).',
    compared: 'Figures {period}, compared with {previous}',
    period: 'Period',
    before: 'before {value}',
    loading: 'Loading unit figures…',
    loadError: 'Could not load the units table: {message}',
    empty: 'No unit had work in this period.',
    trendLabel: '{unit}: overdue work over the last 30 days, today {value}',
    cols: {
      rank: 'Rank',
      unit: 'Unit',
      overdue: 'Overdue work',
      ticketsReceived: 'Tickets in',
      ticketsOnTime: 'Tickets on time',
      dossiersOverdue: 'Dossiers overdue',
      dossiersOnTime: 'Dossiers on time',
      tasksOverdue: 'Tasks overdue',
      tasksOnTime: 'Tasks on time',
      satisfaction: 'Satisfied',
      trend: 'Overdue, 30 days',
    },
    detail: {
      open: 'Scorecard of {unit}',
      back: 'All units',
      rank: 'Rank {rank} of {count} (1 = slowest)',
      unranked: 'Not in this period’s ranking',
      overdueTickets: 'Overdue tickets',
      overdueDossiers: 'Overdue dossiers',
      overdueTasks: 'Overdue tasks',
      none: 'Nothing overdue.',
      due: 'due {time}',
      more: 'See all',
      trend: 'Overdue work at the end of each day, last 30 days',
    },
  },
  overdueList: {
    sla: 'Deadline',
    all: 'All',
    overdue: 'Overdue',
    soon: 'Due within 1 h',
    ontime: 'On time',
    status: 'Status',
    byDeadline: 'Soonest deadline first',
  },
} satisfies typeof vi
