export * from './keys'
export * from './rank'
export * from './sample'
export * from './scorecard'
