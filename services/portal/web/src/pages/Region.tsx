import { useState } from 'react';
import type { PageProps } from './props';
import type { Api, Call, PendingTask, Pilot, PilotSummary } from '../api';
import { ApiError } from '../api';
import type { Application } from '../components/ApplicationView';
import { regionName, statusName } from '../components/ApplicationView';
import { Link, LoadedView, MoreButton, PageTitle, useLoad, usePaged } from '../components';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import { pathOf } from '../routes';
import '../styles/region.css';

/** How many pilots are read in full (for their pending tasks) on one page. */
const pilotsShown = 50;

/** A region's start page: the calls it may apply to, and its pilots with what is expected of it. */
export function RegionPage({ api, session }: PageProps) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('region.title', { region: session.region ?? session.username })}</PageTitle>
      <OpenCalls api={api} country={session.country} />
      <MyApplications api={api} region={session.region} />
      <MyPilots api={api} region={session.region} />
    </>
  );
}

function OpenCalls({ api, country }: { api: Api; country: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [calls, reload] = useLoad(
    () => api<{ items: Call[] }>('GET', '/api/calls?status=open&limit=100'),
    'open-calls',
  );
  return (
    <section aria-labelledby="open-calls">
      <h2 id="open-calls">{t('calls.title')}</h2>
      <LoadedView loaded={calls} reload={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('calls.empty')}</p>
          ) : (
            <ul className="cards">
              {[...items]
                .sort((a, b) => a.closesAt.localeCompare(b.closesAt))
                .map((call) => (
                  <li key={call.id} className="card">
                    <CallCard call={call} country={country} i18n={i18n} />
                  </li>
                ))}
            </ul>
          )
        }
      </LoadedView>
    </section>
  );
}

function CallCard({ call, country, i18n }: { call: Call; country: string | undefined; i18n: I18n }) {
  const { t, tOr } = i18n;
  const eligible = country ? call.eligibility.countries.includes(country) : undefined;
  const partnership = call.pilotType === 'interregional-partnership';
  return (
    <article aria-labelledby={`call-${call.id}`}>
      <h3 id={`call-${call.id}`}>{call.title}</h3>
      <dl className="facts">
        <div>
          <dt>{t('calls.col.type')}</dt>
          <dd>{tOr(`pilotType.${call.pilotType}`, call.pilotType)}</dd>
        </div>
        <div>
          <dt>{t('calls.col.closes')}</dt>
          <dd>
            <time dateTime={call.closesAt}>{i18n.dateTime(call.closesAt)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('calls.col.ceiling')}</dt>
          <dd>{i18n.money(call.perApplicationCeiling)}</dd>
        </div>
      </dl>
      <p>{call.summary}</p>
      {eligible !== undefined && (
        <p className={eligible ? 'ok' : 'warning'}>{t(eligible ? 'calls.eligible' : 'calls.notEligible')}</p>
      )}
      {eligible !== false && (
        <p>
          <Link
            to={pathOf('applicationNew', { callId: call.id })}
            className="button-link"
            aria-label={t('myApplications.applyTo', { call: call.title })}
          >
            {t('myApplications.apply')}
          </Link>
        </p>
      )}
      <details>
        <summary>{t('calls.rules')}</summary>
        <ul>
          <li>{t('calls.rules.countries', { list: i18n.list(call.eligibility.countries) })}</li>
          {partnership && (
            <li>
              {t('calls.rules.partners', {
                min: call.eligibility.minPartners,
                max: call.eligibility.maxPartners,
                countries: call.eligibility.minCountries,
              })}
            </li>
          )}
          <li>{t('calls.rules.threshold', { score: i18n.number(call.passThreshold) })}</li>
          <li>
            {t('calls.rules.budget', {
              total: i18n.money(call.totalBudget),
              remaining: i18n.money(call.remainingBudget ?? call.totalBudget),
            })}
          </li>
          <li>
            {t('calls.rules.criteria')}
            <ul>
              {call.criteria.map((criterion) => (
                <li key={criterion.id}>
                  {t('calls.rules.criterion', {
                    name: criterion.name,
                    weight: i18n.number(criterion.weight),
                    max: i18n.number(criterion.maxScore),
                  })}
                </li>
              ))}
            </ul>
          </li>
        </ul>
      </details>
    </article>
  );
}

