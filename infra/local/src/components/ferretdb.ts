import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Component } from '../component';
import { dataDir } from '../config';
import { buildGoCommand } from '../go-build';
import { versions } from '../versions';

const spec = versions.ferretdb;
const binary = (cacheDir: string) => path.join(cacheDir, `ferretdb-${spec.version}`, 'ferretdb');

export const ferretdb: Component = {
  name: 'ferretdb',
  startTimeoutMs: 30_000,
  ports: (config) => [config.ports.mongo, config.ports.ferretdbDebug],
  endpoints: (config) => ({ MONGODB_URI: `mongodb://127.0.0.1:${config.ports.mongo}` }),

  install: (config, log) =>
    buildGoCommand(spec, binary(config.cacheDir), {
      // FerretDB's own build writes this file (bin/task gen-version) and refuses to start without it.
      generatedFiles: { 'build/version/version.txt': spec.version },
      log,
    }),

  async prepare(config) {
    mkdirSync(path.join(dataDir(config, 'ferretdb'), 'data'), { recursive: true });
  },

  launch(config) {
    const dir = dataDir(config, 'ferretdb');
    return {
      command: binary(config.cacheDir),
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${path.join(dir, 'data')}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${config.ports.mongo}`,
        `--debug-addr=127.0.0.1:${config.ports.ferretdbDebug}`,
        '--telemetry=disable',
        '--log-level=warn',
      ],
      cwd: dir,
    };
  },

  async probe(config) {
    const client = new MongoClient(`mongodb://127.0.0.1:${config.ports.mongo}`, {
      directConnection: true,
      serverSelectionTimeoutMS: 1_000,
      connectTimeoutMS: 1_000,
    });
    try {
      await client.db('admin').command({ ping: 1 });
    } finally {
      await client.close();
    }
  },
};
