/**
 * Chart text and line colours per theme. A module without ECharts, so a screen that only needs a
 * colour (the wall's SVG charts, its panels) never pulls the chart library in; ECharts draws on
 * canvas and cannot read the CSS variables these mirror.
 */
export const chartThemes = {
  dark: { text: '#eef3fb', dim: '#9fb3d1', faint: '#6f86a8', line: '#26406b', panel: '#12264a' },
  light: { text: '#13243f', dim: '#4a5d7a', faint: '#6b7c96', line: '#c9d4e5', panel: '#ffffff' },
} as const

/** The wall's colours (dark theme) with one accent per feed, matching base.css. */
export const chartColours = {
  tickets: '#4cc9f0',
  dossiers: '#f4b942',
  satisfaction: '#8bd17c',
  tasks: '#c3a6ff',
  ...chartThemes.dark,
  target: '#eef3fb',
} as const

/** The wall's chart font, as its text elsewhere. */
export const chartFontFamily = "'Be Vietnam Pro', sans-serif"
