import { useState } from 'react';
import { ApiError } from '../../api';
import { LoadedView, useLoad } from '../../components';
import { useI18n } from '../../i18n';
import { countryName, problemText } from '../CallNew';
import type { SectionProps } from '../props';
import '../../styles/commission.css';

/** A seat of a team, as `GET /api/pilots/{id}/team` answers it. */
export interface TeamSeat {
  assignmentId?: string;
  expertId: string;
  country: string;
  lead: boolean;
  covers: string[];
  /** Why the member was chosen. */
  reasons?: string[];
  status: 'invited' | 'accepted' | 'declined' | 'lapsed' | 'replaced' | 'released';
  invitedAt: string;
  dueAt: string;
  answeredAt?: string;
  /** A decline's or a replacement's words: the Commission's only. */
  reason?: string;
}

/** A pilot's expert team; who was passed over and the failure are the Commission's only. */
export interface TeamView {
  pilotId: string;
  teamId: string;
  callId: string;
  phase: 'proposing' | 'inviting' | 'assigned' | 'failed' | 'released';
  region: string;
  partners: string[];
  teamSize: number;
  languages: string[];
  members: TeamSeat[];
  explanation?: {
    attempt: number;
    at: string;
    requirements: { key: string; label: string }[];
    passedOver: { expertId: string; reason: string }[];
    notes: string[];
  };
  failure?: { uncovered: { key: string; label: string }[]; reason: string; at: string };
  assignedAt?: string;
  released?: { at: string; reason: string };
}

/** The words of each requirement of a team (`nace:C` → its domain's name), from its explanation. */
export const requirementLabels = (team: TeamView | undefined): Map<string, string> =>
  new Map((team?.explanation?.requirements ?? []).map((r) => [r.key, r.label]));

/** The stages in which a pilot has, or is getting, an expert team. */
const withTeam = ['expert-team', 'implementation', 'final-report', 'closed'];

/**
 * The pilot's expert team: its members, why each was chosen and where each invitation stands;
 * for the Commission also who was passed over and why, and for the programme manager a retry
 * when no team could be formed.
 */
