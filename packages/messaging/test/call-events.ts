import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';

/** A valid `call.closed` event of the call, new each time: the messaging tests' message. */
export const callClosed = (callId: string): AnyEnvelope => ({
  id: randomUUID(),
  type: 'call.closed',
  version: 1,
  source: 'calls',
  subject: callId,
  occurredAt: new Date().toISOString(),
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'system', name: 'test' },
  data: { callId, closedAt: new Date().toISOString(), reason: 'manual' },
});
