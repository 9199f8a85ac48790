import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createKafka } from '@s3p/messaging';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { Bots } from './bots';
import { ChaosPlatform } from './chaos-platform';
import { ChaosStack } from './chaos-stack';
import type { ChaosContext } from './faults';
import { Recorder } from './http-record';
import type { Check } from './invariants';
import { checkInvariants, outcomes, settle } from './invariants';
import { deadLettersAccountedFor, redriveDeadLetters } from './dead-letters';
import type { Plan } from './plans';
import { replayFromZero } from './replay';

export interface FaultRecord {
  name: string;
  /** Milliseconds since the run began. */
  startedAt: number;
  endedAt: number;
  detail: string;
}

export interface ChaosResult {
  plan: Plan['name'];
  startedAt: string;
  durationS: number;
  faults: FaultRecord[];
  requests: number;
  outcomes: Record<string, number>;
  pilots: {
    started: number;
    acknowledged: number;
    approved: number;
    ends: Record<string, number>;
    /** Why bots gave up or failed, pilot by pilot. */
    problems: string[];
  };
  checks: Check[];
  /** Acknowledged submissions without a pilot, and stage changes missing from the audit trail. */
  losses: number;
  /** Where the services' logs are kept. */
  logDir: string;
}

/**
 * One chaos run: a stack and a platform of its own, the bots' load, the plan's faults in turn
 * while the load runs, then the replays and the invariants. Everything it started is stopped.
 */
export async function runChaos(plan: Plan, log: (line: string) => void): Promise<ChaosResult> {
  const startedAt = new Date();
  const stack = await ChaosStack.start(log);
  const logDir = mkdtempSync(path.join(tmpdir(), 's3p-chaos-services-'));
  let platform: ChaosPlatform | undefined;
  const mongo = new MongoClient(stack.addresses.direct.mongoUri, { directConnection: true });
  const connection = await Connection.connect({ address: stack.addresses.direct.temporalAddress });
  try {
    platform = await ChaosPlatform.start(stack.addresses, logDir);
    log(`platform up (logs in ${logDir})`);
    const recorder = new Recorder();
    const livePlatform = platform;
    const bots = await Bots.start(recorder, () => livePlatform.portals());
    const context: ChaosContext = {
      stack,
      platform,
      bots,
      kafka: createKafka({ brokers: [stack.addresses.direct.kafkaBrokers], clientId: 'chaos-harness' }),
      temporal: new Client({ connection }),
      poisonKeys: new Set(),
      checks: [],
      log,
    };

    let loadStopped = false;
    const load = bots.run(plan.pilots, plan.everyMs, () => loadStopped);
    await delay(plan.warmupMs);
    const faults: FaultRecord[] = [];
    for (const fault of plan.faults) {
      const startedAtMs = recorder.now();
      if (startedAtMs > plan.faultPhaseMs) {
        faults.push({
          name: fault.name,
          startedAt: startedAtMs,
          endedAt: startedAtMs,
          detail: 'skipped: out of time',
        });
        continue;
      }
      recorder.during(fault.name);
      let detail: string;
      try {
        detail = await fault.inject(context);
      } catch (error) {
        detail = `the harness could not inject it: ${(error as Error).message}`;
      }
      recorder.during(undefined);
      faults.push({ name: fault.name, startedAt: startedAtMs, endedAt: recorder.now(), detail });
      log(`fault: ${fault.name}: ${detail}`);
      await delay(plan.gapMs);
    }
    loadStopped = true;
    await load;
    log(`load over: ${recorder.exchanges.length} requests`);

    const databasePrefix = platform.databasePrefix;
    const db = (service: string) => mongo.db(`${databasePrefix}s3p_${service}`);
    const letters = {
      kafka: context.kafka,
      topicPrefix: platform.topicPrefix,
      poisonKeys: context.poisonKeys,
      db,
    };
    const redriven = await redriveDeadLetters(letters);
    faults.push({
      name: 'dead letters of valid events re-driven (runbook: npm run dlq -- replay)',
      startedAt: recorder.now(),
      endedAt: recorder.now(),
      detail: `${redriven} re-driven`,
    });
    const witnesses = {
      bots,
      db,
      temporal: context.temporal,
      deadLetters: () => deadLettersAccountedFor(letters),
      exchanges: recorder.exchanges,
    };
    await settle(witnesses, 120_000);
    // Checked before the replays, which would otherwise make up for anything lost.
    const invariants = await checkInvariants(witnesses);
    const replayWitnesses = {
      platform,
      kafka: context.kafka,
      mongo,
      mailpitUrl: `http://127.0.0.1:${stack.config.ports.mailpitHttp}`,
      log,
    };
    for (const replay of plan.replays) {
      const startedAtMs = recorder.now();
      const check = await replayFromZero(replayWitnesses, replay === 'crash').catch(
        (error: unknown): Check => ({
          name: `consumer replay (${replay})`,
          holds: false,
          detail: `the harness could not replay: ${(error as Error).message}`,
        }),
      );
      context.checks.push(check);
      faults.push({
        name: check.name,
        startedAt: startedAtMs,
        endedAt: recorder.now(),
        detail: check.detail,
      });
    }
    const checks = [...invariants, ...context.checks];
    const lost = (name: string) => checks.find((c) => c.name.startsWith(name))?.lost ?? 0;
    const ends: Record<string, number> = {};
    for (const pilot of bots.pilots) {
      const end = pilot.end.replace(/:.*/, '');
      ends[end] = (ends[end] ?? 0) + 1;
    }
    return {
      plan: plan.name,
      startedAt: startedAt.toISOString(),
      durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
      faults,
      requests: recorder.exchanges.length,
      outcomes: outcomes(recorder.exchanges),
      pilots: {
        started: bots.pilots.length,
        acknowledged: bots.pilots.filter((p) => p.acknowledged).length,
        approved: bots.pilots.filter((p) => p.approved).length,
        ends,
        problems: bots.pilots
          .filter((p) => /^(gave up|failed)/.test(p.end))
          .map((p) => `pilot ${p.n} (${p.applicationId ?? 'no application'}): ${p.end}`),
      },
      checks,
      losses: lost('every submission') + lost('every stage change'),
      logDir,
    };
  } finally {
    await platform?.stop();
    await mongo.close();
    await connection.close();
    await stack.stop();
  }
}
