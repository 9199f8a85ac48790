import type { ServiceTracing } from '@s3p/service-kit';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { PilotActivities } from './activities/pilot-activities';
import { tracedWorkerOptions } from './temporal-tracing';

export interface PilotWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: PilotActivities;
  /** When tracing is on: workflows and activities continue their callers' traces. */
  tracing?: ServiceTracing;
  /** Workflows kept in memory between their tasks (TEMPORAL_WORKFLOW_CACHE_SIZE); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/**
 * The worker that runs the pilot workflows, in the service's own process. The SDK bundles the
 * workflows from `./workflows` (`dist/workflows/index.js` from the build, `src/workflows/index.ts`
 * under jest), so jest's transform never touches the workflow code.
 */
export function createPilotWorker(options: PilotWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('./workflows'),
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows,
    ...tracedWorkerOptions(options.tracing),
  });
}
