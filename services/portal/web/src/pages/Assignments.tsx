import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import { declineBody } from '@s3p/contracts';
import type { Api } from '../api';
import { Field, Link, LoadedView, PageTitle, useLoad } from '../components';
import { fieldsOfProblem } from '../forms';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import { checkLocalized, languageName, problemText } from './CallNew';
import type { PageProps } from './props';
import type { TeamView } from './pilot/TeamSection';
import { requirementLabels } from './pilot/TeamSection';
import '../styles/commission.css';

/** One of the expert's seats on a pilot's team, as `GET /api/assignments?mine=true` answers it. */
interface Assignment {
  id: string;
  pilotId: string;
  teamId: string;
  region: string;
  expertId: string;
  lead: boolean;
  covers: string[];
  status: 'invited' | 'accepted' | 'declined' | 'lapsed' | 'replaced' | 'released';
  invitedAt: string;
  dueAt: string;
  answeredAt?: string;
  reason?: string;
}

interface Loaded {
  items: Assignment[];
  /** Each pilot's team, for the words of what the expert is asked to cover (absent when unreadable). */
  teams: Map<string, TeamView>;
}

/** An expert's invitations to pilots' teams and the teams it is on: accept, or decline with a reason. */
export function AssignmentsPage({ api }: PageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [all, setAll] = useState(false);
  const [answered, setAnswered] = useState<string>();
  const [loaded, reload] = useLoad<Loaded>(async () => {
    const { items } = await api<{ items: Assignment[] }>(
      'GET',
      `/api/assignments?mine=true${all ? '&all=true' : ''}`,
    );
    const pilots = [...new Set(items.map((item) => item.pilotId))];
    const teams = await Promise.allSettled(
      pilots.map((id) => api<TeamView>('GET', `/api/pilots/${encodeURIComponent(id)}/team`)),
    );
    return {
      items,
      teams: new Map(
        teams.flatMap((team) =>
          team.status === 'fulfilled' ? [[team.value.pilotId, team.value] as const] : [],
        ),
      ),
    };
  }, `assignments:${all}`);

  return (
    <>
      <PageTitle>{t('assignment.title')}</PageTitle>
      <p className="muted">{t('assignment.intro')}</p>
      {answered && (
        <p role="status" className="notice">
          {answered}
        </p>
      )}
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} />{' '}
          {t('assignment.showEnded')}
        </label>
      </div>
      <LoadedView loaded={loaded} reload={reload}>
        {({ items, teams }) => {
          const invited = items.filter((item) => item.status === 'invited');
          const others = items.filter((item) => item.status !== 'invited');
          return (
            <>
              <section aria-labelledby="invitations">
                <h2 id="invitations">{t('assignment.invitations')}</h2>
                {invited.length === 0 ? (
                  <p>{t('assignment.noInvitations')}</p>
                ) : (
                  <ul className="cards">
                    {[...invited]
                      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
                      .map((item) => (
                        <li key={item.id} className="card invitation">
                          <AssignmentCard item={item} team={teams.get(item.pilotId)} />
                          <Answer
                            api={api}
                            item={item}
                            onAnswered={(text) => {
                              setAnswered(text);
                              reload();
                            }}
                          />
                        </li>
                      ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="teams">
                <h2 id="teams">{t(all ? 'assignment.history' : 'assignment.teams')}</h2>
                {others.length === 0 ? (
                  <p>{t('assignment.noTeams')}</p>
                ) : (
                  <ul className="cards">
                    {others.map((item) => (
                      <li key={item.id} className="card">
                        <AssignmentCard item={item} team={teams.get(item.pilotId)} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </LoadedView>
    </>
  );
}

function AssignmentCard({ item, team }: { item: Assignment; team: TeamView | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const labels = requirementLabels(team);
  const overdue = item.status === 'invited' && Date.parse(item.dueAt) < Date.now();
  const partners = team?.partners ?? [];
  return (
    <article aria-labelledby={`assignment-${item.id}`}>
      <h3 id={`assignment-${item.id}`}>
        {t('assignment.pilotOf', { region: item.region })}
        {item.lead && <span className="badge">{t('assignment.lead')}</span>}
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('assignment.state')}</dt>
          <dd data-status={item.status}>{t(`assignment.status.${item.status}`)}</dd>
        </div>
        {item.status === 'invited' ? (
          <div>
            <dt>{t('assignment.answerBy')}</dt>
            <dd className={overdue ? 'warning' : undefined}>
              <time dateTime={item.dueAt}>{i18n.dateTime(item.dueAt)}</time>
            </dd>
          </div>
        ) : (
          item.answeredAt && (
            <div>
              <dt>{t('assignment.answeredAt')}</dt>
              <dd>
                <time dateTime={item.answeredAt}>{i18n.dateTime(item.answeredAt)}</time>
              </dd>
            </div>
          )
        )}
        <div>
          <dt>{t('assignment.invitedAt')}</dt>
          <dd>
            <time dateTime={item.invitedAt}>{i18n.dateTime(item.invitedAt)}</time>
          </dd>
        </div>
        {partners.length > 0 && (
          <div>
            <dt>{t('assignment.partners')}</dt>
            <dd>{i18n.list(partners)}</dd>
          </div>
        )}
        {team && team.languages.length > 0 && (
          <div>
            <dt>{t('assignment.languages')}</dt>
            <dd>{i18n.list(team.languages.map((code) => languageName(i18n, code)))}</dd>
          </div>
        )}
      </dl>
      {item.covers.length > 0 && (
        <p>{t('assignment.covers', { list: i18n.list(item.covers.map((key) => labels.get(key) ?? key)) })}</p>
      )}
      {item.reason && <p className="muted">{t('assignment.reason', { reason: item.reason })}</p>}
      {item.status === 'accepted' && (
        <p>
          <Link to={pathOf('pilot', { id: item.pilotId })}>{t('assignment.openPilot')}</Link>
        </p>
      )}
    </article>
  );
}

/** Accept at once, or decline with a reason (the region never reads it; the Commission does). */
function Answer({ api, item, onAnswered }: { api: Api; item: Assignment; onAnswered(text: string): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [server, setServer] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const checked = checkLocalized(declineBody, { reason }, i18n).reason;

  useEffect(() => {
    if (declining) reasonField.current?.focus();
  }, [declining]);

  async function send(answer: 'accept' | 'decline') {
    setBusy(true);
    setFailure(undefined);
    try {
      await api(
        'POST',
        `/api/assignments/${encodeURIComponent(item.id)}/${answer}`,
        answer === 'decline' ? { reason } : undefined,
      );
      onAnswered(t(answer === 'accept' ? 'assignment.accepted' : 'assignment.declined'));
    } catch (error) {
      setServer(fieldsOfProblem(error).reason);
      setFailure(problemText(error, i18n, 'assignment.stale'));
    } finally {
      setBusy(false);
    }
  }

  function decline(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (checked) return;
    void send('decline');
  }

  const label = t('assignment.pilotOf', { region: item.region });
  return (
    <div className="answer">
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {declining ? (
        <form onSubmit={decline} noValidate aria-label={t('assignment.declineOf', { pilot: label })}>
          <Field
            id={`decline-${item.id}`}
            label={t('assignment.declineReason')}
            hint={t('assignment.declineHint')}
            message={server ?? (tried ? checked : undefined)}
          >
            {(input) => (
              <textarea
                {...input}
                ref={reasonField}
                rows={3}
                maxLength={2000}
                value={reason}
                onChange={(event) => {
                  setReason(event.target.value);
                  setServer(undefined);
                }}
              />
            )}
          </Field>
          <p className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('assignment.declineSubmit')}
            </button>
            <button type="button" disabled={busy} onClick={() => setDeclining(false)}>
              {t('callForm.cancel')}
            </button>
          </p>
        </form>
      ) : (
        <p className="actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void send('accept')}
            aria-label={t('assignment.acceptOf', { pilot: label })}
          >
            {t('assignment.accept')}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => setDeclining(true)}
            aria-label={t('assignment.declineOf', { pilot: label })}
          >
            {t('assignment.decline')}
          </button>
        </p>
      )}
    </div>
  );
}
