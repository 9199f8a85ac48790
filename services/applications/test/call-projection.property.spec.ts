import type { AnyEnvelope, CallStatus } from '@s3p/contracts';
import fc from 'fast-check';
import type { CallProjection } from '../src/domain/call-projection';
import { applicationWindow, laterStatus, projectCallEvent } from '../src/domain/call-projection';
import { amended, callSnapshot, closed, opened, published } from './fixtures';

const statuses: CallStatus[] = ['draft', 'scheduled', 'open', 'closed'];
const rank = (status: CallStatus) => statuses.indexOf(status);
const base = Date.parse('2027-01-01T00:00:00.000Z');
const minute = 60_000;

/**
 * The events one call really gives (snapshots at distinct times, one opening, one closing), then
 * delivered in any order, some of them more than once: what a consumer sees after redeliveries
 * and replays from the DLQ.
 */
const historyArb = fc
  .record({
    snapshots: fc.uniqueArray(
      fc.record({
        minute: fc.nat(10_000),
        kind: fc.constantFrom('published' as const, 'amended' as const),
        status: fc.constantFrom<CallStatus>('scheduled', 'open', 'closed'),
        title: fc.constantFrom('Call A', 'Call B', 'Call C'),
      }),
      { minLength: 1, maxLength: 5, selector: (s) => s.minute },
    ),
    openedAt: fc.option(fc.nat(10_000), { nil: undefined, freq: 1 }),
    closedAt: fc.option(fc.nat(10_000), { nil: undefined, freq: 1 }),
  })
  .map(({ snapshots, openedAt, closedAt }) => {
    const events: AnyEnvelope[] = snapshots.map(({ minute: m, kind, status, title }) => {
      const call = callSnapshot('industrial-transition', {
        id: 'call-1',
        status,
        title,
        opensAt: new Date(base).toISOString(),
        closesAt: new Date(base + 20_000 * minute).toISOString(),
      });
      const at = new Date(base + m * minute);
      return kind === 'published' ? published(call, at) : amended(call, ['title'], at);
    });
    const ref = callSnapshot('industrial-transition', { id: 'call-1' });
    if (openedAt !== undefined) events.push(opened(ref, new Date(base + openedAt * minute)));
    if (closedAt !== undefined) events.push(closed(ref, new Date(base + closedAt * minute)));
    return events;
  });

const deliveriesArb = historyArb.chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc.array(fc.nat(events.length - 1), { maxLength: 4 }).chain((repeats) =>
      fc.shuffledSubarray([...events, ...repeats.map((i) => events[i]!)], {
        minLength: events.length + repeats.length,
      }),
    ),
  ),
);

const project = (events: AnyEnvelope[]): CallProjection | undefined =>
  events.reduce<CallProjection | undefined>(
    (current, event) => projectCallEvent(current, event) ?? current,
    undefined,
  );

describe('call projection properties', () => {
  it('ends in the same projection whatever the order of delivery and however often an event comes', () => {
    fc.assert(
      fc.property(deliveriesArb, ([events, deliveries]) => {
        expect(project(deliveries)).toEqual(project(events));
      }),
    );
  });

  it('changes nothing when an event is applied a second time', () => {
    fc.assert(
      fc.property(deliveriesArb, fc.nat(), ([, deliveries], pick) => {
        const before = project(deliveries);
        const again = deliveries[pick % deliveries.length]!;
        expect(projectCallEvent(before, again) ?? before).toEqual(before);
      }),
    );
  });

  it('never moves the status back, and ends at the latest status any event carries', () => {
    fc.assert(
      fc.property(deliveriesArb, ([, deliveries]) => {
        let current: CallProjection | undefined;
        for (const event of deliveries) {
          const next = projectCallEvent(current, event) ?? current;
          if (current && next) expect(rank(next.status)).toBeGreaterThanOrEqual(rank(current.status));
          current = next;
        }
        const carried = deliveries.map((e) => {
          const data = e.data as { call?: { status: CallStatus } };
          return e.type === 'call.opened' ? 'open' : e.type === 'call.closed' ? 'closed' : data.call!.status;
        });
        expect(current!.status).toBe(carried.reduce(laterStatus, 'draft'));
      }),
    );
  });

  it('keeps the content of the latest snapshot, by the time it was taken', () => {
    fc.assert(
      fc.property(deliveriesArb, ([, deliveries]) => {
        const snapshots = deliveries.filter((e) => e.type === 'call.published' || e.type === 'call.amended');
        const latest = snapshots.reduce((a, b) =>
          Date.parse(b.occurredAt) > Date.parse(a.occurredAt) ? b : a,
        );
        const projection = project(deliveries)!;
        expect(projection.snapshot).toEqual((latest.data as { call: unknown }).call);
        expect(projection.snapshotAt).toBe(latest.occurredAt);
      }),
    );
  });

  it('orders statuses as a join: commutative, associative, idempotent, never below either', () => {
    const status = fc.constantFrom(...statuses);
    fc.assert(
      fc.property(status, status, status, (a, b, c) => {
        expect(laterStatus(a, b)).toBe(laterStatus(b, a));
        expect(laterStatus(laterStatus(a, b), c)).toBe(laterStatus(a, laterStatus(b, c)));
        expect(laterStatus(a, a)).toBe(a);
        expect(rank(laterStatus(a, b))).toBe(Math.max(rank(a), rank(b)));
      }),
    );
  });

  it('lets regions apply only to an open call before its deadline', () => {
    fc.assert(
      fc.property(
        deliveriesArb,
        // Around the deadline (minute 20 000), where an off-by-one shows, and anywhere.
        fc.oneof(
          { arbitrary: fc.integer({ min: 19_999, max: 20_001 }), weight: 3 },
          { arbitrary: fc.integer({ min: -10, max: 30_000 }), weight: 1 },
        ),
        ([, deliveries], nowMinute) => {
          const projection = project(deliveries);
          const now = new Date(base + nowMinute * minute);
          const window = applicationWindow(projection, now);
          const closesAt = Date.parse(projection!.snapshot!.closesAt);
          expect(window.open).toBe(projection!.status === 'open' && now.getTime() < closesAt);
        },
      ),
      { numRuns: 300 },
    );
  });
});
