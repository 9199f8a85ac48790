import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { createServer, request } from 'node:http';
import { freePort } from '@s3p/testkit';
import type { PortalService } from '../src/service';
import { everyUpstreamReady, listen, startPortal } from './support';

/** What an upstream saw of one request. */
interface Seen {
  service: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  length: number;
  sha256: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const download = randomBytes(6 * 1024 * 1024);

/** A service that tells what it received; a few paths misbehave on purpose. */
const echo = (service: string) =>
  createServer(async (req, res) => {
    if (req.url === '/api/calls/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let at = 0; at < download.length; at += 64 * 1024)
        res.write(download.subarray(at, at + 64 * 1024));
      return void res.end();
    }
    if (req.url === '/api/calls/dies-halfway') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"half":');
      return void setTimeout(() => res.socket?.destroy(), 50);
    }
    const hash = createHash('sha256');
    let length = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      hash.update(chunk);
      length += chunk.length;
    }
    const seen: Seen = {
      service,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      length,
      sha256: hash.digest('hex'),
    };
    res.writeHead(req.method === 'POST' ? 201 : 200, {
      'content-type': 'application/json',
      'x-upstream': service,
      'set-cookie': ['a=1', 'b=2'],
      etag: '"3"',
    });
    res.end(JSON.stringify(seen));
  });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add or refuse some); `chunks` go out one by one. */
