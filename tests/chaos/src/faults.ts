import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceName } from '@s3p/infra-local';
import { serviceNames } from '@s3p/infra-local';
import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Bots } from './bots';
import type { ChaosPlatform } from './chaos-platform';
import type { ChaosStack, ProxiedPart, StackPart } from './chaos-stack';
import type { Check } from './invariants';
import type { Stream, ToxicSpec } from './toxiproxy-client';

/** What a fault acts on, and where it leaves what it found. */
export interface ChaosContext {
  stack: ChaosStack;
  platform: ChaosPlatform;
  bots: Bots;
  kafka: Kafka;
  temporal: Client;
  /** Keys of the poison messages put on the topics. */
  poisonKeys: Set<string>;
  /** Checks that faults make on the spot (open pilots still there after a Temporal restart). */
  checks: Check[];
  log: (line: string) => void;
}

/** One fault: injected, held while the load goes on, healed; answers what it did. */
export interface Fault {
  name: string;
  inject(context: ChaosContext): Promise<string>;
}

const running = (platform: ChaosPlatform, name: ServiceName) =>
  Array.from({ length: platform.instanceCount(name) }, (_, i) => i);

/** `kill -9` of one instance, restarted after `downMs`. */
export const killService = (name: ServiceName, instance = 0, downMs = 2_000): Fault => ({
  name: `kill -9 ${name}${instance ? ` #${instance}` : ''}`,
  async inject({ platform }) {
    await platform.kill(name, instance);
    await delay(downMs);
    const began = performance.now();
    await platform.start(name, instance);
    return `down ${downMs} ms, ready again ${Math.round(performance.now() - began)} ms after its start`;
  },
});

/** The lifecycle worker killed while an approval (an update whose activity reserves budget) is under way. */
export const killLifecycleMidActivity = (): Fault => ({
  name: 'kill -9 lifecycle worker mid-activity',
  async inject({ platform, bots }) {
    const deadline = Date.now() + 60_000;
    while (bots.decisionsInFlight === 0 && Date.now() < deadline) await delay(20);
    const inFlight = bots.decisionsInFlight;
    for (const i of running(platform, 'lifecycle')) await platform.kill('lifecycle', i);
    await delay(1_000);
    for (const i of running(platform, 'lifecycle')) await platform.start('lifecycle', i);
    return inFlight > 0
      ? `killed with ${inFlight} decision(s) in flight`
      : 'no decision came within 60 s: killed anyway';
  },
});

/** A toxic on the proxy between the services and a part of the stack, for `holdMs`. */
export const toxic = (part: ProxiedPart, stream: Stream, spec: ToxicSpec, holdMs: number): Fault => ({
  name: `toxiproxy ${spec.type} ${JSON.stringify(spec.attributes)} on ${part} (${stream})`,
  async inject({ stack }) {
    const name = `${spec.type}-${randomUUID().slice(0, 6)}`;
    await stack.toxiproxy.addToxic(part, name, stream, spec);
    await delay(holdMs);
    await stack.toxiproxy.removeToxic(part, name);
    return `held ${holdMs} ms`;
  },
});

/** The proxy switched off: no connection to that part of the stack at all, for `holdMs`. */
export const partition = (part: ProxiedPart, holdMs: number): Fault => ({
  name: `network partition from ${part}`,
  async inject({ stack }) {
    await stack.toxiproxy.setEnabled(part, false);
    await delay(holdMs);
    await stack.toxiproxy.setEnabled(part, true);
    return `held ${holdMs} ms`;
  },
});

/** A part of the stack stopped (SIGTERM or SIGKILL) and started again after `downMs`. */
export const stopStackPart = (part: StackPart, how: 'clean' | 'hard', downMs: number): Fault => ({
  name: `${part} stopped ${how === 'clean' ? 'cleanly' : 'hard (SIGKILL)'}${downMs === 0 ? ' and bounced' : ''}`,
  async inject({ stack }) {
    await stack.stopPart(part, how);
    await delay(downMs);
    const began = performance.now();
    await stack.startPart(part);
    return `down ${downMs} ms, answering ${Math.round(performance.now() - began)} ms after its start`;
  },
});

async function openPilots(temporal: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of temporal.workflow.list({ query: `ExecutionStatus = 'Running'` }))
    ids.add(execution.workflowId);
  return ids;
}

/** The Temporal dev server restarted: every pilot open before must still be open after. */
export const restartTemporal = (downMs: number): Fault => ({
  name: 'Temporal dev server restarted',
  async inject({ stack, temporal, checks }) {
    const before = await openPilots(temporal);
    await stack.stopPart('temporal', 'clean');
    await delay(downMs);
    await stack.startPart('temporal');
    const after = await openPilots(temporal);
    const lost = [...before].filter((id) => !after.has(id));
    checks.push({
      name: 'every open pilot is still there after the Temporal restart',
      holds: lost.length === 0,
      detail: `${before.size} open before, ${lost.length} of them missing after`,
    });
    return `${before.size} open workflows before, ${after.size} after`;
  },
});

/** A second instance of every service: consumer groups rebalance, workers share the task queues. */
export const secondInstances = (): Fault => ({
  name: 'a second instance of every service',
  async inject({ platform }) {
    for (const name of serviceNames) {
      if (platform.instanceCount(name) < 2) await platform.start(name, 1);
    }
    return `${serviceNames.length} services with two instances each from now on`;
  },
});

/** Messages no consumer can take: one not JSON, one not an event. Each must end in a DLQ. */
export const poison = (): Fault => ({
  name: 'poison messages on calls.events',
  async inject({ kafka, platform, poisonKeys }) {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const notJson = `poison-${randomUUID()}`;
    const notAnEvent = `poison-${randomUUID()}`;
    await producer.send({
      topic: `${platform.topicPrefix}calls.events`,
      messages: [
        { key: notJson, value: '{"not": json' },
        { key: notAnEvent, value: JSON.stringify({ type: 'call.published', version: 1, data: {} }) },
      ],
    });
    await producer.disconnect();
    poisonKeys.add(notJson);
    poisonKeys.add(notAnEvent);
    return 'two messages, keys recorded';
  },
});
