import { portalConfig } from '../src/config';
import { routeTable, upstreamUrl } from '../src/routes';

const config = portalConfig.parse({
  CALLS_URL: 'http://calls:8081',
  APPLICATIONS_URL: 'http://apps:9000/base/',
});

describe('the route table', () => {
  const table = routeTable(config);

  it('sends each prefix, with any path below it and any query, to its service', () => {
    expect(table.match('/api/calls')?.service).toBe('calls');
    expect(table.match('/api/calls?status=open')?.service).toBe('calls');
    expect(table.match('/api/calls/0192/publish')?.service).toBe('calls');
    expect(table.match('/api/applications/a1/partners/BG41/confirm')?.service).toBe('applications');
    expect(table.match('/api/calls')?.base.href).toBe('http://calls:8081/');
  });

  it('owns whole segments only, and nothing outside its prefixes', () => {
    for (const path of [
      '/api/callsx',
      '/api/call',
      '/api',
      '/',
      '/api/auth/token',
      '/API/CALLS',
      '/x/api/calls',
    ]) {
      expect({ path, service: table.match(path)?.service }).toEqual({ path, service: undefined });
    }
  });

  it('gives the experts service the team below each pilot, and the lifecycle the rest of the pilot', () => {
    for (const [path, service] of [
      ['/api/pilots', 'lifecycle'],
      ['/api/pilots?stage=implementation', 'lifecycle'],
      ['/api/pilots/p1', 'lifecycle'],
      ['/api/pilots/p1/reviews', 'lifecycle'],
      ['/api/pilots/p1/teams', 'lifecycle'],
      ['/api/pilots/team', 'lifecycle'],
      ['/api/pilots//team', 'lifecycle'],
      ['/api/pilots/p1/team', 'experts'],
      ['/api/pilots/p1/team?view=full', 'experts'],
      ['/api/pilots/p1/team/members/expert01/replace', 'experts'],
      ['/api/pilots/{id}/team', 'experts'],
      ['/api/experts', 'experts'],
      ['/api/experts/expert01', 'experts'],
      ['/api/assignments?mine=true', 'experts'],
      ['/api/assignments/a1/accept', 'experts'],
      ['/api/reviewers/reviewer1', 'lifecycle'],
    ] as const) {
      expect({ path, service: table.match(path)?.service }).toEqual({ path, service });
    }
    expect(table.match('/api/experts')?.base.href).toBe('http://127.0.0.1:8084/');
  });

  it('gives reporting the milestones, files, reports, timeline, audit, figures and exports, and notifications the inboxes', () => {
    for (const [path, service] of [
      ['/api/pilots/p1/milestones', 'reporting'],
      ['/api/milestones?status=overdue', 'reporting'],
      ['/api/milestones/p1-m0/reports', 'reporting'],
      ['/api/pilots/p1/files?name=a.pdf', 'reporting'],
      ['/api/files/f1', 'reporting'],
      ['/api/pilots/p1/final-report/verification', 'reporting'],
      ['/api/pilots/p1/timeline', 'reporting'],
      ['/api/audit/verify', 'reporting'],
      ['/api/dashboard?callId=c1', 'reporting'],
      ['/api/exports/pilots.csv', 'reporting'],
      ['/api/exports/audit.jsonl', 'reporting'],
      ['/api/open-data/calls', 'reporting'],
      ['/api/projections/rebuild', 'reporting'],
      ['/api/notifications?mine=true', 'notifications'],
      ['/api/notifications/preferences', 'notifications'],
      ['/api/pilots/p1/application', 'lifecycle'],
    ] as const) {
      expect({ path, service: table.match(path)?.service }).toEqual({ path, service });
    }
  });

  it('prefers, between equally long prefixes, the one with fewer wildcards, whatever the order of the table', () => {
    const both = {
      calls: { url: 'CALLS_URL', paths: ['/api/pilots/*/team'] },
      applications: { url: 'APPLICATIONS_URL', paths: ['/api/pilots/special/team'] },
    } as const;
    for (const order of [both, { applications: both.applications, calls: both.calls }]) {
      const ordered = routeTable(config, order);
      expect(ordered.match('/api/pilots/special/team/x')?.service).toBe('applications');
      expect(ordered.match('/api/pilots/other/team')?.service).toBe('calls');
    }
  });

  it('lets a service own a sub-resource of another service’s path: the longest prefix wins', () => {
    const future = routeTable(config, {
      calls: { url: 'CALLS_URL', paths: ['/api/pilots', '/api/reviews'] },
      applications: { url: 'APPLICATIONS_URL', paths: ['/api/pilots/*/team', '/api/experts'] },
    });
    expect(future.match('/api/pilots/p1')?.service).toBe('calls');
    expect(future.match('/api/pilots/p1/reviews')?.service).toBe('calls');
    expect(future.match('/api/pilots/p1/team')?.service).toBe('applications');
    expect(future.match('/api/pilots/{id}/team')?.service).toBe('applications');
    expect(future.match('/api/reviews?mine=true')?.service).toBe('calls');
  });

  it('keeps a base URL’s own path in front of the public path', () => {
    expect(upstreamUrl(new URL(config.APPLICATIONS_URL), '/api/applications?x=1')).toBe(
      'http://apps:9000/base/api/applications?x=1',
    );
    expect(upstreamUrl(new URL(config.CALLS_URL), '/openapi.json')).toBe('http://calls:8081/openapi.json');
  });
});

describe('the configuration', () => {
  it('has an embedded default for everything', () => {
    const defaults = portalConfig.parse({ S3P_STATE_DIR: '/var/lib/s3p' });
    expect(defaults).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      AUTH_MODE: 'local',
      AUTH_ISSUER: 'http://localhost:8080',
      AUTH_AUDIENCE: 's3p-api',
      TOKEN_TTL_SECONDS: 3600,
      PORTAL_KEY_DIR: '/var/lib/s3p/portal',
      CALLS_URL: 'http://127.0.0.1:8081',
      APPLICATIONS_URL: 'http://127.0.0.1:8082',
      LIFECYCLE_URL: 'http://127.0.0.1:8083',
      EXPERTS_URL: 'http://127.0.0.1:8084',
      UPSTREAM_TIMEOUT_MS: 30_000,
    });
    expect(portalConfig.parse({}).PORTAL_KEY_DIR).toMatch(/\.local\/state\/s3-pilot\/portal$/);
  });

  it('refuses what it cannot use', () => {
    for (const env of [
      { AUTH_MODE: 'magic' },
      { CALLS_URL: 'not a url' },
      { EXPERTS_URL: 'experts' },
      { PORT: '-1' },
      { TOKEN_TTL_SECONDS: '0' },
    ]) {
      expect(portalConfig.safeParse(env).success).toBe(false);
    }
  });
});
