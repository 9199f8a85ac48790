import type { ServiceTracing } from '@s3p/service-kit';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ScheduleActivities } from './activities/schedule';
import { tracedWorkerOptions } from './temporal-tracing';

export interface ScheduleWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ScheduleActivities;
  /** When tracing is on: workflows and activities continue their callers' traces. */
  tracing?: ServiceTracing;
  /** Workflows kept in memory between their tasks (TEMPORAL_WORKFLOW_CACHE_SIZE); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/**
 * The worker that runs the call workflows, in the service's own process. The SDK bundles the
 * workflows itself from `./workflows`: `dist/workflows/index.js` when run from the build, and
 * `src/workflows/index.ts` under jest (jest resolves the path; the SDK's bundler compiles the
 * TypeScript, so jest's SWC transform never touches the workflow code).
 */
export function createScheduleWorker(options: ScheduleWorkerOptions): Promise<Worker> {
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
