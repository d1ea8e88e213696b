import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

/** Screens by route; each page is loaded on demand so the wall ships only what it draws. */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('../pages/HomePage.vue') },
  { path: '/wall', name: 'wall', component: () => import('../pages/WallPage.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHistory(), routes })
}