/** A region's pilots (led or partnered), each read in full for the tasks pending on it. */
function MyPilots({ api, region }: { api: Api; region: string | undefined }) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const [pilots, reload] = useLoad(async () => {
    const { items } = await api<{ items: PilotSummary[] }>('GET', `/api/pilots?limit=${pilotsShown}`);
    return Promise.all(
      items.map((item) => api<Pilot>('GET', `/api/pilots/${encodeURIComponent(item.pilotId)}`)),
    );
  }, 'my-pilots');
  const mine = (task: PendingTask) => task.assignee === region || task.assignee === 'region';
  return (
    <section aria-labelledby="my-pilots">
      <h2 id="my-pilots">{t('pilots.title')}</h2>
      <LoadedView loaded={pilots} reload={reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('pilots.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('pilots.col.title')}</th>
                  <th scope="col">{t('pilots.col.stage')}</th>
                  <th scope="col">{t('pilots.col.expected')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((pilot) => {
                  const expected = pilot.pendingTasks.filter(mine);
                  return (
                    <tr key={pilot.pilotId}>
                      <th scope="row">
                        <Link to={pathOf('pilot', { id: pilot.pilotId })}>{pilot.title}</Link>
                        <div className="muted">
                          {t(pilot.region === region ? 'pilots.lead' : 'pilots.partner')}
                        </div>
                      </th>
                      <td>{tOr(`stage.${pilot.stage}`, pilot.stage)}</td>
                      <td>
                        {expected.length === 0 ? (
                          t('pilots.nothingExpected')
                        ) : (
                          <ul className="plain">
                            {expected.map((task, i) => (
                              <li key={i}>
                                {tOr(`task.${task.kind}`, task.kind, { number: (task.milestone ?? 0) + 1 })}
                                {task.dueAt && (
                                  <>
                                    {' '}
                                    <time dateTime={task.dueAt}>
                                      {t('pilots.by', { date: i18n.date(task.dueAt) })}
                                    </time>
                                  </>
                                )}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </LoadedView>
    </section>
  );
}

const applicationsPage = 20;
/** Statuses in which a partner region may still confirm. */
const confirmable = ['draft', 'revision'];

/**
 * The applications the region leads (its drafts among them) and those it is invited to as a
 * partner, newest first, with what it may do: open a draft to go on, confirm a partnership.
 */
function MyApplications({ api, region }: { api: Api; region: string | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const paged = usePaged(
    (cursor) =>
      api<{ items: Application[]; nextCursor?: string }>(
        'GET',
        `/api/applications?limit=${applicationsPage}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      ),
    'my-applications',
  );
  const [confirmed, setConfirmed] = useState<ReadonlyMap<string, Application>>(new Map());
  const [error, setError] = useState<string>();
  async function confirm(application: Application) {
    if (!region) return;
    setError(undefined);
    try {
      const answer = await api<Application>(
        'POST',
        `/api/applications/${encodeURIComponent(application.id)}/partners/${encodeURIComponent(region)}/confirm`,
        undefined,
        { idempotencyKey: crypto.randomUUID() },
      );
      setConfirmed((before) => new Map(before).set(answer.id, answer));
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure));
    }
  }
  return (
    <section aria-labelledby="my-applications">
      <h2 id="my-applications">{t('myApplications.title')}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <LoadedView loaded={paged.loaded} reload={paged.reload}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('myApplications.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('myApplications.col.title')}</th>
                  <th scope="col">{t('myApplications.col.status')}</th>
                  <th scope="col">{t('myApplications.col.updated')}</th>
                  <th scope="col">{t('myApplications.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((listed) => {
                  const application = confirmed.get(listed.id) ?? listed;
                  const lead = application.region === region;
                  const part = application.partners.find((p) => p.region === region);
                  const title = application.title ?? t('application.untitled');
                  return (
                    <tr key={application.id} data-application={application.id}>
                      <th scope="row">
                        <Link to={pathOf('application', { id: application.id })}>{title}</Link>
                        <div className="muted">
                          {lead
                            ? t('myApplications.lead')
                            : t('myApplications.partnerOf', { lead: regionName(application.region) })}
                        </div>
                      </th>
                      <td>{statusName(i18n, application.status)}</td>
                      <td>
                        <time dateTime={application.updatedAt}>{i18n.dateTime(application.updatedAt)}</time>
                      </td>
                      <td>
                        {lead && application.status === 'draft' ? (
                          <Link to={pathOf('application', { id: application.id })}>
                            {t('myApplications.continue')}
                          </Link>
                        ) : part && part.status === 'confirmed' ? (
                          <span className="ok">{t('partners.youConfirmed')}</span>
                        ) : part && confirmable.includes(application.status) ? (
                          <button
                            type="button"
                            onClick={() => void confirm(application)}
                            aria-label={t('partners.confirmOf', { title })}
                          >
                            {t('partners.confirm')}
                          </button>
                        ) : (
                          t('app.none')
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </LoadedView>
      <MoreButton paged={paged} />
    </section>
  );
}
