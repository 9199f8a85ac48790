import { randomBytes } from 'node:crypto';
import { pilotStage } from '@s3p/contracts';
import type { ServiceName } from '@s3p/infra-local';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, signIn } from './support/client';
import type { OtlpReceiver, ReceivedSpan } from './support/otlp-receiver';
import { spanKind, startOtlpReceiver } from './support/otlp-receiver';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

let receiver: OtlpReceiver;
let platform: Platform;
let manager: User;
let bulgaria: User;
const saved = { ...process.env };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Every service process inherits these (startPlatform passes the environment on).
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
  process.env.OTEL_BSP_SCHEDULE_DELAY = '200';
  platform = await startPlatform('e2e-observability');
  [manager, bulgaria] = await Promise.all([
    signIn(platform.portal, 'manager'),
    signIn(platform.portal, 'region-bg41'),
  ]);
}, 240_000);

afterAll(async () => {
  process.env = saved;
  await platform?.stop();
  await receiver?.stop();
});

/** A sample of a metric from the Prometheus text format. */
interface Sample {
  labels: Record<string, string>;
  value: number;
}

async function metricsOf(name: ServiceName): Promise<Map<string, Sample[]>> {
  const answer = await fetch(`${platform.url(name)}/metrics`);
  expect(answer.status).toBe(200);
  const samples = new Map<string, Sample[]>();
  for (const line of (await answer.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    samples.set(match[1]!, [...(samples.get(match[1]!) ?? []), { labels, value: Number(match[3]) }]);
  }
  return samples;
}

const inTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);

