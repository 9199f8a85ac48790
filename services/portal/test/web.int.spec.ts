import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PortalService } from '../src/service';
import { signIn, startPortal } from './support';

/** A stand-in for Vite's output: index.html, one hashed asset, one plain file. */
function builtWeb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 's3p-portal-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>S3P</title><div id="root"></div>');
  writeFileSync(path.join(dir, 'assets', 'index-Bx1y2z3A.js'), 'console.log("app");');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('the web application at /', () => {
  let portal: PortalService;

  beforeAll(async () => {
    portal = await startPortal({ WEB_DIR: builtWeb() });
  });
  afterAll(() => portal?.stop());

  it('answers / with index.html, revalidated every time and under a strict content security policy', async () => {
    const answer = await fetch(`${portal.url}/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await answer.text()).toContain('<div id="root">');
  });

  it('answers any other page of the application with index.html (links into it open it there)', async () => {
    for (const page of ['/pilots/p-1', '/pilots/p-1/milestones', '/notifications', '/calls/x?tab=rules']) {
      const answer = await fetch(`${portal.url}${page}`);
      expect({ page, status: answer.status }).toEqual({ page, status: 200 });
      expect(answer.headers.get('cache-control')).toBe('no-cache');
      expect(await answer.text()).toContain('<div id="root">');
    }
    const head = await fetch(`${portal.url}/audit`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('caches hashed assets for a year and revalidates plain files', async () => {
    const asset = await fetch(`${portal.url}/assets/index-Bx1y2z3A.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const icon = await fetch(`${portal.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, not with the page', async () => {
    const answer = await fetch(`${portal.url}/assets/gone-12345678.js`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('leaves /api, /.well-known, health and metrics as they were', async () => {
    for (const apiPath of ['/api/nothing-here', '/api', '/.well-known/nothing']) {
      const answer = await fetch(`${portal.url}${apiPath}`);
      expect({ apiPath, status: answer.status }).toEqual({ apiPath, status: 404 });
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await fetch(`${portal.url}/.well-known/jwks.json`)).headers.get('content-type')).toMatch(
      /^application\/json/,
    );
    expect(await (await fetch(`${portal.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${portal.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${portal.url}/metrics`)).text()).toContain('http_request_duration_seconds');
    const document = await fetch(`${portal.url}/api/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    expect((await signIn(portal.url, 'manager')).status).toBe(200);
  });

  it('gives no page for other methods', async () => {
    const answer = await fetch(`${portal.url}/pilots/p-1`, { method: 'POST' });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('a portal whose web application is not built', () => {
  let portal: PortalService;

  beforeAll(async () => {
    portal = await startPortal({ WEB_DIR: path.join(tmpdir(), 's3p-portal-web-never-built') });
  });
  afterAll(() => portal?.stop());

  it('still starts, and answers / with 503 problem+json saying so', async () => {
    const answer = await fetch(`${portal.url}/`);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get('cache-control')).toBeNull();
    expect(((await answer.json()) as { detail: string }).detail).toMatch(/not built/);
  });

  it('still signs in and serves its API', async () => {
    expect((await signIn(portal.url, 'region-bg41')).status).toBe(200);
    expect((await fetch(`${portal.url}/healthz`)).status).toBe(200);
  });
});
