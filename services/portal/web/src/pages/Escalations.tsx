import { useState } from 'react';
import type { PilotStage } from '@s3p/contracts';
import type { Api, PendingTask, Pilot, PilotSummary } from '../api';
import { ApiError } from '../api';
import { Link, LoadedView, PageTitle, useLoad } from '../components';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import { problemText } from './CallNew';
import type { PageProps } from './props';
import type { TeamView } from './pilot/TeamSection';
import '../styles/commission.css';

/** How many pilots of each stage are looked at (each is read in full for its tasks or its team). */
const perStage = 100;

/** The stages whose tasks have deadlines the lifecycle escalates to the programme manager when missed. */
const deadlineStages: PilotStage[] = ['evaluation', 'consensus', 'decision'];

interface Overdue {
  pilot: Pilot;
  task: PendingTask & { dueAt: string };
}

interface TeamWait {
  pilot: PilotSummary;
  /** Undefined while the team is still being proposed. */
  team?: TeamView;
}

interface Escalations {
  overdue: Overdue[];
  teams: TeamWait[];
}

const pilotsIn = (api: Api, stage: PilotStage) =>
  api<{ items: PilotSummary[] }>('GET', `/api/pilots?stage=${stage}&limit=${perStage}`).then(
    (page) => page.items,
  );

async function teamOf(api: Api, pilotId: string): Promise<TeamView | undefined> {
  try {
    return await api<TeamView>('GET', `/api/pilots/${encodeURIComponent(pilotId)}/team`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * What needs the programme manager: tasks past their deadline (the lifecycle escalates a late
 * review, consensus or decision to the manager) and approved pilots still without a team, first
 * of all those for which no team could be formed.
 */
async function loadEscalations(api: Api): Promise<Escalations> {
  const now = Date.now();
  const [late, waiting] = await Promise.all([
    Promise.all(deadlineStages.map((stage) => pilotsIn(api, stage))).then((lists) =>
      Promise.all(
        lists.flat().map((item) => api<Pilot>('GET', `/api/pilots/${encodeURIComponent(item.pilotId)}`)),
      ),
    ),
    pilotsIn(api, 'expert-team').then((items) =>
      Promise.all(items.map(async (pilot) => ({ pilot, team: await teamOf(api, pilot.pilotId) }))),
    ),
  ]);
  const overdue = late
    .flatMap((pilot) =>
      pilot.pendingTasks.flatMap((task) =>
        task.dueAt !== undefined && Date.parse(task.dueAt) < now
          ? [{ pilot, task: { ...task, dueAt: task.dueAt } }]
          : [],
      ),
    )
    .sort((a, b) => a.task.dueAt.localeCompare(b.task.dueAt));
  const rank = (wait: TeamWait) => (wait.team?.phase === 'failed' ? 0 : 1);
  return { overdue, teams: [...waiting].sort((a, b) => rank(a) - rank(b)) };
}

export function EscalationsPage({ api, session }: PageProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [loaded, reload] = useLoad(() => loadEscalations(api), 'escalations');
  const manager = session.roles.includes('programme-manager');
  const daysLate = (dueAt: string) => Math.max(1, Math.ceil((Date.now() - Date.parse(dueAt)) / 86_400_000));

  return (
    <>
      <PageTitle>{t('escalation.title')}</PageTitle>
      <p className="muted">{t('escalation.intro')}</p>
      <LoadedView loaded={loaded} reload={reload}>
        {({ overdue, teams }) => (
          <>
            <section aria-labelledby="overdue-tasks">
              <h2 id="overdue-tasks">{t('escalation.overdue')}</h2>
              {overdue.length === 0 ? (
                <p>{t('escalation.noOverdue')}</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('escalation.col.pilot')}</th>
                      <th scope="col">{t('escalation.col.task')}</th>
                      <th scope="col">{t('escalation.col.who')}</th>
                      <th scope="col">{t('escalation.col.due')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overdue.map(({ pilot, task }, index) => (
                      <tr key={`${pilot.pilotId}-${index}`}>
                        <th scope="row">
                          <Link to={pathOf('pilot', { id: pilot.pilotId })}>{pilot.title}</Link>
                          <div className="muted">{tOr(`stage.${pilot.stage}`, pilot.stage)}</div>
                        </th>
                        <td>{tOr(`task.${task.kind}`, task.kind, { number: (task.milestone ?? 0) + 1 })}</td>
                        <td>{tOr(`role.${task.assignee}`, task.assignee)}</td>
                        <td className="warning">
                          <time dateTime={task.dueAt}>{i18n.dateTime(task.dueAt)}</time>
                          <div>{t('escalation.daysLate', { days: daysLate(task.dueAt) })}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="waiting-teams">
              <h2 id="waiting-teams">{t('escalation.teams')}</h2>
              {teams.length === 0 ? (
                <p>{t('escalation.noTeams')}</p>
              ) : (
                <ul className="cards">
                  {teams.map((wait) => (
                    <li
                      key={wait.pilot.pilotId}
                      className={`card ${wait.team?.phase === 'failed' ? 'failed' : ''}`}
                    >
                      <TeamWaitCard api={api} wait={wait} mayRetry={manager} onRetried={reload} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </LoadedView>
    </>
  );
}

function TeamWaitCard({
  api,
  wait,
  mayRetry,
  onRetried,
}: {
  api: Api;
  wait: TeamWait;
  mayRetry: boolean;
  onRetried(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const { pilot, team } = wait;
  const headingId = `wait-${pilot.pilotId}`;
  const answered = team?.members.filter((m) => m.status === 'declined' || m.status === 'lapsed') ?? [];

  async function retry() {
    setBusy(true);
    setFailure(undefined);
    try {
      await api('POST', `/api/pilots/${encodeURIComponent(pilot.pilotId)}/team/retry`);
      onRetried();
    } catch (error) {
      setFailure(problemText(error, i18n, 'team.stale'));
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={pathOf('pilot', { id: pilot.pilotId })}>{pilot.title ?? pilot.pilotId}</Link>{' '}
        <span className="muted">({pilot.region})</span>
      </h3>
      <p>
        <strong>{team ? t(`team.phase.${team.phase}`) : t('team.phase.proposing')}</strong>
        {team && team.phase === 'inviting' && (
          <>
            {' '}
            {t('escalation.accepted', {
              accepted: team.members.filter((m) => m.status === 'accepted').length,
              size: team.teamSize,
            })}
          </>
        )}
      </p>
      {answered.length > 0 && (
        <ul>
          {answered.map((member) => (
            <li key={`${member.expertId}-${member.invitedAt}`}>
              {t(`team.status.${member.status === 'lapsed' ? 'lapsed' : 'declined'}`)}: {member.expertId}
              {member.reason && ` — ${member.reason}`}
            </li>
          ))}
        </ul>
      )}
      {team?.phase === 'failed' && team.failure && (
        <div className="error">
          <p>{t('team.failed', { reason: team.failure.reason })}</p>
          {team.failure.uncovered.length > 0 && (
            <p>{t('team.uncovered', { list: i18n.list(team.failure.uncovered.map((r) => r.label)) })}</p>
          )}
          {mayRetry && (
            <>
              <p>
                {t('team.retryHint')} <Link to={pathOf('experts')}>{t('escalation.toPool')}</Link>
              </p>
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void retry()}
                aria-label={t('escalation.retryOf', { pilot: pilot.title ?? pilot.pilotId })}
              >
                {busy ? t('team.retrying') : t('team.retry')}
              </button>
            </>
          )}
        </div>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </article>
  );
}
