import type { Principal, Role } from '@s3p/service-kit';
import { maySeeTeam, visibleTeam } from '../src/http/team-access';
import type { Seat, TeamState } from '../src/workflows/messages';
import { activeSeats, phaseOf, viewOf } from '../src/workflows/team-view';

const seat = (expertId: string, status: Seat['status'], extra: Partial<Seat> = {}): Seat => ({
  assignmentId: `a-${expertId}`,
  expertId,
  country: 'IT',
  lead: false,
  covers: ['support:skills'],
  reasons: ['covers skills'],
  status,
  invitedAt: '2026-01-01T10:00:00.000Z',
  dueAt: '2026-01-06T10:00:00.000Z',
  ...extra,
});

const stateOf = (overrides: Partial<TeamState> = {}): TeamState => ({
  pilotId: 'app-1',
  teamId: 'team-app-1',
  callId: 'call-1',
  needs: {
    region: 'BG41',
    partners: ['EL30'],
    countries: ['BG', 'GR'],
    priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
    requestedSupport: ['skills'],
    teamSize: 2,
    languages: ['bg'],
  },
  seats: [],
  excluded: [],
  attempts: 1,
  eventIds: [],
  ...overrides,
});

const as = (sub: string, roles: Role[], region?: string): Principal => ({
  sub,
  roles,
  ...(region ? { region } : {}),
});

describe('the phase of a team', () => {
  it('is proposing while seats are open, inviting once every seat has an invitation', () => {
    expect(phaseOf(stateOf())).toBe('proposing');
    expect(phaseOf(stateOf({ seats: [seat('x1', 'invited')] }))).toBe('proposing');
    expect(phaseOf(stateOf({ seats: [seat('x1', 'invited'), seat('x2', 'accepted')] }))).toBe('inviting');
  });

  it('does not count seats that ended', () => {
    const seats = [
      seat('x1', 'declined'),
      seat('x2', 'lapsed'),
      seat('x3', 'replaced'),
      seat('x4', 'accepted'),
    ];
    expect(activeSeats(stateOf({ seats })).map((s) => s.expertId)).toEqual(['x4']);
    expect(phaseOf(stateOf({ seats }))).toBe('proposing');
  });

  it('is assigned once announced, failed on a failure, released at the end, in that precedence', () => {
    const full = [seat('x1', 'accepted'), seat('x2', 'accepted')];
    const assigned = stateOf({ seats: full, assignedAt: '2026-01-02T00:00:00.000Z' });
    expect(phaseOf(assigned)).toBe('assigned');
    const failure = { uncovered: [], reason: 'no one', at: '2026-01-02T00:00:00.000Z' };
    expect(phaseOf({ ...assigned, failure })).toBe('failed');
    expect(
      phaseOf({ ...assigned, failure, released: { at: '2026-02-01T00:00:00.000Z', reason: 'closed' } }),
    ).toBe('released');
  });

  it('lists the active seats first, then those that ended, oldest first', () => {
    const seats = [
      seat('x1', 'declined'),
      seat('x2', 'invited'),
      seat('x3', 'lapsed'),
      seat('x4', 'accepted'),
    ];
    expect(viewOf(stateOf({ seats })).members.map((m) => m.expertId)).toEqual(['x2', 'x4', 'x1', 'x3']);
  });
});

describe('who sees a team, and how much', () => {
  const team = viewOf(
    stateOf({
      seats: [
        seat('x1', 'accepted', { lead: true }),
        seat('x2', 'declined', { reason: 'declined this pilot: a personal conflict' }),
        seat('x3', 'invited'),
      ],
      explanation: {
        attempt: 2,
        at: '2026-01-03T00:00:00.000Z',
        requirements: [{ key: 'support:skills', label: 'skills' }],
        passedOver: [{ expertId: 'x9', reason: 'from BG, a member state of the pilot' }],
        notes: ['no eligible expert speaks bg'],
      },
    }),
  );

  it.each([['programme-manager'], ['approver'], ['auditor'], ['service']] as const)(
    'shows the %s everything',
    (role) => {
      const principal = as('someone', [role]);
      expect(maySeeTeam(principal, team)).toBe(true);
      expect(visibleTeam(principal, team)).toBe(team);
    },
  );

  it('shows the lead region and a partner their team, without who else was considered or why seats ended', () => {
    for (const region of ['BG41', 'EL30']) {
      const principal = as(`region-${region}`, ['region'], region);
      expect(maySeeTeam(principal, team)).toBe(true);
      const shown = visibleTeam(principal, team);
      expect(shown.members.map((m) => m.expertId)).toEqual(['x1', 'x3']);
      expect(shown.explanation?.passedOver).toEqual([]);
      expect(shown.explanation?.notes).toEqual([]);
      expect(JSON.stringify(shown)).not.toContain('x9');
      expect(JSON.stringify(shown)).not.toContain('personal conflict');
    }
  });

  it('hides the team from another region, and from an expert never invited to it', () => {
    expect(maySeeTeam(as('region-pl91', ['region'], 'PL91'), team)).toBe(false);
    expect(maySeeTeam(as('x9', ['expert']), team)).toBe(false);
    expect(maySeeTeam(as('reviewer1', ['reviewer']), team)).toBe(false);
  });

  it("shows an invited expert the team, even one whose seat ended, but not the Commission's explanation", () => {
    expect(maySeeTeam(as('x3', ['expert']), team)).toBe(true);
    expect(maySeeTeam(as('x2', ['expert']), team)).toBe(true);
    expect(visibleTeam(as('x2', ['expert']), team).explanation?.passedOver).toEqual([]);
  });

  it('does not change the team it is given', () => {
    const before = JSON.stringify(team);
    visibleTeam(as('region-bg41', ['region'], 'BG41'), team);
    expect(JSON.stringify(team)).toBe(before);
  });
});
