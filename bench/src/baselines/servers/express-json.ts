import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serveChild } from './child';

/** B-express's server: the same answer as B-http's, through express with `express.json()` only. */
serveChild(async () => {
  const app = express();
  app.use(express.json());
  app.post('/', (req, res) => {
    const body = req.body as { title?: unknown };
    res.status(201).json({ id: randomUUID(), title: body.title, status: 'draft' });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    ready: { port: (server.address() as AddressInfo).port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
