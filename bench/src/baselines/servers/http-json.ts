import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveChild } from './child';

/**
 * B-http's server: bare `node:http` that reads the JSON body of a POST, parses it and answers a
 * small JSON. Any other request gets 404.
 */
serveChild(async () => {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: { title?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { title?: unknown };
      } catch {
        res.writeHead(400).end();
        return;
      }
      const answer = JSON.stringify({ id: randomUUID(), title: body.title, status: 'draft' });
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ready: { port: (server.address() as AddressInfo).port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
