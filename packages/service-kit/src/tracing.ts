import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { z } from 'zod';
import { loadConfig } from './config';
import type { ShutdownStep } from './shutdown';

/**
 * The OpenTelemetry variables a service reads (their meaning as in the OTel specification).
 * Without an endpoint, tracing is off: the OTel API stays a no-op and nothing is exported.
 */
export const tracingEnvironment = {
  /** The collector's OTLP/HTTP base URL, such as `http://127.0.0.1:4318`; spans go to `<it>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .union([z.literal(''), z.url({ protocol: /^https?$/ })])
    .optional()
    .transform((value) => value || undefined),
  /** Overrides the name the service gives itself: two instances of one service may tell themselves apart. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};
const tracingConfig = z.object(tracingEnvironment);

export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  env?: NodeJS.ProcessEnv;
  /** Where spans go instead of OTLP (tests: an in-memory exporter); tracing is then on regardless of the endpoint. */
  exporter?: SpanExporter;
}

/** The process's tracer, registered as OpenTelemetry's global one. */
export interface ServiceTracing {
  /** Who produced the spans; the Temporal workflow span exporter needs it too. */
  readonly resource: Resource;
  /** Where finished spans go; the Temporal workflow span exporter hands its spans to it too. */
  readonly spanProcessor: SpanProcessor;
  /** Exports what is still buffered and unregisters the global tracer, propagator and context manager. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when an OTLP endpoint is configured (or an exporter given):
 * a tracer provider with W3C trace-context propagation and async-local context, registered
 * globally so that the HTTP middleware, the Kafka publisher and consumer, and Temporal's
 * interceptors all find it. Answers undefined, and changes nothing, when tracing is off.
 */
export function startTracing(options: TracingOptions): ServiceTracing | undefined {
  const config = loadConfig(tracingConfig, options.env ?? process.env);
  const exporter =
    options.exporter ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT
      ? new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` })
      : undefined);
  if (!exporter) return undefined;

  const resource = new Resource({
    [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? options.serviceName,
    ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
  });
  // Batches in production; a test's exporter sees each span as soon as it ends.
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    resource,
    spanProcessor,
    shutdown: async () => {
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}

/** The last shutdown step: export the spans still buffered. None when tracing is off. */
export const tracesShutdown = (tracing: ServiceTracing | undefined): ShutdownStep[] =>
  tracing ? [['traces', () => tracing.shutdown()]] : [];
