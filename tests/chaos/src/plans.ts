import { serviceNames } from '@s3p/infra-local';
import type { Fault } from './faults';
import {
  killLifecycleMidActivity,
  killService,
  partition,
  poison,
  restartTemporal,
  secondInstances,
  stopStackPart,
  toxic,
} from './faults';

/** How much load, which faults in turn, and which replays at the end. */
export interface Plan {
  name: 'bounded' | 'full';
  /** Pilots started, one every `everyMs`, while the faults run. */
  pilots: number;
  everyMs: number;
  /** Load before the first fault, and between two faults. */
  warmupMs: number;
  gapMs: number;
  faults: Fault[];
  /** Faults not begun this long after the load began are skipped (and listed), so that the run ends in time. */
  faultPhaseMs: number;
  /** `reset`: groups back to offset 0; `crash`: the same with the processed marks lost. */
  replays: ('reset' | 'crash')[];
}

/** Inside `npm test`: a few minutes, a small load, the faults most likely to lose something. */
export const boundedPlan: Plan = {
  name: 'bounded',
  pilots: 6,
  everyMs: 2_000,
  warmupMs: 8_000,
  gapMs: 2_000,
  faultPhaseMs: 10 * 60_000,
  faults: [
    poison(),
    killLifecycleMidActivity(),
    killService('calls'),
    toxic('ferretdb', 'downstream', { type: 'latency', attributes: { latency: 300, jitter: 100 } }, 6_000),
    toxic('ferretdb', 'upstream', { type: 'reset_peer', attributes: { timeout: 500 } }, 3_000),
    toxic('kafka', 'upstream', { type: 'reset_peer', attributes: { timeout: 500 } }, 3_000),
    toxic('kafka', 'downstream', { type: 'latency', attributes: { latency: 300, jitter: 100 } }, 6_000),
  ],
  replays: ['reset'],
};

/** `npm run chaos`: every fault of issue 10, bounded in time (well under 20 minutes). */
export const fullPlan: Plan = {
  name: 'full',
  // Enough to keep pilots starting until the last fault; the start of pilots stops there.
  pilots: 90,
  everyMs: 6_000,
  warmupMs: 10_000,
  gapMs: 3_000,
  faultPhaseMs: 12 * 60_000,
  faults: [
    poison(),
    ...serviceNames.map((name) => killService(name)),
    killLifecycleMidActivity(),
    stopStackPart('kafka', 'clean', 10_000),
    stopStackPart('kafka', 'hard', 10_000),
    stopStackPart('kafka', 'hard', 0),
    stopStackPart('ferretdb', 'hard', 5_000),
    stopStackPart('ferretdb', 'clean', 0),
    restartTemporal(5_000),
    toxic('ferretdb', 'downstream', { type: 'latency', attributes: { latency: 500, jitter: 200 } }, 10_000),
    toxic('ferretdb', 'upstream', { type: 'timeout', attributes: { timeout: 2_000 } }, 6_000),
    toxic('ferretdb', 'upstream', { type: 'reset_peer', attributes: { timeout: 200 } }, 5_000),
    partition('ferretdb', 5_000),
    toxic('kafka', 'downstream', { type: 'latency', attributes: { latency: 500, jitter: 200 } }, 10_000),
    toxic('kafka', 'upstream', { type: 'timeout', attributes: { timeout: 2_000 } }, 6_000),
    toxic('kafka', 'upstream', { type: 'reset_peer', attributes: { timeout: 200 } }, 5_000),
    partition('kafka', 8_000),
    toxic('temporal', 'downstream', { type: 'latency', attributes: { latency: 500, jitter: 200 } }, 10_000),
    toxic('temporal', 'upstream', { type: 'timeout', attributes: { timeout: 2_000 } }, 6_000),
    toxic('temporal', 'upstream', { type: 'reset_peer', attributes: { timeout: 200 } }, 5_000),
    partition('temporal', 5_000),
    secondInstances(),
    killService('portal', 1),
    killService('experts', 1),
    killLifecycleMidActivity(),
    stopStackPart('kafka', 'hard', 5_000),
  ],
  replays: ['reset', 'crash'],
};