function send(url: string, method: string, headers: OutgoingHttpHeaders = {}, chunks: Buffer[] = []) {
  return new Promise<Answer>((resolve, reject) => {
    // The path goes out as written: a URL object would resolve its dot segments first.
    const { hostname, port } = new URL(url);
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const json = <T = Seen>(answer: Answer) => JSON.parse(answer.body.toString()) as T;

let calls: Awaited<ReturnType<typeof listen>>;
let applications: Awaited<ReturnType<typeof listen>>;
let portal: PortalService;

beforeAll(async () => {
  calls = await listen(echo('calls'));
  applications = await listen(echo('applications'));
  portal = await startPortal({ CALLS_URL: calls.url, APPLICATIONS_URL: applications.url });
});
afterAll(async () => {
  await portal.stop();
  await Promise.all([calls.close(), applications.close()]);
});

describe('routing /api to the owning service', () => {
  it('passes method, path, query, headers and body through, and the status and headers back', async () => {
    const body = Buffer.from(JSON.stringify({ title: 'Smart manufacturing', unknownField: true }));
    const answer = await send(
      `${portal.url}/api/calls/0192-abc/publish?dryRun=1&tag=a&tag=b`,
      'POST',
      {
        authorization: 'Bearer some.jwt.token',
        'content-type': 'application/json',
        'content-length': body.length,
        'idempotency-key': 'key-1',
        'if-match': '"2"',
        'x-request-id': 'trace-me-123',
      },
      [body],
    );
    expect(answer.status).toBe(201);
    expect(answer.headers).toMatchObject({
      'x-upstream': 'calls',
      'set-cookie': ['a=1', 'b=2'],
      etag: '"3"',
      'x-request-id': 'trace-me-123',
    });
    const seen = json(answer);
    expect(seen).toMatchObject({
      service: 'calls',
      method: 'POST',
      url: '/api/calls/0192-abc/publish?dryRun=1&tag=a&tag=b',
      length: body.length,
      sha256: sha256(body),
    });
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer some.jwt.token',
      'content-type': 'application/json',
      'idempotency-key': 'key-1',
      'if-match': '"2"',
      'x-request-id': 'trace-me-123',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(portal.url).host,
      host: new URL(calls.url).host,
    });
  });

  it('routes each prefix to its own service, and a GET, PATCH and DELETE as they are', async () => {
    const list = await send(`${portal.url}/api/applications?limit=5`, 'GET');
    expect(json(list)).toMatchObject({
      service: 'applications',
      method: 'GET',
      url: '/api/applications?limit=5',
    });
    const exact = await send(`${portal.url}/api/calls`, 'GET');
    expect(json(exact)).toMatchObject({ service: 'calls', url: '/api/calls' });
    const patch = await send(
      `${portal.url}/api/applications/a1`,
      'PATCH',
      { 'content-type': 'application/json' },
      [Buffer.from('{}')],
    );
    expect(json(patch)).toMatchObject({
      service: 'applications',
      method: 'PATCH',
      url: '/api/applications/a1',
    });
    expect(json(await send(`${portal.url}/api/calls/c1`, 'DELETE'))).toMatchObject({ method: 'DELETE' });
  });

  it('adds a request id when there is none (or a malformed one), forwards it and answers with it', async () => {
    for (const given of [undefined, 'no spaces allowed!']) {
      const answer = await send(`${portal.url}/api/calls`, 'GET', given ? { 'x-request-id': given } : {});
      const id = answer.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(json(answer).headers['x-request-id']).toBe(id);
    }
  });

  it('appends to x-forwarded-for and drops the headers that belong to one connection', async () => {
    const answer = await send(`${portal.url}/api/calls`, 'GET', {
      connection: 'keep-alive, x-private-hop',
      'x-private-hop': 'secret',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      'proxy-authorization': 'Basic abc',
      'x-forwarded-for': '203.0.113.7',
    });
    const { headers } = json(answer);
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    for (const name of ['x-private-hop', 'keep-alive', 'te', 'proxy-authorization']) {
      expect(headers[name]).toBeUndefined();
    }
  });

  it('streams a large body through untouched, with or without a length, and a large answer back', async () => {
    const body = randomBytes(8 * 1024 * 1024);
    const sized = await send(
      `${portal.url}/api/applications`,
      'POST',
      { 'content-type': 'application/json', 'content-length': body.length },
      [body],
    );
    expect(sized.status).toBe(201);
    expect(json(sized)).toMatchObject({ length: body.length, sha256: sha256(body) });

    const parts = [body.subarray(0, 3_000_000), body.subarray(3_000_000)];
    const chunked = await send(
      `${portal.url}/api/calls`,
      'POST',
      { 'content-type': 'application/json' },
      parts,
    );
    expect(json(chunked)).toMatchObject({ length: body.length, sha256: sha256(body) });
    expect(json(chunked).headers['transfer-encoding']).toBe('chunked');

    const answer = await send(`${portal.url}/api/calls/download`, 'GET');
    expect(answer.body.length).toBe(download.length);
    expect(sha256(answer.body)).toBe(sha256(download));
  });

  it('breaks the answer when the service dies in the middle of it, rather than cut it short quietly', async () => {
    await expect(send(`${portal.url}/api/calls/dies-halfway`, 'GET')).rejects.toThrow();
  });

  it('answers 404 problem+json for an /api path no service owns, without asking any', async () => {
    for (const path of ['/api/nothing-here', '/api/callsx', '/api/auth/nothing', '/api']) {
      const answer = await send(`${portal.url}${path}`, 'GET');
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.headers['x-upstream']).toBeUndefined();
    }
  });

  it('refuses paths that climb out of the service with . or .. segments', async () => {
    for (const path of ['/api/calls/../../metrics', '/api/calls/%2e%2e/x', '/api/calls/./x']) {
      const answer = await send(`${portal.url}${path}`, 'GET');
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    }
  });

  it('reports each service in /readyz without making the portal unready', async () => {
    const ready = await fetch(`${portal.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { signingKey: 'ok' },
      upstreams: everyUpstreamReady(),
    });
  });
});

describe('when a service is down', () => {
  let silent: Awaited<ReturnType<typeof listen>>;
  let partial: PortalService;

  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = await listen(createServer(() => undefined));
    partial = await startPortal({
      CALLS_URL: silent.url,
      APPLICATIONS_URL: `http://127.0.0.1:${await freePort()}`,
      UPSTREAM_TIMEOUT_MS: '300',
    });
  });
  afterAll(async () => {
    await silent.close();
    await partial.stop();
  });

  const expectUnavailable = (answer: Answer, service: string) => {
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(answer.headers['x-request-id']).toBeDefined();
    expect(json<{ status: number; detail: string }>(answer)).toMatchObject({
      status: 503,
      detail: expect.stringContaining(service),
    });
  };

  it('answers 503 with Retry-After at once when the service refuses the connection', async () => {
    const started = Date.now();
    const answer = await send(
      `${partial.url}/api/applications`,
      'POST',
      { 'content-type': 'application/json' },
      [Buffer.from('{"title":"x"}')],
    );
    expectUnavailable(answer, 'applications');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers 503 after UPSTREAM_TIMEOUT_MS when the service does not answer', async () => {
    const started = Date.now();
    const answer = await send(`${partial.url}/api/calls`, 'GET');
    expectUnavailable(answer, 'calls');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stays ready itself and says which service is unreachable', async () => {
    const ready = await fetch(`${partial.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { upstreams: Record<string, string> };
    expect(body.upstreams.applications).toMatch(/^unreachable: .*ECONNREFUSED/);
    expect(body.upstreams.calls).toMatch(/^unreachable/);
  });
});
