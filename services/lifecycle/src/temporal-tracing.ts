import type { ServiceTracing } from '@s3p/service-kit';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Starting, signalling or updating a workflow carries the caller's trace in the Temporal headers
 * (the interceptors of Temporal's OpenTelemetry sample). Nothing when tracing is off.
 */
export function tracedClientInterceptors(
  tracing: ServiceTracing | undefined,
): ClientInterceptors | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/**
 * The worker's side: workflow and activity executions continue the trace from the headers. The
 * workflow interceptors run inside the sandbox (the package's own module, bundled with the
 * workflows; they keep them deterministic) and hand their spans out through a sink, which
 * exports them only when not replaying. Nothing when tracing is off.
 */
export function tracedWorkerOptions(
  tracing: ServiceTracing | undefined,
): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!tracing) return {};
  return {
    interceptors: {
      workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
