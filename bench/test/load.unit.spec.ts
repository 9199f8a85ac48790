import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedLoop, httpClient, jsonOf, loadFigures, runLoad } from '../src/load';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the closed-loop load generator', () => {
  it('makes exactly `count` calls, numbered 0 … count − 1, never more than `concurrency` at once', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    const result = await closedLoop(4, { count: 25 }, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      seen.push(i);
      await sleep(2);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(most).toBe(4);
    expect(result).toMatchObject({ requests: 25, errors: 0 });
    expect(result.latency.count).toBe(25);
    expect(result.latency.p50).toBeGreaterThanOrEqual(1);
    expect(result.rps).toBeCloseTo(25 / result.seconds, 6);
  });

  it('stops at a count or a time, whichever comes first', async () => {
    const byCount = await closedLoop(2, { count: 6, durationMs: 10_000 }, async () => {
      await sleep(1);
    });
    expect(byCount.requests).toBe(6);
    const byTime = await closedLoop(2, { count: 1_000_000, durationMs: 100 }, async () => {
      await sleep(5);
    });
    expect(byTime.requests).toBeLessThan(100);
    expect(byTime.seconds).toBeLessThan(1);
  });

  it('gives each caller its own calls, one after another', async () => {
    const busy = new Set<number>();
    const overlaps: number[] = [];
    await closedLoop(3, { count: 30 }, async (_i, { caller }) => {
      if (busy.has(caller)) overlaps.push(caller);
      busy.add(caller);
      await sleep(1);
      busy.delete(caller);
    });
    expect(overlaps).toEqual([]);
  });

  it('runs for a time, warms up unmeasured first, and counts failures apart from latency', async () => {
    const phases: boolean[] = [];
    const result = await closedLoop(
      2,
      150,
      async (i, { warmup }) => {
        phases.push(warmup);
        await sleep(5);
        if (!warmup && i % 3 === 0) throw new Error(`call ${i} failed`);
      },
      { warmupMs: 50 },
    );
    expect(phases[0]).toBe(true);
    expect(phases.lastIndexOf(true)).toBeLessThan(phases.indexOf(false));
    expect(result.seconds).toBeGreaterThanOrEqual(0.15);
    expect(result.seconds).toBeLessThan(1);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.firstError).toBe('call 0 failed');
    expect(result.latency.count).toBe(result.requests - result.errors);
    expect(result.rps).toBeCloseTo((result.requests - result.errors) / result.seconds, 6);
  });

  it('refuses a run where every call failed, with the reason', async () => {
    await expect(
      closedLoop(2, { count: 4 }, async () => {
        throw new Error('connection refused');
      }),
    ).rejects.toThrow('every one of 4 calls failed: connection refused');
  });

  it('names its figures plainly with their conditions', async () => {
    const result = await closedLoop(1, { count: 3 }, async () => undefined);
    const figures = loadFigures('B-x', 'JSON POST', result, 'concurrency 1');
    expect(figures.map((figure) => [figure.metric, figure.unit])).toEqual([
      ['JSON POST throughput', 'req/s'],
      ['JSON POST p50', 'ms'],
      ['JSON POST p99', 'ms'],
    ]);
    expect(figures[0]!.note).toMatch(/^concurrency 1; 3 calls in \d+\.\d s$/);
  });
});

describe('the HTTP load', () => {
  let server: http.Server;
  let url: string;
  const connections = new Set<unknown>();
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/fail') {
          res.writeHead(503).end('busy');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, length: Buffer.concat(chunks).length }));
      });
    });
    server.on('connection', (socket) => connections.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts a body with keep-alive, one connection per caller', async () => {
    connections.clear();
    const result = await runLoad({ url: `${url}/x`, body: '{"a":1}', concurrency: 3, count: 30 });
    expect(result).toMatchObject({ requests: 30, errors: 0 });
    expect(connections.size).toBeLessThanOrEqual(3);
  });

  it('counts answers outside 2xx as errors, with the status', async () => {
    await expect(runLoad({ url: `${url}/fail`, concurrency: 2, count: 4 })).rejects.toThrow(
      'GET answered 503: busy',
    );
  });

  it('takes any request function, and a URL per call', async () => {
    const client = httpClient(2);
    try {
      const answers: unknown[] = [];
      const result = await runLoad({
        request: async (i) => {
          answers.push(
            jsonOf(await client.request('POST', `${url}/item/${i}`, '{}', { authorization: 'Bearer t' })),
          );
        },
        concurrency: 2,
        count: 4,
      });
      expect(result.requests).toBe(4);
      expect(answers).toContainEqual({ method: 'POST', url: '/item/3', length: 2 });
      const perCall = await runLoad({ url: (i) => `${url}/get/${i}`, concurrency: 1, count: 2 });
      expect(perCall.requests).toBe(2);
    } finally {
      client.close();
    }
  });
});
