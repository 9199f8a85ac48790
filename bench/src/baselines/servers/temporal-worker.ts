import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { BenchActivities } from '../temporal-workflows';
import { serveChild } from './child';

/**
 * B-temporal's worker, in a process of its own (as the lifecycle's worker is in its service):
 * the bench's workflows bundled from their source, and activities that return at once.
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TASK_QUEUE say where it polls.
 */
const activities: BenchActivities = {
  step: async () => undefined,
  record: async () => undefined,
  loadCall: async (callId) => ({ callId, passThreshold: 60 }),
  checkEligibility: async () => [],
};

serveChild(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.TASK_QUEUE ?? '',
    workflowsPath: require.resolve('../temporal-workflows'),
    activities,
  });
  const running = worker.run();
  return {
    ready: { taskQueue: process.env.TASK_QUEUE },
    close: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
});
