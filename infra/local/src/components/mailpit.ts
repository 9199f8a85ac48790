import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Component } from '../component';
import type { InfraConfig } from '../config';
import { dataDir } from '../config';
import { buildGoCommand } from '../go-build';
import { versions } from '../versions';

const spec = versions.mailpit;
const binary = (cacheDir: string) => path.join(cacheDir, `mailpit-${spec.version}`, 'mailpit');
const databaseFile = (config: InfraConfig) => path.join(dataDir(config, 'mailpit'), 'mailpit.db');
const httpUrl = (config: InfraConfig) => `http://127.0.0.1:${config.ports.mailpitHttp}`;

/** Resolves when the SMTP port greets with `220`, as an SMTP server must before anything else. */
function smtpGreeting(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    const finish = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no SMTP greeting on port ${port}`)));
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes('\n')) return;
      if (received.startsWith('220')) {
        socket.write('QUIT\r\n');
        finish();
      } else finish(new Error(`unexpected SMTP greeting: ${received.trim()}`));
    });
  });
}

/** What `GET /api/v1/info` answers (the part used here). */
interface MailpitInfo {
  Version: string;
}

async function info(config: InfraConfig): Promise<MailpitInfo> {
  const response = await fetch(`${httpUrl(config)}/api/v1/info`, { signal: AbortSignal.timeout(1_000) });
  if (response.status !== 200) throw new Error(`GET /api/v1/info answered ${response.status}`);
  return (await response.json()) as MailpitInfo;
}

export const mailpit: Component = {
  name: 'mailpit',
  startTimeoutMs: 30_000,
  ports: (config) => [config.ports.mailpitSmtp, config.ports.mailpitHttp],
  endpoints: (config) => ({
    SMTP_URL: `smtp://127.0.0.1:${config.ports.mailpitSmtp}`,
    MAILPIT_URL: httpUrl(config),
  }),

  install: (config, log) =>
    buildGoCommand(spec, binary(config.cacheDir), {
      // The module holds the web UI's sources but not its build (server/ui/dist), which Mailpit's
      // release build makes with npm before `go build`, as here. Without it, SMTP and the HTTP API
      // (all that tests use) work, and only the web page at MAILPIT_URL is blank.
      beforeBuild: {
        what: 'the Mailpit web UI',
        steps: [
          {
            command: 'npm',
            args: ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
          },
          { command: 'npm', args: ['run', 'package'] },
        ],
        optional: true,
      },
      // As Mailpit's own release build: the version that /api/v1/info reports (else "dev").
      ldflags: `-X github.com/axllent/mailpit/config.Version=${spec.version}`,
      log,
    }),

  async prepare(config) {
    mkdirSync(dataDir(config, 'mailpit'), { recursive: true });
  },

  launch(config) {
    return {
      command: binary(config.cacheDir),
      args: [
        `--smtp=127.0.0.1:${config.ports.mailpitSmtp}`,
        `--listen=127.0.0.1:${config.ports.mailpitHttp}`,
        // A SQLite file (WAL), so that caught mail survives a restart; the newest 5000 are kept.
        `--database=${databaseFile(config)}`,
        '--max=5000',
        // Services may be configured with SMTP credentials: take any, over plain SMTP, on loopback.
        '--smtp-auth-accept-any',
        '--smtp-auth-allow-insecure',
        // No network here beyond loopback: no release checks, no reverse DNS of SMTP clients.
        '--disable-version-check',
        '--smtp-disable-rdns',
        '--quiet',
      ],
      cwd: dataDir(config, 'mailpit'),
    };
  },

  async probe(config) {
    await info(config);
    await smtpGreeting(config.ports.mailpitSmtp, 1_000);
  },

  async verify(config) {
    // A binary cached from another build would report another version (or "dev").
    const { Version } = await info(config);
    if (Version !== spec.version) {
      throw new Error(
        `Mailpit reports version ${Version}, versions.json pins ${spec.version}: delete ${path.dirname(binary(config.cacheDir))} and start again`,
      );
    }
  },
};
