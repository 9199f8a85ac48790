import fc from 'fast-check';
import { knownEventTypes, validateEvent } from '../src';

const timestampArb = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const textArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .filter((s) => s.trim() === s && s.length > 0);

/** Events of a few types, each valid by its schema: what other services put on the wire. */
const dataArb = fc.oneof(
  fc.record({
    type: fc.constant('call.closed'),
    data: fc.record({
      callId: textArb,
      closedAt: timestampArb,
      reason: fc.constantFrom('deadline', 'manual'),
    }),
  }),
  fc.record({
    type: fc.constant('application.withdrawn'),
    data: fc.record(
      { applicationId: textArb, reason: textArb, withdrawnAt: timestampArb },
      { requiredKeys: ['applicationId', 'withdrawnAt'] },
    ),
  }),
  fc.record({
    type: fc.constant('final-report.accepted'),
    data: fc.record({ pilotId: textArb, acceptedAt: timestampArb }),
  }),
  fc.record({
    type: fc.constant('milestone.verified'),
    data: fc.record({
      pilotId: textArb,
      milestone: fc.nat(20),
      verdict: fc.constantFrom('accepted', 'rejected'),
      verifiedAt: timestampArb,
    }),
  }),
);

const eventArb = fc
  .record({
    id: fc.uuid({ version: 4 }),
    correlationId: fc.uuid({ version: 4 }),
    causationId: fc.option(fc.uuid({ version: 4 }), { nil: null }),
    subject: textArb,
    occurredAt: timestampArb,
    actor: fc.oneof(
      fc.record({
        kind: fc.constant('user'),
        sub: textArb,
        roles: fc.array(fc.constantFrom('region', 'auditor')),
      }),
      fc.record({ kind: fc.constant('system'), name: textArb }),
    ),
    payload: dataArb,
  })
  .map(({ payload, ...envelope }) => ({
    ...envelope,
    source: 'test',
    type: payload.type,
    version: 1,
    data: payload.data,
  }));

const envelopeKeys = [
  'id',
  'source',
  'subject',
  'occurredAt',
  'correlationId',
  'causationId',
  'actor',
  'type',
  'version',
  'data',
];

describe('event validation properties', () => {
  it('never throws, whatever arrives, and says why it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (raw) => {
        const result = validateEvent(raw);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }),
    );
  });

  it('takes a valid event, as sent and after a trip over the wire', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        expect(validateEvent(event)).toEqual({ ok: true, event });
        expect(validateEvent(JSON.parse(JSON.stringify(event))).ok).toBe(true);
      }),
    );
  });

  it('refuses an event missing any field of the envelope, or carrying one more', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.constantFrom(...envelopeKeys),
        fc.constantFrom('extra', '$where', '__meta'),
        (event, missing, extra) => {
          const { [missing]: _, ...without } = event as Record<string, unknown>;
          expect(validateEvent(without).ok).toBe(false);
          expect(validateEvent({ ...event, [extra]: 1 }).ok).toBe(false);
          expect(validateEvent({ ...event, data: { ...event.data, [extra]: 1 } }).ok).toBe(false);
        },
      ),
    );
  });

  it('refuses a version or a type it does not know, naming it', () => {
    fc.assert(
      fc.property(eventArb, fc.integer({ min: 2, max: 99 }), (event, version) => {
        fc.pre(!knownEventTypes().includes(`${event.type}@${version}`));
        expect(validateEvent({ ...event, version })).toEqual({
          ok: false,
          reason: `unknown event ${event.type}@${version}`,
          issues: [],
        });
      }),
    );
  });

  it('lists the known events once each, in order', () => {
    const known = knownEventTypes();
    expect(known).toEqual([...new Set(known)].sort());
    for (const name of known) expect(name).toMatch(/^[a-z-]+(\.[a-z-]+)+@\d+$/);
  });
});