export function TeamSection({ api, session, pilot, refresh }: SectionProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  // Read again when the pilot moves on: an answer or a retry changes the team.
  const [team, reload] = useLoad<TeamView | undefined>(async () => {
    if (!withTeam.includes(pilot.stage)) return undefined;
    try {
      return await api<TeamView>('GET', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/team`);
    } catch (error) {
      // No team yet (still being proposed), or none this reader may see.
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }, `team:${pilot.pilotId}:${pilot.stage}:${pilot.history.length}`);
  const [retrying, setRetrying] = useState(false);
  const [retryFailure, setRetryFailure] = useState<string>();
  if (!withTeam.includes(pilot.stage)) return null;
  const commission = session.roles.some((role) =>
    ['programme-manager', 'approver', 'auditor'].includes(role),
  );
  const manager = session.roles.includes('programme-manager');

  async function retry() {
    setRetrying(true);
    setRetryFailure(undefined);
    try {
      await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/team/retry`);
      reload();
      refresh();
    } catch (error) {
      setRetryFailure(problemText(error, i18n, 'team.stale'));
    } finally {
      setRetrying(false);
    }
  }

  return (
    <section aria-labelledby="team" className="team">
      <h2 id="team">{t('team.title')}</h2>
      <LoadedView loaded={team} reload={reload}>
        {(data) => {
          if (!data) return <p>{t('team.none')}</p>;
          const labels = requirementLabels(data);
          const shownMembers = data.members.filter(
            (member) => commission || member.status === 'invited' || member.status === 'accepted',
          );
          return (
            <>
              <p data-testid="team-phase" data-phase={data.phase}>
                <strong>{t(`team.phase.${data.phase}`)}</strong> {t('team.size', { size: data.teamSize })}
                {data.assignedAt && <> {t('team.assignedAt', { date: i18n.dateTime(data.assignedAt) })}</>}
              </p>
              {data.phase === 'failed' && data.failure && (
                <div className="error" role={commission ? undefined : 'status'}>
                  <p>{t('team.failed', { reason: data.failure.reason })}</p>
                  {data.failure.uncovered.length > 0 && (
                    <p>
                      {t('team.uncovered', { list: i18n.list(data.failure.uncovered.map((r) => r.label)) })}
                    </p>
                  )}
                  {manager && (
                    <>
                      <p>{t('team.retryHint')}</p>
                      <button
                        type="button"
                        className="primary"
                        disabled={retrying}
                        onClick={() => void retry()}
                      >
                        {retrying ? t('team.retrying') : t('team.retry')}
                      </button>
                    </>
                  )}
                </div>
              )}
              {retryFailure && (
                <p role="alert" className="error">
                  {retryFailure}
                </p>
              )}
              {shownMembers.length > 0 && (
                <table className="members">
                  <caption className="visually-hidden">{t('team.members')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('team.col.expert')}</th>
                      <th scope="col">{t('team.col.covers')}</th>
                      <th scope="col">{t('team.col.why')}</th>
                      <th scope="col">{t('team.col.invitation')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shownMembers.map((member) => (
                      <tr key={`${member.expertId}-${member.invitedAt}`} data-expert={member.expertId}>
                        <th scope="row">
                          {member.expertId}
                          {member.lead && <span className="badge">{t('team.lead')}</span>}
                          <div className="muted">{countryName(i18n, member.country)}</div>
                        </th>
                        <td>
                          {member.covers.length === 0
                            ? t('app.none')
                            : i18n.list(member.covers.map((key) => labels.get(key) ?? key))}
                        </td>
                        <td>
                          {member.reasons && member.reasons.length > 0 ? (
                            <ul className="plain">
                              {member.reasons.map((reason) => (
                                <li key={reason}>{reason}</li>
                              ))}
                            </ul>
                          ) : (
                            t('app.none')
                          )}
                        </td>
                        <td data-status={member.status}>
                          {tOr(`team.status.${member.status}`, member.status)}
                          <div className="muted">
                            {member.answeredAt ? (
                              <time dateTime={member.answeredAt}>
                                {t('team.answeredAt', { date: i18n.dateTime(member.answeredAt) })}
                              </time>
                            ) : (
                              member.status === 'invited' && (
                                <time dateTime={member.dueAt}>
                                  {t('team.dueAt', { date: i18n.dateTime(member.dueAt) })}
                                </time>
                              )
                            )}
                          </div>
                          {member.reason && (
                            <div className="muted">{t('team.memberReason', { reason: member.reason })}</div>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {commission && data.explanation && (
                <details className="explanation">
                  <summary>{t('team.explanation', { attempt: data.explanation.attempt })}</summary>
                  {data.explanation.requirements.length > 0 && (
                    <p>
                      {t('team.requirements', {
                        list: i18n.list(data.explanation.requirements.map((r) => r.label)),
                      })}
                    </p>
                  )}
                  <h3>{t('team.passedOver')}</h3>
                  {data.explanation.passedOver.length === 0 ? (
                    <p>{t('team.nobodyPassedOver')}</p>
                  ) : (
                    <ul>
                      {data.explanation.passedOver.map((other) => (
                        <li key={other.expertId}>
                          <strong>{other.expertId}</strong>: {other.reason}
                        </li>
                      ))}
                    </ul>
                  )}
                  {data.explanation.notes.length > 0 && (
                    <>
                      <h3>{t('team.notes')}</h3>
                      <ul>
                        {data.explanation.notes.map((note) => (
                          <li key={note}>{note}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </details>
              )}
              {data.released && (
                <p className="muted">
                  {t('team.released', {
                    date: i18n.dateTime(data.released.at),
                    reason: data.released.reason,
                  })}
                </p>
              )}
            </>
          );
        }}
      </LoadedView>
    </section>
  );
}
