import { lifecycleEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import { approvalOf } from '../src/events/consumed-events';

const facts = {
  pilotId: 'app-1',
  callId: 'call-1',
  pilotType: 'industrial-transition' as const,
  region: 'BG41',
  partners: [],
  countries: ['BG' as const],
  priorityDomains: [{ kind: 'economic' as const, naceSection: 'C' as const }],
  amount: 100_000_00,
  approvedAt: '2026-01-01T10:00:00.000Z',
};
const meta = { source: 'lifecycle', subject: 'app-1', actor: { kind: 'system', name: 'lifecycle' } } as const;

describe('pilot.approved, in every version the experts service reads', () => {
  it('reads version 2 as it is', () => {
    const v2 = newEvent(lifecycleEvents.pilotApprovedV2, {
      ...meta,
      data: { ...facts, requestedSupport: ['skills' as const], expertTeamSize: 4 },
    });
    expect(approvalOf(v2)).toMatchObject({
      pilotId: 'app-1',
      requestedSupport: ['skills'],
      expertTeamSize: 4,
    });
  });

  it('reads version 1 with no requested support and the size teams had then', () => {
    const v1 = newEvent(lifecycleEvents.pilotApproved, { ...meta, data: facts });
    expect(approvalOf(v1)).toMatchObject({ pilotId: 'app-1', requestedSupport: [], expertTeamSize: 3 });
  });

  it('refuses a version it does not know, so that the message goes to the DLQ rather than be misread', () => {
    const v1 = newEvent(lifecycleEvents.pilotApproved, { ...meta, data: facts });
    expect(() => approvalOf({ ...v1, version: 3 })).toThrow('no handler for pilot.approved@3');
  });
});
