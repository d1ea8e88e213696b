import { loadCity } from './src/city/profile'
import { HOUR } from './src/demo/calendar'
import { loadDemoProfile } from './src/demo/params'
import { Simulator } from './src/demo/simulator'

const config = { CITY_PROFILE: 'phan-thiet', CITY_TZ: undefined } as any
const city = loadCity(config)
const demo = loadDemoProfile(config)
const epoch = Date.parse('2026-01-01T00:00:00+07:00')
const runFrom = Date.parse('2026-03-10T00:00:00+07:00')
const sim = new Simulator(city, demo, {
  seed: 20261128,
  epoch,
  runs: [{ from: runFrom, to: null, rate: 1, storm: false }],
})
const tickets: any[] = []
for (let s = runFrom / HOUR; s < runFrom / HOUR + 48; s++)
  for (const l of sim.slot('tickets', s)) if (l.feed === 'tickets') tickets.push(l.render(0))
tickets.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
let same = 0,
  sameTitle = 0,
  sameAt = 0
for (let i = 1; i < tickets.length; i++) {
  const a = tickets[i - 1],
    b = tickets[i]
  if (a.title === b.title && a.address === b.address) {
    same++
    if (same < 4) console.log('SAME', a.ref, b.ref, a.receivedAt, b.receivedAt, a.title, a.address)
  }
  if (a.title === b.title) sameTitle++
  if (a.receivedAt === b.receivedAt) sameAt++
}
console.log(tickets.length, { same, sameTitle, sameAt })
