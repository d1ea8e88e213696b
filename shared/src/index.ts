export * from './kpi'
export * from './city'
export * from './feeds'
export * from './live'
