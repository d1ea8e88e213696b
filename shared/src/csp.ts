import { config } from 'zod'

// Imported for its effect, first thing in the browser (client/src/app/main.ts): citydeck's
// Content-Security-Policy allows no eval, and zod probes `new Function` to compile its object
// parsers as each schema is built; the probe, although caught, is reported as a CSP violation.
// The server never imports this and keeps zod's faster compiled parsers.
config({ jitless: true })
