import type { Express } from 'express';
import type { Collection, Document } from 'mongodb';
import { Gauge, Registry } from 'prom-client';

/** One value of a gauge with its labels. */
export interface Sample<Label extends string> {
  labels: Record<Label, string | number>;
  value: number;
}
export type Sampler<Label extends string> = () => Promise<Sample<Label>[]>;

/** The registry a service-kit app serves at `/metrics`, for a service to add its own gauges to. */
export function metricsOf(app: Express): Registry {
  const registry: unknown = app.locals.metrics;
  if (!(registry instanceof Registry)) throw new Error('not an app made by createServiceApp');
  return registry;
}

export interface SampledGaugeOptions<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  sample: Sampler<Label>;
  /** A sample younger than this answers a scrape (default 10 s): Kafka and FerretDB are asked seldom. */
  maxAgeMs?: number;
  /** A scrape waits this long for a sample (default 3 s), then shows no value rather than hang. */
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * A gauge measured when Prometheus scrapes, from a sample at most `maxAgeMs` old; scrapes
 * arriving while a sample is taken share it. A failed or slow sample shows no value (absent
 * series), never a stale one nor a failed scrape.
 */
export function sampledGauge<Label extends string>(
  registry: Registry,
  options: SampledGaugeOptions<Label>,
): void {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  let last: { at: number; samples: Sample<Label>[] } | undefined;
  let pending: Promise<Sample<Label>[]> | undefined;
  const fresh = (): Promise<Sample<Label>[]> => {
    if (last && performance.now() - last.at < maxAgeMs) return Promise.resolve(last.samples);
    pending ??= options
      .sample()
      .then((samples) => {
        last = { at: performance.now(), samples };
        return samples;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  new Gauge<Label>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${options.name}: no sample within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        for (const { labels, value } of await Promise.race([fresh(), timeout])) this.set(labels, value);
      } catch (error) {
        options.onError?.(error);
      } finally {
        clearTimeout(timer);
      }
    },
  });
}

/** What a service can measure of its messaging and its read model; each is optional. */
export interface PlatformSamplers {
  consumerLag?: Sampler<'group' | 'topic' | 'partition'>;
  deadLetters?: Sampler<'topic'>;
  outboxBacklog?: Sampler<'outbox'>;
  pilotsByStage?: Sampler<'stage'>;
  cachedWorkflows?: Sampler<'task_queue'>;
}

/**
 * The platform's gauges, with the same names and labels in every service (the Grafana dashboard
 * in infra/observability reads these names).
 */
export function registerPlatformMetrics(
  registry: Registry,
  samplers: PlatformSamplers,
  onError?: (error: unknown) => void,
): void {
  const common = { onError };
  if (samplers.consumerLag) {
    sampledGauge(registry, {
      ...common,
      name: 'kafka_consumer_lag_messages',
      help: "Messages a consumer group has yet to handle: the partition's high watermark minus the committed offset",
      labelNames: ['group', 'topic', 'partition'],
      sample: samplers.consumerLag,
      maxAgeMs: 5_000,
    });
  }
  if (samplers.deadLetters) {
    sampledGauge(registry, {
      ...common,
      name: 'kafka_dead_letter_messages',
      help: 'Messages in a dead-letter topic (DLQ depth)',
      labelNames: ['topic'],
      sample: samplers.deadLetters,
      maxAgeMs: 5_000,
    });
  }
  if (samplers.outboxBacklog) {
    sampledGauge(registry, {
      ...common,
      name: 'outbox_backlog_documents',
      help: 'Documents whose outbox holds events not yet published to Kafka',
      labelNames: ['outbox'],
      sample: samplers.outboxBacklog,
    });
  }
  if (samplers.pilotsByStage) {
    sampledGauge(registry, {
      ...common,
      name: 'pilots_by_stage',
      help: 'Pilots in each lifecycle stage, from the read model',
      labelNames: ['stage'],
      sample: samplers.pilotsByStage,
      maxAgeMs: 15_000,
    });
  }
  if (samplers.cachedWorkflows) {
    sampledGauge(registry, {
      ...common,
      name: 'temporal_worker_cached_workflows',
      help: "Workflows the service's Temporal worker keeps in memory (at most TEMPORAL_WORKFLOW_CACHE_SIZE)",
      labelNames: ['task_queue'],
      sample: samplers.cachedWorkflows,
      maxAgeMs: 1_000,
    });
  }
}

/** The workflows a Temporal worker (anything with its `getStatus`) keeps in memory, for `cachedWorkflows`. */
export const cachedWorkflowsOf =
  (worker: { getStatus(): { numCachedWorkflows: number } }, taskQueue: string): Sampler<'task_queue'> =>
  async () => [{ labels: { task_queue: taskQueue }, value: worker.getStatus().numCachedWorkflows }];

/**
 * How many documents hold each value of `field`: one `$group` over the collection (FerretDB
 * reads all of it, so it is sampled seldom).
 */
export function countsBy<Label extends string, T extends Document>(
  collection: Collection<T>,
  field: string,
  label: Label,
): Sampler<Label> {
  return async () => {
    const groups = await collection
      .aggregate<{ _id: unknown; count: number }>([{ $group: { _id: `$${field}`, count: { $sum: 1 } } }])
      .toArray();
    return groups
      .filter((group) => typeof group._id === 'string')
      .map((group) => ({
        labels: { [label]: group._id as string } as Record<Label, string>,
        value: group.count,
      }));
  };
}
