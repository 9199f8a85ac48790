import { randomUUID } from 'node:crypto';
import type { AnyEnvelope, CallSnapshot } from '@s3p/contracts';
import { applicationWindow, laterStatus, projectCallEvent } from '../src/domain/call-projection';
import type { CallProjection } from '../src/domain/call-projection';
import { amended, callSnapshot, closed, opened, published } from './fixtures';

const at = (iso: string) => new Date(iso);
const call = callSnapshot('industrial-transition', {
  id: 'call-1',
  opensAt: '2027-01-01T00:00:00.000Z',
  closesAt: '2027-03-01T12:00:00.000Z',
});

/** Applies events in order, as the consumer would. */
const project = (...events: AnyEnvelope[]): CallProjection | undefined =>
  events.reduce<CallProjection | undefined>(
    (current, event) => projectCallEvent(current, event) ?? current,
    undefined,
  );

describe('the projection of one call', () => {
  it('follows a call through publication, opening and closing', () => {
    const scheduled = { ...call, status: 'scheduled' as const };
    expect(project(published(scheduled, at('2026-12-01T00:00:00Z')))).toMatchObject({
      callId: 'call-1',
      status: 'scheduled',
      snapshot: scheduled,
      snapshotAt: '2026-12-01T00:00:00.000Z',
    });
    const open = project(
      published(scheduled, at('2026-12-01T00:00:00Z')),
      opened(call, at('2027-01-01T00:00:00Z')),
    );
    expect(open).toMatchObject({ status: 'open', openedAt: '2027-01-01T00:00:00.000Z' });
    const done = project(
      published(scheduled, at('2026-12-01T00:00:00Z')),
      opened(call, at('2027-01-01T00:00:00Z')),
      closed(call, at('2027-03-01T12:00:00Z')),
    );
    expect(done).toMatchObject({
      status: 'closed',
      closedAt: '2027-03-01T12:00:00.000Z',
      snapshot: scheduled,
    });
  });

  it('keeps the newest content when an older event arrives after a newer one', () => {
    const newer = { ...call, title: 'Amended title' };
    const inOrder = project(
      published(call, at('2027-01-01T00:00:00Z')),
      amended(newer, ['title'], at('2027-01-02T00:00:00Z')),
    );
    const reversed = project(
      amended(newer, ['title'], at('2027-01-02T00:00:00Z')),
      published(call, at('2027-01-01T00:00:00Z')),
    );
    expect(inOrder?.snapshot?.title).toBe('Amended title');
    expect(reversed?.snapshot?.title).toBe('Amended title');
    expect(reversed).toEqual(inOrder);
  });

  it('lets the later delivery win between events of the same instant', () => {
    const same = at('2027-01-02T00:00:00Z');
    const result = project(
      amended({ ...call, title: 'First' }, ['title'], same),
      amended({ ...call, title: 'Second' }, ['title'], same),
    );
    expect(result?.snapshot?.title).toBe('Second');
  });

  it('never moves a status back: closed is final', () => {
    const reopened = project(
      published(call, at('2027-01-01T00:00:00Z')),
      closed(call, at('2027-03-01T12:00:00Z')),
      opened(call, at('2027-01-01T00:00:00Z')),
      amended({ ...call, status: 'open', title: 'Late' }, ['title'], at('2027-03-02T00:00:00Z')),
    );
    expect(reopened).toMatchObject({ status: 'closed', snapshot: { title: 'Late' } });
  });

  it('knows a call opened or closed before its publication arrives, and applies the publication after', () => {
    const early = project(opened(call, at('2027-01-01T00:00:00Z')));
    expect(early).toEqual({ callId: 'call-1', status: 'open', openedAt: '2027-01-01T00:00:00.000Z' });
    expect(applicationWindow(early, at('2027-02-01T00:00:00Z'))).toMatchObject({
      open: false,
      reason: 'unknown',
    });
    const later = project(
      opened(call, at('2027-01-01T00:00:00Z')),
      published({ ...call, status: 'scheduled' }, at('2026-12-01T00:00:00Z')),
    );
    expect(later).toMatchObject({ status: 'open', snapshot: { status: 'scheduled' } });
    const closedFirst = project(
      closed(call, at('2027-03-01T12:00:00Z')),
      published(call, at('2026-12-01T00:00:00Z')),
    );
    expect(closedFirst?.status).toBe('closed');
  });

  it('is the same after an event applied twice', () => {
    const events = [published(call, at('2027-01-01T00:00:00Z')), opened(call, at('2027-01-01T00:00:00Z'))];
    const once = project(...events);
    expect(project(...events, ...events)).toEqual(once);
    const closing = closed(call, at('2027-03-01T12:00:00Z'));
    const twice = project(...events, closing, closed(call, at('2027-03-01T12:00:05Z')));
    expect(twice?.closedAt).toBe('2027-03-01T12:00:00.000Z');
  });

  it('ignores what does not concern it', () => {
    const reserved = {
      id: randomUUID(),
      type: 'call.budget-reserved',
      version: 1,
      source: 'calls',
      subject: 'call-1',
      occurredAt: '2027-04-01T00:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: { kind: 'system', name: 'lifecycle' },
      data: { callId: 'call-1', applicationId: 'app-1', amount: 100, committedBudget: 100 },
    } as AnyEnvelope;
    expect(projectCallEvent(project(published(call)), reserved)).toBeUndefined();
  });

  it('orders statuses draft, scheduled, open, closed', () => {
    expect(laterStatus('open', 'scheduled')).toBe('open');
    expect(laterStatus('scheduled', 'open')).toBe('open');
    expect(laterStatus('closed', 'open')).toBe('closed');
    expect(laterStatus('draft', 'draft')).toBe('draft');
  });
});

describe('whether a region may apply', () => {
  const open = project(published(call, at('2027-01-01T00:00:00Z')));

  it('only to a known, open call before its deadline', () => {
    expect(applicationWindow(undefined, at('2027-02-01T00:00:00Z'))).toMatchObject({
      open: false,
      reason: 'unknown',
    });
    expect(applicationWindow(open, at('2027-02-01T00:00:00Z'))).toEqual({ open: true, call });
    const scheduled = project(published({ ...call, status: 'scheduled' } as CallSnapshot));
    expect(applicationWindow(scheduled, at('2027-02-01T00:00:00Z'))).toMatchObject({
      open: false,
      reason: 'not-open',
      detail: 'the call is scheduled, not open',
    });
  });

  it('on its own clock: at the closing instant the call is closed, even before call.closed arrives', () => {
    expect(applicationWindow(open, at('2027-03-01T11:59:59.999Z')).open).toBe(true);
    expect(applicationWindow(open, at('2027-03-01T12:00:00.000Z'))).toMatchObject({
      open: false,
      reason: 'deadline',
    });
  });
});
