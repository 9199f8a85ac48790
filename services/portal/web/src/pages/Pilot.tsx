import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, Pilot } from '../api';
import { ApiError } from '../api';
import { Link, LoadedView, PageTitle } from '../components';
import { useI18n } from '../i18n';
import { mayOpen, pathOf } from '../routes';
import { DecisionSection } from './pilot/DecisionSection';
import { FinalReportSection } from './pilot/FinalReportSection';
import { MilestonesSection } from './pilot/MilestonesSection';
import { ReviewSection } from './pilot/ReviewSection';
import { RevisionSection } from './pilot/RevisionSection';
import { TeamSection } from './pilot/TeamSection';
import { TimelineSection } from './pilot/TimelineSection';
import type { Loaded } from '../components';
import type { PageProps, SectionProps } from './props';

/** How often an open pilot's page reads the pilot again, so that its stage is live without a reload. */
export const pilotRefreshMs = 5_000;

/** Reads the pilot now, then every few seconds while the page is visible; `refresh` reads it at once. */
function useLivePilot(api: Api, id: string): [Loaded<Pilot>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<Pilot>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const refresh = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    let current = true;
    const read = () =>
      api<Pilot>('GET', `/api/pilots/${encodeURIComponent(id)}`).then(
        (data) => current && setLoaded({ state: 'done', data }),
        (error: unknown) => {
          if (!current) return;
          const failure = error instanceof ApiError ? error : new ApiError(0, String(error));
          // A passing failure keeps what is shown; only a first read or a 404 replaces it.
          setLoaded((before) =>
            before.state === 'done' && failure.status !== 404 ? before : { state: 'failed', error: failure },
          );
        },
      );
    void read();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void read();
    }, pilotRefreshMs);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [api, id, round]);
  return [loaded, refresh];
}

/**
 * One pilot for every role: its stage (live), what is pending and who must do it by when, its
 * history; then the sections of each role's work on it, each showing itself where it applies.
 */
export function PilotPage({ api, session, params }: PageProps) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [pilot, refresh] = useLivePilot(api, id);
  if (pilot.state === 'failed' && pilot.error.status === 404) {
    return (
      <>
        <PageTitle>{t('pilot.notFound')}</PageTitle>
        <p>
          <Link to="/">{t('app.home')}</Link>
        </p>
      </>
    );
  }
  return (
    <LoadedView loaded={pilot} reload={refresh}>
      {(data) => {
        const props: SectionProps = { api, session, pilot: data, refresh };
        return (
          <>
            <Overview {...props} />
            <RevisionSection {...props} />
            <ReviewSection {...props} />
            <DecisionSection {...props} />
            <TeamSection {...props} />
            <MilestonesSection {...props} />
            <FinalReportSection {...props} />
            <TimelineSection {...props} />
          </>
        );
      }}
    </LoadedView>
  );
}

function Overview({ pilot, session }: SectionProps) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const stageName = tOr(`stage.${pilot.stage}`, pilot.stage);
  // Announced to screen readers when the stage moves while the page is open, not on first show.
  const shown = useRef(pilot.stage);
  const [moved, setMoved] = useState<string>();
  useEffect(() => {
    if (shown.current !== pilot.stage) {
      shown.current = pilot.stage;
      setMoved(stageName);
    }
  }, [pilot.stage, stageName]);
  const history = [...pilot.history].sort((a, b) => b.sequence - a.sequence);
  return (
    <>
      <PageTitle>{pilot.title}</PageTitle>
      <dl className="facts">
        <div>
          <dt>{t('pilot.stage')}</dt>
          <dd data-testid="stage" data-stage={pilot.stage}>
            <strong>{stageName}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('calls.col.type')}</dt>
          <dd>{tOr(`pilotType.${pilot.pilotType}`, pilot.pilotType)}</dd>
        </div>
        <div>
          <dt>{t('pilot.lead')}</dt>
          <dd>{pilot.region}</dd>
        </div>
        {pilot.partners.length > 0 && (
          <div>
            <dt>{t('pilot.partners')}</dt>
            <dd>{i18n.list(pilot.partners)}</dd>
          </div>
        )}
        {pilot.score !== undefined && (
          <div>
            <dt>{t('pilot.score')}</dt>
            <dd>
              {t('pilot.scoreOf', {
                score: i18n.number(pilot.score),
                threshold: i18n.number(pilot.passThreshold ?? 0),
              })}
            </dd>
          </div>
        )}
      </dl>
      <p role="status" aria-live="polite" className="live">
        {moved ? t('pilot.moved', { stage: moved }) : ''}
      </p>
      <p>
        <Link to={pathOf('application', { id: pilot.pilotId })}>{t('pilot.application')}</Link>
        {mayOpen('call', session.roles) && (
          <>
            {' · '}
            <Link to={pathOf('call', { id: pilot.callId })}>{t('pilot.call')}</Link>
          </>
        )}
      </p>

      <section aria-labelledby="pending">
        <h2 id="pending">{t('pilot.pending')}</h2>
        {pilot.pendingTasks.length === 0 ? (
          <p>{t('pilot.nothingPending')}</p>
        ) : (
          <ul>
            {pilot.pendingTasks.map((task, i) => (
              <li key={i}>
                {tOr(`task.${task.kind}`, task.kind, { number: (task.milestone ?? 0) + 1 })}
                {' — '}
                {t('pilot.taskOf', { who: tOr(`role.${task.assignee}`, task.assignee) })}
                {task.dueAt && (
                  <>
                    {', '}
                    <time dateTime={task.dueAt}>{t('pilots.by', { date: i18n.dateTime(task.dueAt) })}</time>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history">
        <h2 id="history">{t('pilot.history')}</h2>
        <ol className="history" reversed>
          {history.map((change) => (
            <li key={change.sequence}>
              <time dateTime={change.at}>{i18n.dateTime(change.at)}</time>{' '}
              <strong>{tOr(`stage.${change.to}`, change.to)}</strong>
              {' — '}
              {change.reason}
              <span className="muted">
                {' '}
                ({t('pilot.by', { who: change.actor.sub ?? t('trail.system') })})
              </span>
              {change.reasons && change.reasons.length > 0 && (
                <ul>
                  {change.reasons.map((reason) => (
                    <li key={reason.rule}>{reason.message}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
