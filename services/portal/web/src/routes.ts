import { useEffect, useState } from 'react';
import type { MessageKey } from './i18n';
import type { Role } from './session';

/** The application's pages, and which roles each is for: navigation offers a page only to them. */
export const pages = {
  home: {
    path: '/',
    label: 'nav.home',
    roles: ['programme-manager', 'reviewer', 'approver', 'expert', 'service'],
  },
  region: { path: '/region', label: 'nav.region', roles: ['region'] },
  audit: { path: '/audit', label: 'nav.audit', roles: ['auditor'] },
  notifications: {
    path: '/notifications',
    label: 'nav.notifications',
    roles: ['programme-manager', 'region', 'reviewer', 'approver', 'auditor', 'expert'],
  },
} as const satisfies Record<string, { path: string; label: MessageKey; roles: readonly Role[] }>;

export type PageName = keyof typeof pages;

const pageNames = Object.keys(pages) as PageName[];

export const mayOpen = (page: PageName, roles: readonly Role[]) =>
  roles.some((role) => (pages[page].roles as readonly Role[]).includes(role));

/** The pages a user with these roles may open, in navigation order. */
export const pagesFor = (roles: readonly Role[]) => pageNames.filter((page) => mayOpen(page, roles));

/** Where a user lands: the first page of their role (a region its calls and pilots, an auditor the audit). */
export function startPage(roles: readonly Role[]): PageName {
  if (roles.includes('region')) return 'region';
  if (roles.includes('auditor')) return 'audit';
  return pagesFor(roles)[0] ?? 'notifications';
}

/**
 * Places the notifications link to (`/calls/{id}`, `/pilots/{id}`, `/applications/{id}`) whose own
 * pages are still to come: a region sees them on its calls-and-pilots page, anyone else on their
 * start page.
 */
const comingPlaces = /^\/(calls|pilots|applications)(\/|$)/;

/** The page at a path for a user with these roles, or undefined for no page. */
export function pageAt(path: string, roles: readonly Role[]): PageName | undefined {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/') return startPage(roles);
  if (comingPlaces.test(clean)) return roles.includes('region') ? 'region' : startPage(roles);
  return pageNames.find((page) => page !== 'home' && pages[page].path === clean);
}

const navigated = 's3p:navigate';

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(navigated));
}

/** The current path, following the links of the application and the browser's back and forward. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(navigated, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(navigated, update);
    };
  }, []);
  return path;
}
