import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Component } from '../component';
import { dataDir } from '../config';
import { buildGoCommand } from '../go-build';
import { infraRoot, versions } from '../versions';

const spec = versions.ferretdb;

/**
 * FerretDB 1.x's SQLite backend compares `_id` with an expression its own `_id_` index does not
 * match, so every lookup, update and delete by `_id` scans and decodes the whole table; and it
 * pushes `_id` down only when it is the filter's one field. This patch fixes both (upstream
 * FerretDB/FerretDB#3235 stayed open when 1.x ended); the build's folder names the patch, so a
 * changed patch builds anew.
 */
const patch = path.join(infraRoot, 'patches', 'ferretdb-sqlite-id-index.patch');
const patchId = createHash('sha256').update(readFileSync(patch)).digest('hex').slice(0, 8);
const binary = (cacheDir: string) => path.join(cacheDir, `ferretdb-${spec.version}-${patchId}`, 'ferretdb');

export const ferretdb: Component = {
  name: 'ferretdb',
  startTimeoutMs: 30_000,
  ports: (config) => [config.ports.mongo, config.ports.ferretdbDebug],
  endpoints: (config) => ({ MONGODB_URI: `mongodb://127.0.0.1:${config.ports.mongo}` }),

  install: (config, log) =>
    buildGoCommand(spec, binary(config.cacheDir), {
      // FerretDB's own build writes this file (bin/task gen-version) and refuses to start without it.
      generatedFiles: { 'build/version/version.txt': spec.version },
      patches: [patch],
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
