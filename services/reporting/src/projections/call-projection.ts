import type { CallSnapshot, CallStatus } from '@s3p/contracts';
import type { CallEvent } from './projected-events';
import { callIdOf, earliest, greater, latest, stampOf, utc } from './projected-events';

/** A call only moves forward: the furthest status any event reported is where it stands. */
const statusOrder: readonly CallStatus[] = ['draft', 'scheduled', 'open', 'closed'];

const furthest = (held: CallStatus, arriving: CallStatus): CallStatus =>
  statusOrder.indexOf(arriving) > statusOrder.indexOf(held) ? arriving : held;

/** One call as the read models keep it; like a pilot, every field is a merge that ignores arrival order. */
export interface CallProjection {
  _id: string;
  /** The newest content, published or amended. */
  content?: { call: CallSnapshot; stamp: string };
  status: CallStatus;
  publishedAt?: string;
  openedAt?: string;
  closedAt?: string;
  lastEventAt: string;
}

function withFact(call: CallProjection, event: CallEvent): CallProjection {
  switch (event.type) {
    case 'call.published':
    case 'call.amended': {
      const content = { call: event.data.call, stamp: stampOf(event) };
      return {
        ...call,
        content: greater(call.content, content, (c) => [c.stamp]),
        status: furthest(call.status, event.data.call.status),
        ...(event.type === 'call.published'
          ? { publishedAt: earliest(call.publishedAt, utc(event.occurredAt)) }
          : {}),
      };
    }
    case 'call.opened':
      return {
        ...call,
        status: furthest(call.status, 'open'),
        openedAt: earliest(call.openedAt, utc(event.data.openedAt)),
      };
    case 'call.closed':
      return {
        ...call,
        status: furthest(call.status, 'closed'),
        closedAt: earliest(call.closedAt, utc(event.data.closedAt)),
      };
  }
}

/** The call with one more event taken in; the same event again changes nothing. */
export function foldCall(held: CallProjection | undefined, event: CallEvent): CallProjection {
  const call = withFact(held ?? { _id: callIdOf(event), status: 'draft', lastEventAt: '' }, event);
  return { ...call, lastEventAt: latest(call.lastEventAt, utc(event.occurredAt)) };
}
