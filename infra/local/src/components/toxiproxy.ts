import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Component } from '../component';
import type { InfraConfig } from '../config';
import { dataDir } from '../config';
import { buildGoCommand } from '../go-build';
import { versions } from '../versions';

const spec = versions.toxiproxy;
const binary = (cacheDir: string) => path.join(cacheDir, `toxiproxy-${spec.version}`, 'toxiproxy-server');
const apiUrl = (config: InfraConfig) => `http://127.0.0.1:${config.ports.toxiproxy}`;
/** As Toxiproxy's release build (goreleaser) sets it: the tag without its `v`. */
const releaseVersion = spec.version.replace(/^v/, '');

async function reportedVersion(config: InfraConfig): Promise<string> {
  const response = await fetch(`${apiUrl(config)}/version`, { signal: AbortSignal.timeout(1_000) });
  if (response.status !== 200) throw new Error(`GET /version answered ${response.status}`);
  return ((await response.json()) as { version: string }).version;
}

/**
 * Toxiproxy (Shopify), a TCP proxy whose faults (latency, time-outs, reset connections, a
 * proxy switched off) are set through its HTTP API. It starts with no proxy: whoever uses it
 * creates the proxies it needs (the chaos harness, in front of Kafka, the MongoDB API and
 * Temporal). Not part of `npm start`'s stack; it keeps no state, so a restart forgets every proxy.
 */
export const toxiproxy: Component<'toxiproxy'> = {
  name: 'toxiproxy',
  startTimeoutMs: 15_000,
  ports: (config) => [config.ports.toxiproxy],
  endpoints: (config) => ({ TOXIPROXY_URL: apiUrl(config) }),

  install: (config, log) =>
    buildGoCommand(spec, binary(config.cacheDir), {
      ldflags: `-X github.com/Shopify/toxiproxy/v2.Version=${releaseVersion}`,
      log,
    }),

  async prepare(config) {
    mkdirSync(dataDir(config, 'toxiproxy'), { recursive: true });
  },

  launch(config) {
    return {
      command: binary(config.cacheDir),
      args: ['-host', '127.0.0.1', '-port', String(config.ports.toxiproxy)],
      cwd: dataDir(config, 'toxiproxy'),
      // Its default (info) logs every connection opened and closed through each proxy.
      env: { ...process.env, LOG_LEVEL: 'warn' },
    };
  },

  async probe(config) {
    await reportedVersion(config);
  },

  async verify(config) {
    const version = await reportedVersion(config);
    if (version !== releaseVersion) {
      throw new Error(
        `Toxiproxy reports version ${version}, versions.json pins ${spec.version}: delete ${path.dirname(binary(config.cacheDir))} and start again`,
      );
    }
  },
};
