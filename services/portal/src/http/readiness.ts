import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReadinessCheck } from '@s3p/service-kit';
import type { RouteTable } from '../routes';
import { reasonOf, upstreamUrl } from '../routes';

// Short: whoever polls /readyz (infra/local, an orchestrator) waits for the slowest service.
const upstreamCheckMs = 1_000;

async function upstreamState(base: URL): Promise<string> {
  try {
    const answer = await fetch(upstreamUrl(base, '/readyz'), {
      signal: AbortSignal.timeout(upstreamCheckMs),
    });
    return answer.ok ? 'ready' : `not ready (${answer.status})`;
  } catch (error) {
    return `unreachable: ${reasonOf(error)}`;
  }
}

/**
 * `/readyz`: ready once the portal can do its own work, which for the local issuer means its
 * signing key is loaded (the portal listens only after that). Each upstream's readiness is reported
 * but does not gate the portal's: the portal starts first (the services fetch its JWKS), and while
 * one service is down the portal still signs users in, serves the other services and the API
 * document, and answers 503 for that service's routes only. Taking the whole entry point out of
 * rotation for one service would turn a partial outage into a total one.
 */
export function readiness(table: RouteTable, own: Record<string, ReadinessCheck>) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const [checks, upstreams] = await Promise.all([
      states(Object.entries(own), outcome),
      states([...table.services], upstreamState),
    ]);
    const ready = Object.values(checks).every((state) => state === 'ok');
    res
      .writeHead(ready ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ status: ready ? 'ready' : 'not ready', checks, upstreams }));
  };
}

async function states<T>(entries: [string, T][], stateOf: (value: T) => Promise<string>) {
  return Object.fromEntries(
    await Promise.all(entries.map(async ([name, value]) => [name, await stateOf(value)])),
  );
}

async function outcome(check: ReadinessCheck): Promise<string> {
  try {
    await check();
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : 'failed';
  }
}
