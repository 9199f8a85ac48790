import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { isolation, stackEndpoints } from '../src';
import { calls, createActivities } from './smoke-workflow/activities';
import { addNoteUpdate, approveSignal, stageQuery } from './smoke-workflow/shared';

const { TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE } = stackEndpoints();
const { taskQueue, id } = isolation('temporal-smoke');

let bundle: WorkflowBundleWithSourceMap;
let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./smoke-workflow/workflows') });
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection, namespace: TEMPORAL_NAMESPACE });
  workerConnection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
});

afterAll(async () => {
  await workerConnection?.close();
  await connection?.close();
});

async function startWorker(name: string) {
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities(name),
  });
  return { worker, running: worker.run() };
}

async function waitForStage(handle: ReturnType<Client['workflow']['getHandle']>, stage: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await handle.query(stageQuery)) === stage) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`workflow never reached stage ${stage}`);
}

test('a workflow with a timer, an update, a signal, a query and an activity survives a worker restart', async () => {
  const first = await startWorker('worker-1');
  const handle = await client.workflow.start('smokeWorkflow', {
    taskQueue,
    workflowId: `smoke-${id}`,
    args: [{ timerMs: 1_500 }],
  });

  expect(await handle.query(stageQuery)).toBe('timer');
  await expect(handle.executeUpdate(addNoteUpdate, { args: [''] })).rejects.toBeInstanceOf(
    WorkflowUpdateFailedError,
  );
  expect(await handle.executeUpdate(addNoteUpdate, { args: ['eligibility looks fine'] })).toBe(1);

  await waitForStage(handle, 'awaiting-approval');

  // The worker goes away mid-way; the signal is recorded by the server while no worker runs.
  first.worker.shutdown();
  await first.running;
  await handle.signal(approveSignal, 'approver1');

  const second = await startWorker('worker-2');
  try {
    await expect(handle.result()).resolves.toBe('approved by approver1 with 1 note(s) on worker-2');
    expect(await handle.query(stageQuery)).toBe('done');
    expect(calls).toEqual(['worker-2']);
  } finally {
    second.worker.shutdown();
    await second.running;
  }

  const history = await handle.fetchHistory();
  const timerFired = history.events?.some((e) => e.timerFiredEventAttributes);
  expect(timerFired).toBe(true);
});
