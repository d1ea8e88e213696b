// The wall's browser benchmark lives with the client (client/bench/wall.ts); it writes
// client/bench/results/wall.json. `npm run bench -- wall` runs it alone.
export { run } from '../../client/bench/wall'
