import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createServiceApp, metricsOf, registerPlatformMetrics, sampledGauge } from '../src';

const linesOf = async (registry: Registry, name: string) =>
  (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('a gauge sampled at scrape time', () => {
  it('shows each sample with its labels', async () => {
    const registry = new Registry();
    sampledGauge(registry, {
      name: 'queue_depth',
      help: 'test',
      labelNames: ['queue'],
      sample: async () => [
        { labels: { queue: 'a' }, value: 3 },
        { labels: { queue: 'b' }, value: 0 },
      ],
    });
    expect(await linesOf(registry, 'queue_depth')).toEqual([
      'queue_depth{queue="a"} 3',
      'queue_depth{queue="b"} 0',
    ]);
  });

  it('asks the source again only once its sample is older than maxAgeMs', async () => {
    const registry = new Registry();
    let asked = 0;
    sampledGauge(registry, {
      name: 'asked',
      help: 'test',
      labelNames: ['n'],
      sample: async () => [{ labels: { n: 'x' }, value: ++asked }],
      maxAgeMs: 200,
    });
    expect(await linesOf(registry, 'asked')).toEqual(['asked{n="x"} 1']);
    expect(await linesOf(registry, 'asked')).toEqual(['asked{n="x"} 1']);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await linesOf(registry, 'asked')).toEqual(['asked{n="x"} 2']);
  });

  it('shows no value, not a stale one, when the source fails, and still answers the scrape', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    let failing = false;
    sampledGauge(registry, {
      name: 'flaky',
      help: 'test',
      labelNames: ['n'],
      sample: async () => {
        if (failing) throw new Error('broker unreachable');
        return [{ labels: { n: 'x' }, value: 7 }];
      },
      maxAgeMs: 0,
      onError: (error) => errors.push(error),
    });
    expect(await linesOf(registry, 'flaky')).toEqual(['flaky{n="x"} 7']);
    failing = true;
    expect(await linesOf(registry, 'flaky')).toEqual([]);
    expect(errors).toEqual([new Error('broker unreachable')]);
  });

  it('gives up on a source that does not answer within timeoutMs', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    sampledGauge(registry, {
      name: 'stuck',
      help: 'test',
      labelNames: ['n'],
      sample: () => new Promise<never>(() => undefined),
      timeoutMs: 50,
      onError: (error) => errors.push(error),
    });
    const started = performance.now();
    expect(await linesOf(registry, 'stuck')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(String(errors[0])).toMatch(/no sample within 50 ms/);
  });
});

describe("the platform's gauges", () => {
  it('are served at /metrics with the names the Grafana dashboard reads', async () => {
    const { app } = createServiceApp({
      name: 'metrics-test',
      logger: pino({ level: 'silent' }),
      routes: Router(),
    });
    const registry = metricsOf(app);
    registerPlatformMetrics(registry, {
      consumerLag: async () => [{ labels: { group: 'g', topic: 't', partition: 0 }, value: 2 }],
      deadLetters: async () => [{ labels: { topic: 't.g.dlq' }, value: 1 }],
      outboxBacklog: async () => [{ labels: { outbox: 'pilots' }, value: 0 }],
      pilotsByStage: async () => [{ labels: { stage: 'evaluation' }, value: 4 }],
      cachedWorkflows: async () => [{ labels: { task_queue: 'lifecycle' }, value: 3 }],
    });
    const text = await registry.metrics();
    expect(text).toContain(
      'kafka_consumer_lag_messages{group="g",topic="t",partition="0",service="metrics-test"} 2',
    );
    expect(text).toContain('kafka_dead_letter_messages{topic="t.g.dlq",service="metrics-test"} 1');
    expect(text).toContain('outbox_backlog_documents{outbox="pilots",service="metrics-test"} 0');
    expect(text).toContain('pilots_by_stage{stage="evaluation",service="metrics-test"} 4');
    expect(text).toContain(
      'temporal_worker_cached_workflows{task_queue="lifecycle",service="metrics-test"} 3',
    );

    const dashboard = JSON.parse(
      readFileSync(
        path.join(__dirname, '../../../infra/observability/grafana/dashboards/s3-pilot-platform.json'),
        'utf8',
      ),
    ) as { panels: { targets: { expr: string }[] }[] };
    const read = dashboard.panels
      .flatMap((panel) => panel.targets.map((target) => target.expr))
      .flatMap((expr) => expr.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])
      .filter((name) => name !== 'histogram_quantile')
      .map((name) => name.replace(/_(?:bucket|count|sum)$/, ''));
    const served = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(new Set(read).size).toBeGreaterThanOrEqual(5);
    expect(served).toEqual(expect.arrayContaining([...new Set(read)]));
  });
});
