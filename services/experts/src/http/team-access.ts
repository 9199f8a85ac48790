import type { Principal } from '@s3p/service-kit';
import type { TeamView } from '../workflows/messages';

const commission = ['programme-manager', 'approver', 'auditor', 'service'] as const;

const seesAll = (principal: Principal) =>
  principal.roles.some((role) => (commission as readonly string[]).includes(role));

const isRegionOf = (principal: Principal, team: TeamView) =>
  principal.roles.includes('region') &&
  principal.region !== undefined &&
  (principal.region === team.region || team.partners.includes(principal.region));

const isInvitedTo = (principal: Principal, team: TeamView) =>
  principal.roles.includes('expert') && team.members.some((member) => member.expertId === principal.sub);

/** Whether the caller may see the team at all; a team it may not see is, to it, not there. */
export const maySeeTeam = (principal: Principal, team: TeamView): boolean =>
  seesAll(principal) || isRegionOf(principal, team) || isInvitedTo(principal, team);

/**
 * The team as this caller may see it. The Commission sees every seat and why others were passed
 * over. The region and the team's experts see who is on the team, what each covers and why each
 * was chosen, but not who else was considered, nor the words of a decline or a replacement.
 */
export function visibleTeam(principal: Principal, team: TeamView): TeamView {
  if (seesAll(principal)) return team;
  const { explanation, failure: _failure, ...rest } = team;
  return {
    ...rest,
    members: team.members
      .filter((member) => member.status === 'invited' || member.status === 'accepted')
      .map(({ reason: _reason, ...member }) => member),
    ...(explanation ? { explanation: { ...explanation, passedOver: [], notes: [] } } : {}),
  };
}
