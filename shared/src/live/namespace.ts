/**
 * The socket.io namespace of the live stream (DESIGN §4). In a module of its own, without zod,
 * so the wall can import it (`@citydeck/shared/live-namespace`) without the feed schemas.
 */
export const liveNamespace = '/live'
