import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiDescription, createServiceApp } from '@s3p/service-kit';
import { Router } from 'express';
import pino from 'pino';
import type { PortalConfig } from '../src/config';
import { portalConfig } from '../src/config';
import { upstreams } from '../src/routes';
import type { PortalService } from '../src/service';
import { startPortalService } from '../src/service';

export const silent = pino({ level: 'silent' });

export const keyDir = () => path.join(mkdtempSync(path.join(tmpdir(), 's3p-portal-test-')), 'portal');

/** The portal's config as the environment would give it, on a free port, with a key of its own. */
export function configOf(env: Record<string, string> = {}): PortalConfig {
  return portalConfig.parse({ PORT: '0', PORTAL_KEY_DIR: keyDir(), ...env });
}

/**
 * A portal whose upstreams are the given URLs; every other upstream is an idle service (ready,
 * no routes), so that a test of two services does not depend on what else runs on the machine.
 */
export async function startPortal(env: Record<string, string> = {}): Promise<PortalService> {
  const idle = await Promise.all(
    Object.entries(upstreams)
      .filter(([, upstream]) => env[upstream.url] === undefined)
      .map(async ([name, upstream]) => {
        const { app } = createServiceApp({
          name,
          logger: silent,
          routes: Router(),
          api: new ApiDescription(`S3P ${name}`, '0.1.0'),
        });
        return { entry: upstream.url, server: await listen(createServer(app)) };
      }),
  );
  const portal = await startPortalService(
    configOf({ ...Object.fromEntries(idle.map(({ entry, server }) => [entry, server.url])), ...env }),
    silent,
  );
  return {
    ...portal,
    stop: async () => {
      await portal.stop();
      await Promise.all(idle.map(({ server }) => server.close()));
    },
  };
}

/** What /readyz says of the upstreams when all of them answer. */
export const everyUpstreamReady = () =>
  Object.fromEntries(Object.keys(upstreams).map((name) => [name, 'ready']));

/** Listens on a free port of 127.0.0.1; the answer is its base URL and a way to close it. */
export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function signIn(portal: string, username: string, password = 'demo'): Promise<Response> {
  return fetch(`${portal}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}