describe('one pilot, visible end to end', () => {
  let traceId: string;

  it('is one trace from the portal through applications and Kafka into the lifecycle workflow and back', async () => {
    const published = await manager.request<{ id: string }>(
      'POST',
      '/api/calls',
      callDraft('industrial-transition'),
    );
    expect(published.status).toBe(201);
    expect((await manager.request('POST', `/api/calls/${published.body.id}/publish`)).status).toBe(200);
    const draft = await eventually(async () => {
      const answer = await bulgaria.request<{ id: string }>(
        'POST',
        '/api/applications',
        applicationDraft(published.body.id, { partners: [] }),
      );
      return answer.status === 201 ? answer.body : undefined;
    }, 'the call to reach the applications service');

    // The submission comes with a trace of the caller's: everything it causes must join it.
    traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const submitted = await bulgaria.request('POST', `/api/applications/${draft.id}/submit`, undefined, {
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    expect([200, 201]).toContain(submitted.status);

    // A miss names what the trace did hold, to see where it broke.
    const find = (what: string, match: (span: ReceivedSpan) => boolean) =>
      eventually(async () => inTrace(traceId).find(match), what, 60_000).catch((error: Error) => {
        const held = inTrace(traceId).map((s) => `${s.service}: ${s.name} (${s.spanId} ← ${s.parentSpanId})`);
        throw new Error(`${error.message}; the trace held:\n${held.join('\n')}`);
      });

    const portal = await find('the portal span', (s) => s.service === 'portal' && s.kind === spanKind.server);
    expect(portal.parentSpanId).toBe(callerSpan);
    const applications = await find(
      'the applications server span',
      (s) => s.service === 'applications' && s.kind === spanKind.server,
    );
    expect(applications.parentSpanId).toBe(portal.spanId);
    expect(applications.name).toMatch(/^POST \/api\/applications\/:\w+\/submit$/);

    // The chain, walked back from the workflow start: the lifecycle's consumer span started it,
    // and continued the producer span of the event the applications service recorded for the request.
    const started = await find(
      'the workflow start',
      (s) => s.service === 'lifecycle' && s.name.startsWith('StartWorkflow:'),
    );
    const consumed = await find(
      'the span that started the workflow',
      (s) => s.spanId === started.parentSpanId,
    );
    expect(consumed).toMatchObject({ service: 'lifecycle', kind: spanKind.consumer });
    expect(consumed.name).toMatch(/applications\.events$/);
    const produced = await find('the span the consumer continued', (s) => s.spanId === consumed.parentSpanId);
    expect(produced).toMatchObject({ service: 'applications', kind: spanKind.producer });
    expect(produced.attributes['s3p.event.type']).toBe('application.submitted');
    expect(produced.parentSpanId).toBe(applications.spanId);
    // The workflow continued the trace: it scheduled activities in it (its own run span ends only
    // with the pilot, so it is not exported yet), and the activities ran as their children.
    const scheduled = await find(
      'an activity scheduled by the workflow',
      (s) => s.service === 'lifecycle' && s.name.startsWith('StartActivity:'),
    );
    expect(scheduled.attributes.workflowId).toBe(draft.id);
    const activity = await find(
      'an activity of the workflow',
      (s) =>
        s.service === 'lifecycle' && s.name.startsWith('RunActivity:') && s.parentSpanId === scheduled.spanId,
    );
    expect(activity.name.slice('RunActivity:'.length)).toBe(scheduled.name.slice('StartActivity:'.length));

    // And back: the lifecycle's events, published by its relay, are consumed by other services in the same trace.
    const lifecycleEvents = await find(
      'the lifecycle.events producer span',
      (s) => s.service === 'lifecycle' && s.kind === spanKind.producer && s.name.endsWith('lifecycle.events'),
    );
    const back = await find(
      'a consumer of lifecycle.events in another service',
      (s) =>
        s.service !== 'lifecycle' &&
        s.kind === spanKind.consumer &&
        s.parentSpanId === lifecycleEvents.spanId,
    );
    expect(['applications', 'experts', 'reporting', 'notifications']).toContain(back.service);
  }, 240_000);

  it('shows each service’s latency, consumer lag, DLQ depth, outbox backlog and pilots per stage at /metrics', async () => {
    const consuming: ServiceName[] = ['applications', 'lifecycle', 'experts', 'reporting', 'notifications'];
    const relaying: Partial<Record<ServiceName, string[]>> = {
      applications: ['applications'],
      calls: ['calls'],
      lifecycle: ['pilots'],
      experts: ['experts', 'teams'],
      reporting: ['milestones', 'pilots'],
    };
    const all: ServiceName[] = ['portal', 'calls', ...consuming];
    for (const name of all) {
      const metrics = await metricsOf(name);
      const latency = metrics.get('http_request_duration_seconds_count') ?? [];
      expect(latency.length).toBeGreaterThan(0);
      expect(latency.every((s) => s.labels.service === name)).toBe(true);
    }

    // Once the pilot's work has settled: nothing behind, nothing dead, nothing waiting in an outbox.
    for (const name of consuming) {
      await eventually(
        async () => {
          const metrics = await metricsOf(name);
          const lag = metrics.get('kafka_consumer_lag_messages') ?? [];
          const dead = metrics.get('kafka_dead_letter_messages') ?? [];
          return (
            lag.length > 0 &&
            lag.every(
              (s) => s.labels.group && s.labels.topic?.startsWith(platform.topicPrefix) && s.value === 0,
            ) &&
            dead.length > 0 &&
            dead.every((s) => s.labels.topic?.endsWith('.dlq') && s.value === 0)
          );
        },
        `${name}: consumer lag and DLQ depth at 0`,
        60_000,
      );
    }
    for (const [name, outboxes] of Object.entries(relaying) as [ServiceName, string[]][]) {
      await eventually(
        async () => {
          const backlog = (await metricsOf(name)).get('outbox_backlog_documents') ?? [];
          return (
            backlog
              .map((s) => s.labels.outbox)
              .sort()
              .join() === [...outboxes].sort().join() && backlog.every((s) => s.value === 0)
          );
        },
        `${name}: every outbox relayed`,
        60_000,
      );
    }
    // This platform's only pilot, in whichever stage it has reached.
    const stages = await eventually(
      async () => {
        const pilots = (await metricsOf('lifecycle')).get('pilots_by_stage') ?? [];
        return pilots.reduce((sum, s) => sum + s.value, 0) === 1 ? pilots : undefined;
      },
      'the submitted pilot counted in one stage',
      60_000,
    );
    const stage = stages.find((s) => s.value === 1)?.labels.stage;
    expect(pilotStage.options).toContain(stage);
  }, 240_000);
});
