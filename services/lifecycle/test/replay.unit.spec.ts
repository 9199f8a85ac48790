import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historiesDir } from './support';

/**
 * Histories recorded from real runs on the Temporal server (`npm run record-histories`), replayed
 * against the workflow code as it is now: a change that would break a running pilot fails here,
 * and needs `patched()`.
 */
describe('recorded pilot histories', () => {
  const files = readdirSync(historiesDir).filter((file) => file.endsWith('.history.pb'));

  it('are there to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('replay deterministically against the current workflow code', async () => {
    const histories = files.map((file) => ({
      workflowId: file,
      history: temporal.api.history.v1.History.decode(readFileSync(path.join(historiesDir, file))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: require.resolve('../src/workflows') },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
