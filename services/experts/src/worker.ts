import type { ServiceTracing } from '@s3p/service-kit';
import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { TeamActivities } from './activities/team-activities';
import { tracedWorkerOptions } from './temporal-tracing';

export interface TeamWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: TeamActivities;
  /** When tracing is on: workflows and activities continue their callers' traces. */
  tracing?: ServiceTracing;
  /** Workflows kept in memory between their tasks (TEMPORAL_WORKFLOW_CACHE_SIZE); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

/**
 * The worker that runs the team workflows, in the service's own process. The SDK bundles the
 * workflows from `./workflows` (`dist/workflows/index.js` from the build, `src/workflows/index.ts`
 * under jest), so jest's transform never touches the workflow code.
 */
export function createTeamWorker(options: TeamWorkerOptions): Promise<Worker> {
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
