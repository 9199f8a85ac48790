import net from 'node:net';
import { freePorts } from '../src/free-port';

test('gives distinct ports, each free to listen on once given', async () => {
  const ports = await freePorts(40);
  expect(new Set(ports).size).toBe(40);
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});
