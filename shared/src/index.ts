export * from './city'
export * from './feeds'
export * from './kpi'
export * from './live'
