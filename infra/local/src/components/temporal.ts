import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Component } from '../component';
import { dataDir } from '../config';
import { buildGoCommand } from '../go-build';
import { versions } from '../versions';

const spec = versions.temporal;
const binary = (cacheDir: string) => path.join(cacheDir, `temporal-cli-${spec.version}`, 'temporal');
const databaseFile = (stateDir: string) => path.join(stateDir, 'temporal', 'temporal.db');

export const temporal: Component = {
  name: 'temporal',
  startTimeoutMs: 60_000,
  ports: (config) => [config.ports.temporal, config.ports.temporalUi],
  endpoints: (config) => ({
    TEMPORAL_ADDRESS: `127.0.0.1:${config.ports.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
  }),

  install: (config, log) => buildGoCommand(spec, binary(config.cacheDir), { log }),

  async prepare(config) {
    mkdirSync(dataDir(config, 'temporal'), { recursive: true });
  },

  launch(config) {
    return {
      command: binary(config.cacheDir),
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(config.ports.temporal),
        '--ui-port',
        String(config.ports.temporalUi),
        // A file, not memory, so that running pilots survive a restart; WAL for write throughput.
        '--db-filename',
        databaseFile(config.stateDir),
        '--sqlite-pragma',
        'journal_mode=WAL',
        '--log-level',
        'warn',
      ],
      cwd: dataDir(config, 'temporal'),
    };
  },

  async probe(config) {
    const connection = await Connection.connect({
      address: `127.0.0.1:${config.ports.temporal}`,
      connectTimeout: 1_000,
    });
    try {
      await connection.workflowService.describeNamespace({ namespace: 'default' });
    } finally {
      await connection.close();
    }
  },

  async verify(config) {
    // One CLI release ignored --sqlite-pragma; the -wal file is the proof that WAL is on.
    const wal = `${databaseFile(config.stateDir)}-wal`;
    if (!existsSync(wal)) throw new Error(`SQLite WAL journal is not active: ${wal} does not exist`);
  },
};
