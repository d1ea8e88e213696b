#!/usr/bin/env node
// `npx citydeck-import <feed> <file.csv>`: the CSV backfill as a command of its own, so that its
// exit status (0 all stored, 3 some rows rejected, 1 failed) reaches a script as it is, without
// npm's lifecycle error around it. TypeScript runs through tsx's loader in this same process.
const { register } = await import('tsx/esm/api')
register()
await import('../src/feeds/import-cli.ts')
