import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { leaderGuard } from '../components/leader/guard'
import { type createAppI18n, loadLeaderMessages } from './i18n'

/** Screens by route; each page is loaded on demand so the wall ships only what it draws. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: () => import('../pages/LeaderPage.vue'),
    props: { view: 'city' },
    meta: { leader: true },
  },
  {
    // The same page as the city's: opening a ward keeps the page, its map and the city's numbers
    // (dimmed) on screen until the ward's arrive, and the map flies to the ward.
    path: '/ward/:code',
    name: 'ward',
    component: () => import('../pages/LeaderPage.vue'),
    props: { view: 'ward' },
    meta: { leader: true },
  },
  {
    path: '/tickets',
    name: 'tickets',
    component: () => import('../pages/TicketsPage.vue'),
    meta: { leader: true },
  },
  {
    path: '/dossiers',
    name: 'dossiers',
    component: () => import('../pages/DossiersPage.vue'),
    meta: { leader: true },
  },
  {
    path: '/tickets/:source/:ref',
    component: () => import('../pages/ItemPage.vue'),
    props: { kind: 'tickets' },
    meta: { leader: true },
  },
  {
    path: '/dossiers/:source/:ref',
    component: () => import('../pages/ItemPage.vue'),
    props: { kind: 'dossiers' },
    meta: { leader: true },
  },
  {
    path: '/units',
    name: 'units',
    component: () => import('../pages/UnitsPage.vue'),
    meta: { leader: true },
  },
  {
    // `:unit`, not `:code`: the filters store reads `:code` as the ward.
    path: '/units/:unit',
    name: 'unitDetail',
    component: () => import('../pages/UnitDetailPage.vue'),
    meta: { leader: true },
  },
  {
    path: '/briefings',
    name: 'briefings',
    component: () => import('../pages/BriefingsPage.vue'),
    meta: { leader: true },
  },
  {
    path: '/tasks',
    name: 'tasks',
    component: () => import('../pages/TasksPage.vue'),
    meta: { leader: true },
  },
  {
    path: '/tasks/:source/:ref',
    component: () => import('../pages/TaskPage.vue'),
    meta: { leader: true, unit: true },
  },
  { path: '/unit', name: 'unit', component: () => import('../pages/UnitPage.vue'), meta: { unit: true } },
  { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue') },
  { path: '/snapshots/:id', name: 'snapshot', component: () => import('../pages/SnapshotPage.vue') },
  { path: '/wall', name: 'wall', component: () => import('../pages/WallPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/**
 * Starts loading a lazily imported route component (`() => import(...)`); the router's own call
 * later finds the module loaded. A component itself (an object, or a functional component with
 * its options) is left alone, as the router tells them apart.
 */
function loadLazy(component: unknown): Promise<unknown> | undefined {
  if (typeof component !== 'function') return undefined
  if ('displayName' in component || 'props' in component || '__vccOpts' in component) return undefined
  return Promise.resolve((component as () => unknown)()).catch(() => undefined)
}

export function createAppRouter(i18n: ReturnType<typeof createAppI18n>) {
  const router = createRouter({ history: createWebHistory(), routes })
  // Every screen but the wall speaks with the leader view's strings: they load before it shows.
  // The page's own chunk is fetched beside them, not after (a printed snapshot waits on both).
  router.beforeEach(async (to) => {
    if (to.name === 'wall') return
    for (const record of to.matched) void loadLazy(record.components?.default)
    await loadLeaderMessages(i18n)
  })
  router.beforeEach(leaderGuard)
  return router
}
