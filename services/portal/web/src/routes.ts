import { useEffect, useState } from 'react';
import type { MessageKey } from './i18n';
import type { Role } from './session';

const everyone: readonly Role[] = [
  'programme-manager',
  'region',
  'reviewer',
  'approver',
  'auditor',
  'expert',
];
const commission: readonly Role[] = ['programme-manager', 'reviewer', 'approver', 'auditor'];

/**
 * The application's pages: the path (`:name` marks a parameter), which roles may open each, and,
 * for the pages of the main navigation, their label. Navigation offers a page only to its roles;
 * the API still decides what each may read or do. The first matching path wins.
 */
export const pages = {
  home: { path: '/', roles: ['service'], label: 'nav.home' },
  region: { path: '/region', roles: ['region'], label: 'nav.region' },
  applicationNew: { path: '/calls/:callId/apply', roles: ['region'] },
  application: { path: '/applications/:id', roles: ['region', ...commission] },
  calls: { path: '/calls', roles: ['programme-manager'], label: 'nav.calls' },
  callNew: { path: '/calls/new', roles: ['programme-manager'] },
  call: { path: '/calls/:id', roles: ['programme-manager', 'region', 'approver', 'auditor'] },
  reviews: { path: '/reviews', roles: ['reviewer'], label: 'nav.reviews' },
  decisions: { path: '/decisions', roles: ['approver'], label: 'nav.decisions' },
  assignments: { path: '/assignments', roles: ['expert'], label: 'nav.assignments' },
  pilots: { path: '/pilots', roles: ['programme-manager', 'approver', 'auditor'], label: 'nav.pilots' },
  pilot: { path: '/pilots/:id', roles: everyone },
  experts: { path: '/experts', roles: ['programme-manager'], label: 'nav.experts' },
  reviewers: { path: '/reviewers', roles: ['programme-manager'], label: 'nav.reviewers' },
  escalations: { path: '/escalations', roles: ['programme-manager'], label: 'nav.escalations' },
  milestones: { path: '/milestones', roles: ['auditor'], label: 'nav.milestones' },
  audit: { path: '/audit', roles: ['auditor'], label: 'nav.audit' },
  dashboard: {
    path: '/dashboard',
    roles: ['programme-manager', 'approver', 'auditor'],
    label: 'nav.dashboard',
  },
  notifications: { path: '/notifications', roles: everyone, label: 'nav.notifications' },
  preferences: { path: '/preferences', roles: everyone },
} as const satisfies Record<string, { path: string; roles: readonly Role[]; label?: MessageKey }>;

export type PageName = keyof typeof pages;
export type Params = Record<string, string>;

const pageNames = Object.keys(pages) as PageName[];

export const mayOpen = (page: PageName, roles: readonly Role[]) =>
  roles.some((role) => (pages[page].roles as readonly Role[]).includes(role));

const labelOf = (page: PageName): MessageKey | undefined =>
  'label' in pages[page] ? (pages[page] as { label: MessageKey }).label : undefined;

/** The pages of the main navigation for a user with these roles, in order, with their labels. */
export const navigationFor = (roles: readonly Role[]) =>
  pageNames.flatMap((page) => {
    const label = labelOf(page);
    return label !== undefined && mayOpen(page, roles) ? [{ page, label }] : [];
  });

/** Where a user lands at `/`: the first page of their role's work. */
export function startPage(roles: readonly Role[]): PageName {
  const order: [Role, PageName][] = [
    ['region', 'region'],
    ['programme-manager', 'calls'],
    ['approver', 'decisions'],
    ['reviewer', 'reviews'],
    ['expert', 'assignments'],
    ['auditor', 'audit'],
  ];
  return order.find(([role]) => roles.includes(role))?.[1] ?? 'home';
}

/** The address of a page, its parameters filled in (encoded). */
export function pathOf(page: PageName, params: Params = {}): string {
  return pages[page].path.replace(/:(\w+)/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathOf(${page}): no ${name}`);
    return encodeURIComponent(value);
  });
}

function match(pattern: string, path: string): Params | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    const value = have[i] as string;
    if (part.startsWith(':')) {
      if (value === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (part !== value) return undefined;
  }
  return params;
}

/** The page at a path, with its parameters, or undefined for no page. `/` is the role's start page. */
export function pageAt(path: string, roles: readonly Role[]): { page: PageName; params: Params } | undefined {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/') return { page: startPage(roles), params: {} };
  for (const page of pageNames) {
    if (page === 'home') continue;
    const params = match(pages[page].path, clean);
    if (params) return { page, params };
  }
  return undefined;
}

const navigated = 's3p:navigate';

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
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

/** A query parameter of the current address (`?call=…`). */
export const queryParam = (name: string): string | undefined =>
  new URLSearchParams(window.location.search).get(name) ?? undefined;
