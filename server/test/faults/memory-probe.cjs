// Preloaded into fault-suite servers (node --expose-gc --require): on SIGUSR2, a full garbage
// collection, then the memory that is still held, on stdout. What a case measures is retained
// memory, not garbage that a collection had not yet come to.
process.on('SIGUSR2', () => {
  globalThis.gc?.()
  const m = process.memoryUsage()
  process.stdout.write(`\nfaults-memory ${m.heapUsed} ${m.rss}\n`)
})
