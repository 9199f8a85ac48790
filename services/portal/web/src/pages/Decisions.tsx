import { useCallback, useRef } from 'react';
import type { Api, Call, PilotSummary } from '../api';
import type { Page } from '../components';
import { Link, LoadedView, MoreButton, PageTitle, usePaged } from '../components';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import type { DecisionFacts } from './pilot/DecisionSection';
import { factsOf, Panel, reviewedBy } from './pilot/DecisionSection';
import type { EvaluatedPilot } from './pilot/ReviewSection';
import { callOf, Due } from './pilot/ReviewSection';
import type { PageProps } from './props';
import '../styles/evaluation.css';

/** Pilots per page: each is read in full (reviews, application, call), so pages stay short. */
const pageSize = 10;

interface QueueItem {
  pilot: EvaluatedPilot;
  facts: DecisionFacts;
}

type Waiting = 'decision' | 'conditions';

/**
 * The approver's queue: pilots waiting for a decision, each with its score against the threshold,
 * the reviewers' scores and comments, the money asked and the call's budget left; then approvals
 * waiting for their conditions to be confirmed. The decision itself is taken on the pilot's page.
 */
export function DecisionsPage({ api, session }: PageProps) {
  const { t } = useI18n();
  // One read per call for the whole page: many pilots of a queue answer the same call.
  const calls = useRef(new Map<string, Promise<Call>>());
  const callFor = useCallback(
    (id: string) => {
      let call = calls.current.get(id);
      if (!call) {
        call = callOf(api, id);
        calls.current.set(id, call);
        call.catch(() => calls.current.delete(id));
      }
      return call;
    },
    [api],
  );
  return (
    <>
      <PageTitle>{t('decisionQueue.title')}</PageTitle>
      <p>{t('decisionQueue.intro')}</p>
      <Queue api={api} user={session.username} stage="decision" callFor={callFor} />
      <Queue api={api} user={session.username} stage="conditions" callFor={callFor} />
    </>
  );
}

function Queue({
  api,
  user,
  stage,
  callFor,
}: {
  api: Api;
  user: string;
  stage: Waiting;
  callFor(id: string): Promise<Call>;
}) {
  const { t } = useI18n();
  const paged = usePaged<QueueItem>(async (cursor) => {
    const page = await api<Page<PilotSummary>>(
      'GET',
      `/api/pilots?stage=${stage}&limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    const items = await Promise.all(
      page.items.map(async (summary) => {
        const pilot = await api<EvaluatedPilot>('GET', `/api/pilots/${encodeURIComponent(summary.pilotId)}`);
        return { pilot, facts: await factsOf(api, pilot, callFor(pilot.callId)) };
      }),
    );
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }, stage);
  const heading = `queue-${stage}`;
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>{t(stage === 'decision' ? 'decisionQueue.awaiting' : 'decisionQueue.conditions')}</h2>
      <LoadedView loaded={paged.loaded} reload={paged.reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t(stage === 'decision' ? 'decisionQueue.empty' : 'decisionQueue.conditionsEmpty')}</p>
          ) : (
            <ul className="cards queue">
              {items.map((item) => (
                <li key={item.pilot.pilotId} className="card">
                  <QueueCard item={item} user={user} stage={stage} />
                </li>
              ))}
            </ul>
          )
        }
      </LoadedView>
      <MoreButton paged={paged} />
    </section>
  );
}

function QueueCard({ item, user, stage }: { item: QueueItem; user: string; stage: Waiting }) {
  const { t } = useI18n();
  const { pilot, facts } = item;
  const due = pilot.pendingTasks.find(
    (task) => task.kind === (stage === 'decision' ? 'decide' : 'confirm-conditions'),
  );
  const id = `pilot-${pilot.pilotId}`;
  return (
    <article aria-labelledby={id} data-testid="queue-item">
      <h3 id={id}>
        <Link to={pathOf('pilot', { id: pilot.pilotId })}>{pilot.title}</Link>
      </h3>
      <dl className="facts">
        <div>
          <dt>{t('decisionQueue.region')}</dt>
          <dd>{pilot.region}</dd>
        </div>
        <div>
          <dt>{t('decisionQueue.call')}</dt>
          <dd>{facts.call.title}</dd>
        </div>
        {due?.dueAt && (
          <div>
            <dt>{t('decisionQueue.due')}</dt>
            <dd>
              <Due at={due.dueAt} />
            </dd>
          </div>
        )}
      </dl>
      <Panel pilot={pilot} facts={facts} compact />
      {reviewedBy(pilot, user) ? (
        <p className="warning">{t('decisionQueue.reviewedByYou')}</p>
      ) : (
        <p>
          <Link to={pathOf('pilot', { id: pilot.pilotId })} className="button">
            {t(stage === 'decision' ? 'decisionQueue.open' : 'decisionQueue.openConditions', {
              title: pilot.title,
            })}
          </Link>
        </p>
      )}
    </article>
  );
}
