export * from './profile'
