import type { PortalConfig } from './config';

/** The config entries that hold an upstream's base URL. */
type UrlEntry = { [K in keyof PortalConfig]: K extends `${string}_URL` ? K : never }[keyof PortalConfig];

export interface Upstream {
  /** Config entry (and environment variable) with the service's base URL. */
  url: UrlEntry;
  // Public path prefixes the service owns, forwarded unchanged. A `*` segment matches any one
  // non-empty segment and the most specific matching prefix wins (the longest; between equally long ones,
  // the one with fewer `*`), so a service can own a sub-resource of another service's path:
  // experts own '/api/pilots/*/team' and all below it while lifecycle owns the rest of '/api/pilots'.
  paths: readonly string[];
}

/**
 * Which service owns which part of `/api`. Adding a service is one line here and its `*_URL`
 * variable in src/config.ts.
 */
export const upstreams = {
  calls: { url: 'CALLS_URL', paths: ['/api/calls'] },
  applications: { url: 'APPLICATIONS_URL', paths: ['/api/applications'] },
  lifecycle: { url: 'LIFECYCLE_URL', paths: ['/api/pilots', '/api/reviews', '/api/reviewers'] },
  experts: { url: 'EXPERTS_URL', paths: ['/api/experts', '/api/assignments', '/api/pilots/*/team'] },
  reporting: {
    url: 'REPORTING_URL',
    paths: [
      '/api/milestones',
      '/api/pilots/*/milestones',
      '/api/pilots/*/files',
      '/api/files',
      '/api/pilots/*/final-report',
      '/api/pilots/*/timeline',
      '/api/audit',
      '/api/dashboard',
      '/api/exports',
      '/api/open-data',
      '/api/projections',
    ],
  },
  notifications: { url: 'NOTIFICATIONS_URL', paths: ['/api/notifications'] },
} as const satisfies Record<string, Upstream>;

export interface Target {
  service: string;
  /** Base URL the request goes to, with its path and query unchanged. */
  base: URL;
}

export interface RouteTable {
  /** Every upstream service by name, with its base URL. */
  services: ReadonlyMap<string, URL>;
  /** The service that owns this request target (path and query), if any. */
  match(url: string): Target | undefined;
}

const segmentsOf = (path: string) => path.split('/').slice(1);
const wildcards = (segments: string[]) => segments.filter((segment) => segment === '*').length;

export function routeTable(
  config: Pick<PortalConfig, UrlEntry>,
  table: Record<string, Upstream> = upstreams,
): RouteTable {
  const services = new Map(
    Object.entries(table).map(([service, { url }]) => [service, new URL(config[url])]),
  );
  const prefixes = [...services]
    .flatMap(([service, base]) =>
      (table[service]?.paths ?? []).map((path) => ({
        target: { service, base },
        segments: segmentsOf(path),
      })),
    )
    .sort((a, b) => b.segments.length - a.segments.length || wildcards(a.segments) - wildcards(b.segments));
  return {
    services,
    match(url) {
      const segments = segmentsOf(url.split('?', 1)[0] ?? '');
      return prefixes.find(
        (prefix) =>
          prefix.segments.length <= segments.length &&
          prefix.segments.every((segment, i) => (segment === '*' ? !!segments[i] : segment === segments[i])),
      )?.target;
    },
  };
}

/** A path (and query) on an upstream: its base URL's path, if any, then the public path unchanged. */
export const upstreamUrl = (base: URL, path: string) =>
  `${base.origin}${base.pathname.replace(/\/$/, '')}${path}`;

/** Why a request to a service failed: fetch hides the network error (ECONNREFUSED…) in its cause. */
export function reasonOf(error: unknown): string {
  const messageOf = (value: unknown) => (value as { message?: unknown } | undefined)?.message;
  const reason = messageOf((error as { cause?: unknown } | undefined)?.cause) ?? messageOf(error);
  return typeof reason === 'string' ? reason : String(error);
}
